"""The demo dataset: deterministic customer transactions with missing values."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.database.models import DatasetSource, new_id
from core.datasets.schemas import schema_of_arrow
from core.datasets.storage import ROW_GROUP_ROWS

DEMO_NAME = "demo"
DEMO_ROWS = 466_285
CITIES = [
    "Lisbon", "Porto", "Madrid", "Sevilla", "Lyon", "Paris", "Berlin", "Köln",
    "Milano", "Torino", "Wien", "Zürich", "Kraków", "Praha", "Gent",
]  # fmt: skip
SEGMENTS = ["consumer", "small business", "enterprise"]
CHANNELS = ["web", "store", "phone", "partner"]


def demo_chunk(start: int, rows: int, seed: int = 7) -> pd.DataFrame:
    """Rows ``start`` to ``start + rows``; the same call always gives the same rows."""
    rng = np.random.default_rng([seed, start])
    age = rng.integers(18, 90, rows).astype("float64")
    age[rng.random(rows) < 0.04] = np.nan
    income = np.round(rng.lognormal(10.4, 0.55, rows), 2)
    income[rng.random(rows) < 0.07] = np.nan
    city = np.array(CITIES, dtype=object)[rng.zipf(1.6, rows) % len(CITIES)]
    city[rng.random(rows) < 0.02] = None
    seconds = rng.integers(0, 10 * 365 * 24 * 3600, rows)
    signup = pd.Series(pd.Timestamp("2015-01-01") + pd.to_timedelta(seconds, unit="s"))
    signup = signup.where(rng.random(rows) >= 0.03)

    return pd.DataFrame(
        {
            "transaction_id": np.arange(start + 1, start + rows + 1, dtype="int64"),
            "customer_age": pd.array(age, dtype="Int64"),
            "income": income,
            "city": pd.array(city, dtype="string[pyarrow]"),
            "segment": np.array(SEGMENTS)[rng.choice(3, rows, p=[0.7, 0.22, 0.08])],
            "channel": np.array(CHANNELS)[rng.integers(0, len(CHANNELS), rows)],
            "purchase_amount": np.round(rng.gamma(2.0, 35.0, rows), 2),
            "items": rng.poisson(2.5, rows).astype("int64") + 1,
            "is_member": rng.random(rows) < 0.35,
            "signup_date": signup,
        }
    )


def write_demo(path: Path, rows: int = DEMO_ROWS) -> pa.Schema:
    """Write the demo dataset to ``path`` by row groups, atomically."""
    partial = path.with_name(f".{path.name}.partial")
    writer: pq.ParquetWriter | None = None
    try:
        for start in range(0, rows, ROW_GROUP_ROWS):
            count = min(ROW_GROUP_ROWS, rows - start)
            table = pa.Table.from_pandas(demo_chunk(start, count), preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(partial, table.schema)
            writer.write_table(table.cast(writer.schema))
        assert writer is not None
        writer.close()
        writer = None
        partial.replace(path)
    finally:
        if writer is not None:
            writer.close()
        partial.unlink(missing_ok=True)
    return pq.read_schema(path)


async def ensure_demo(
    session: AsyncSession, settings: Settings, rows: int = DEMO_ROWS
) -> tuple[DatasetSource, bool]:
    """The demo dataset and whether this call created it."""
    existing = await session.scalar(
        select(DatasetSource).where(DatasetSource.name == DEMO_NAME)
    )
    if existing is not None:
        return existing, False

    dataset_id = new_id()
    relative = Path("datasets") / f"{dataset_id}.parquet"
    path = settings.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = schema_of_arrow(write_demo(path, rows))
    dataset = DatasetSource(
        id=dataset_id,
        name=DEMO_NAME,
        format="parquet",
        row_count=rows,
        column_count=len(columns),
        columns=[column.model_dump(mode="json") for column in columns],
        size_bytes=path.stat().st_size,
        storage_path=relative.as_posix(),
    )
    session.add(dataset)
    await session.flush()
    return dataset, True
