"""Downloading a finished job's output as Parquet or as CSV, streamed."""

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from core.datasets.storage import arrow_to_frame

CSV_BATCH_ROWS = 20_000
# Cells a spreadsheet would read as a formula are prefixed with a quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def iter_csv(path: Path) -> Iterator[bytes]:
    """The Parquet file at ``path`` as CSV, one batch of rows at a time."""
    parquet = pq.ParquetFile(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([escape_cell(name) for name in parquet.schema_arrow.names])

    for batch in parquet.iter_batches(batch_size=CSV_BATCH_ROWS):
        frame = arrow_to_frame(batch)
        for row in frame.astype(object).itertuples(index=False, name=None):
            writer.writerow(["" if _is_null(v) else escape_cell(v) for v in row])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()

    if buffer.tell():
        yield buffer.getvalue().encode()
    elif parquet.metadata.num_rows == 0:
        yield b""


def _is_null(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or value is pd.NA or value is pd.NaT
