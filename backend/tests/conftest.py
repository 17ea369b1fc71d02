"""Fixtures: a real SQLite file per test, the real app with its local executor."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from core.app import create_app
from core.config import Settings
from core.database import engine as database
from core.database.migrate import upgrade_database

API = "http://testserver/ml-workflow/api"
TERMINAL = {"succeeded", "failed", "cancelled"}


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


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[None]:
    """A migrated SQLite file and an initialised engine, without the app."""
    url = settings.resolved_database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
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
