"""Fixtures: real SQLite files and PostgreSQL databases, the app and its executor."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from core.app import create_app
from core.config import Settings
from core.database import engine as database
from core.database.migrate import upgrade_database

API = "http://testserver/ml-workflow/api"
TERMINAL = {"succeeded", "failed", "cancelled"}
POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        preview_row_limit=1_000,
        job_chunk_rows=500,
        dispatcher_poll_seconds=0.2,
        max_concurrent_jobs=2,
        static_dir=None,
    )


async def _postgres_database() -> str | None:
    """A new, empty PostgreSQL database on the local server, or None if none runs."""
    name = f"ml_workflow_test_{uuid.uuid4().hex[:12]}"
    try:
        connection = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return None
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def _drop_postgres_database(name: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@asynccontextmanager
async def _new_postgres_url() -> AsyncIterator[str]:
    name = await _postgres_database()
    if name is None:
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        await _drop_postgres_database(name)


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """The URL of a new PostgreSQL database, dropped after the test."""
    async with _new_postgres_url() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[str]:
    """A migrated database (a SQLite file, then a PostgreSQL database) and an
    initialised engine, without the app; yields the backend's name."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    async with AsyncExitStack() as stack:
        url = settings.resolved_database_url
        if request.param == "postgresql":
            url = await stack.enter_async_context(_new_postgres_url())
        await asyncio.to_thread(upgrade_database, url)
        await database.init_db(url)
        yield request.param
        await database.dispose_db()


@pytest.fixture
async def sqlite_db(settings: Settings) -> AsyncIterator[None]:
    """The SQLite file of the data directory, migrated, for a server to start on."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    await asyncio.to_thread(upgrade_database, url)
    await database.init_db(url)
    yield
    await database.dispose_db()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API) as http:
        yield http


async def wait_until(
    client: httpx.AsyncClient,
    dataset_id: str,
    job_id: str,
    predicate: Callable[[dict[str, Any]], bool],
    seconds: float = 60,
) -> dict[str, Any]:
    """Poll the job until ``predicate`` holds for its signal; fails on timeout."""
    deadline = time.monotonic() + seconds
    while True:
        response = await client.get(f"/pipelines/{dataset_id}/full-execution/{job_id}")
        assert response.status_code == 200, response.text
        signal: dict[str, Any] = response.json()
        if predicate(signal):
            return signal
        if time.monotonic() > deadline:
            pytest.fail(f"job stayed {signal['job_status']}: {signal}")
        await asyncio.sleep(0.05)


async def wait_for_job(
    client: httpx.AsyncClient,
    dataset_id: str,
    job_id: str,
    statuses: set[str] = TERMINAL,
    seconds: float = 60,
) -> dict[str, Any]:
    """Poll the job until its status is one of ``statuses``."""
    return await wait_until(
        client, dataset_id, job_id, lambda s: s["job_status"] in statuses, seconds
    )
