"""The local executor with real worker processes: crashes, cancels, capacity."""

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from core.app import create_app
from core.config import Settings
from core.executors.local import LocalExecutor, describe_exit
from tests.conftest import API, wait_for_job, wait_until
from tests.factories import sample_frame, stored_dataset


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Small chunks make a run last long enough to act on it mid-way.
    return settings.model_copy(
        update={"job_chunk_rows": 200, "max_concurrent_jobs": 1, "job_max_attempts": 2}
    )


def _executor(app: FastAPI) -> LocalExecutor:
    executor: LocalExecutor = app.state.executor
    return executor


async def _worker_pid(executor: LocalExecutor, job_id: str) -> int:
    """The pid of the job's worker process, once it has started."""
    for _ in range(200):
        pid = executor.worker_pids().get(job_id)
        if pid is not None:
            return pid
        await asyncio.sleep(0.05)
    pytest.fail("the job's worker process never started")


async def _start(
    client: httpx.AsyncClient, dataset_id: str, steps: list[dict[str, Any]]
) -> str:
    response = await client.post(
        f"/pipelines/{dataset_id}/full-execution", json={"steps": steps}
    )
    assert response.status_code == 202, response.text
    job_id: str = response.json()["job_id"]
    return job_id


async def test_killed_worker_fails_the_attempt_and_the_job_retries(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    dataset_id = await stored_dataset(
        settings, sample_frame(200_000), row_group_rows=200
    )
    job_id = await _start(client, dataset_id, [])
    await wait_for_job(client, dataset_id, job_id, {"running"})
    pid = await _worker_pid(_executor(app), job_id)

    os.kill(pid, signal.SIGKILL)
    requeued = await wait_until(client, dataset_id, job_id, lambda s: s["attempt"] == 2)

    assert requeued["attempt"] == 2
    assert "killed by signal 9" in requeued["reason"]
    done = await wait_for_job(client, dataset_id, job_id, seconds=120)
    assert done["job_status"] == "succeeded"
    assert done["attempt"] == 2
    assert [p.name for p in settings.results_dir.iterdir()] == [f"{job_id}.parquet"]


async def test_running_job_is_cancelled_at_a_chunk_boundary(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    dataset_id = await stored_dataset(
        settings, sample_frame(200_000), row_group_rows=200
    )
    job_id = await _start(client, dataset_id, [])
    await wait_for_job(client, dataset_id, job_id, {"running"})

    response = await client.post(
        f"/pipelines/{dataset_id}/full-execution/{job_id}/cancel"
    )
    assert response.status_code == 200
    done = await wait_for_job(client, dataset_id, job_id, seconds=10)

    assert done["job_status"] == "cancelled"
    assert not list(settings.results_dir.glob(f"*{job_id}*"))
    again = await client.post(f"/pipelines/{dataset_id}/full-execution/{job_id}/cancel")
    assert again.status_code == 409


async def test_job_waiting_for_a_slot_stays_queued_and_says_its_place(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    dataset_id = await stored_dataset(
        settings, sample_frame(100_000), row_group_rows=200
    )
    first = await _start(client, dataset_id, [])
    second = await _start(
        client, dataset_id, [{"type": "drop_columns", "columns": ["seen"]}]
    )
    third = await _start(
        client, dataset_id, [{"type": "drop_columns", "columns": ["age"]}]
    )
    await wait_for_job(client, dataset_id, first, {"running"})

    waiting = (
        await client.get(f"/pipelines/{dataset_id}/full-execution/{third}")
    ).json()

    assert waiting["job_status"] == "queued"
    assert "1 job ahead" in waiting["reason"]
    for job_id in (first, second, third):
        done = await wait_for_job(client, dataset_id, job_id, seconds=120)
        assert done["job_status"] == "succeeded"


def test_exit_descriptions_name_the_signal() -> None:
    assert describe_exit(-9) == (
        "The worker process was killed by signal 9 (SIGKILL); "
        "the dataset may not fit in memory"
    )
    assert "code 3" in describe_exit(3)


async def test_job_running_past_the_time_limit_fails_with_a_reason(
    settings: Settings, tmp_path: Path
) -> None:
    limited = settings.model_copy(update={"job_timeout_seconds": 0.5})
    app = create_app(limited)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=API) as client:
            dataset_id = await stored_dataset(
                limited, sample_frame(200_000), row_group_rows=200
            )
            job_id = await _start(client, dataset_id, [])
            done = await wait_for_job(client, dataset_id, job_id, seconds=30)

    assert done["job_status"] == "failed"
    assert done["error"]["code"] == "job_timeout"
    assert done["reason"] == "The run took longer than 0.5 s"
    assert not list(limited.results_dir.glob("*"))


async def test_twenty_identical_requests_at_once_make_one_job(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    dataset_id = await stored_dataset(settings, sample_frame(5_000))
    steps = [{"type": "drop_columns", "columns": ["city"]}]

    job_ids = await asyncio.gather(
        *(_start(client, dataset_id, steps) for _ in range(20))
    )

    assert len(set(job_ids)) == 1
    listed = (await client.get(f"/pipelines/{dataset_id}/full-execution")).json()
    assert [job["job_id"] for job in listed] == [job_ids[0]]
