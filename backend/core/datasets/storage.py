"""Reading stored datasets: Parquet files with row groups, read as pandas frames.

Every reader goes through :func:`arrow_to_frame`, so the preview and the full
run see the same dtypes: nullable ``Int64`` and ``boolean``, ``float64``,
pandas' string dtype and ``datetime64``.
"""

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 50_000


def _pandas_type(arrow_type: pa.DataType) -> object | None:
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype(na_value=float("nan"))
    return None


def _frame_arrow_type(arrow_type: pa.DataType) -> pa.DataType:
    """The Arrow type a column is read as, landing in a dtype the steps know."""
    if pa.types.is_date(arrow_type):
        return pa.timestamp("us")
    if pa.types.is_decimal(arrow_type):
        return pa.float64()
    if pa.types.is_dictionary(arrow_type):
        return _frame_arrow_type(arrow_type.value_type)
    return arrow_type


def arrow_to_frame(table: pa.Table | pa.RecordBatch) -> pd.DataFrame:
    target = pa.schema(
        [field.with_type(_frame_arrow_type(field.type)) for field in table.schema]
    )
    if not target.equals(table.schema):
        table = table.cast(target)
    frame: pd.DataFrame = table.to_pandas(types_mapper=_pandas_type)
    return frame


def read_head(path: Path, rows: int) -> pd.DataFrame:
    """The first ``rows`` rows, reading only the row groups that hold them."""
    parquet = pq.ParquetFile(path)
    metadata = parquet.metadata
    groups: list[int] = []
    covered = 0
    for index in range(metadata.num_row_groups):
        if covered >= rows:
            break
        groups.append(index)
        covered += metadata.row_group(index).num_rows

    table = (
        parquet.read_row_groups(groups)
        if groups
        else parquet.schema_arrow.empty_table()
    )
    return arrow_to_frame(table.slice(0, rows))


def read_all(path: Path) -> pd.DataFrame:
    return arrow_to_frame(pq.read_table(path))


def iter_chunks(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The whole dataset in order, ``chunk_rows`` rows at a time."""
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        yield arrow_to_frame(batch)
