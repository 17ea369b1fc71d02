"""Apply the migrations and create the demo dataset once."""

import argparse
import asyncio
import sys

from core.config import get_settings
from core.database import engine as database
from core.database.migrate import upgrade_database
from core.datasets.demo import DEMO_ROWS, ensure_demo


async def seed(rows: int) -> str:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    await asyncio.to_thread(upgrade_database, url)
    await database.init_db(url)
    try:
        async with database.get_session_factory()() as session:
            dataset, created = await ensure_demo(session, settings, rows)
            await session.commit()
    finally:
        await database.dispose_db()
    if created:
        print(f"created the demo dataset {dataset.id} ({rows:,} rows)", file=sys.stderr)
    return dataset.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=DEMO_ROWS)
    arguments = parser.parse_args(argv)
    asyncio.run(seed(arguments.rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
