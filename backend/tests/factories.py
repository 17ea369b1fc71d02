"""Test data: frames and stored datasets made without going through an upload."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.config import Settings
from core.database.engine import get_session_factory
from core.database.models import DatasetSource, new_id
from core.datasets.schemas import schema_of_arrow


def sample_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    """Numbers with nulls, a category and a datetime: enough for every common step."""
    rng = np.random.default_rng(seed)
    amount = rng.normal(100, 20, rows)
    amount[rng.random(rows) < 0.1] = np.nan
    return pd.DataFrame(
        {
            "id": np.arange(rows, dtype="int64"),
            "amount": amount,
            "city": rng.choice(["Lisbon", "Porto", "Faro", "=cmd"], rows),
            "age": rng.integers(18, 80, rows),
            "seen": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 86_400 * 365, rows), unit="s"),
        }
    )


async def stored_dataset(
    settings: Settings,
    frame: pd.DataFrame,
    name: str = "test",
    row_group_rows: int = 500,
) -> str:
    """Write ``frame`` as a stored dataset and record it; returns its id."""
    dataset_id = new_id()
    relative = Path("datasets") / f"{dataset_id}.parquet"
    path = settings.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, row_group_size=row_group_rows)
    columns = schema_of_arrow(table.schema)

    async with get_session_factory()() as session:
        session.add(
            DatasetSource(
                id=dataset_id,
                name=name,
                format="parquet",
                row_count=len(frame),
                column_count=len(columns),
                columns=[column.model_dump(mode="json") for column in columns],
                size_bytes=path.stat().st_size,
                storage_path=relative.as_posix(),
            )
        )
        await session.commit()
    return dataset_id
