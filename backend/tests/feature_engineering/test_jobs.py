"""The job lifecycle against a real SQLite file: claims, heartbeats, reaping."""

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy import update

from core.config import Settings
from core.database.engine import get_session_factory
from core.database.models import DatasetSource, FullExecutionJob, JobStatus, utcnow
from core.errors import ConflictError
from core.feature_engineering import jobs
from core.feature_engineering.steps import DropColumnsStep, StandardScaleStep, Step
from tests.factories import sample_frame, stored_dataset

pytestmark = pytest.mark.usefixtures("db")

STEPS: list[Step] = [StandardScaleStep(columns=["amount"])]


async def _dataset(settings: Settings) -> DatasetSource:
    dataset_id = await stored_dataset(settings, sample_frame(50))
    async with get_session_factory()() as session:
        dataset = await session.get(DatasetSource, dataset_id)
        assert dataset is not None
        return dataset


async def _enqueue(dataset: DatasetSource, steps: Sequence[Step] = STEPS) -> str:
    async with get_session_factory()() as session:
        job, _ = await jobs.enqueue(session, dataset, steps)
        await session.commit()
        return job.id


async def _claim(worker: str = "worker-a") -> jobs.ClaimedJob | None:
    async with get_session_factory()() as session:
        claimed = await jobs.claim_next(session, worker, lambda path: path)
        await session.commit()
        return claimed


async def _job(job_id: str) -> FullExecutionJob:
    async with get_session_factory()() as session:
        job = await session.get(FullExecutionJob, job_id)
        assert job is not None
        return job


class TestEnqueue:
    async def test_same_pipeline_returns_the_existing_job(
        self, settings: Settings
    ) -> None:
        dataset = await _dataset(settings)

        first = await _enqueue(dataset)
        second = await _enqueue(dataset)

        assert first == second

    async def test_twenty_concurrent_requests_make_one_job(
        self, settings: Settings
    ) -> None:
        dataset = await _dataset(settings)

        ids = await asyncio.gather(*(_enqueue(dataset) for _ in range(20)))

        assert len(set(ids)) == 1

    async def test_failed_job_is_replaced_when_asked_again(
        self, settings: Settings
    ) -> None:
        dataset = await _dataset(settings)
        job_id = await _enqueue(dataset)
        claimed = await _claim()
        assert claimed is not None
        async with get_session_factory()() as session:
            await jobs.finish_failed(
                session, job_id, "worker-a", code="x", message="boom"
            )
            await session.commit()

        retried = await _enqueue(dataset)

        assert retried != job_id
        assert (await _job(retried)).status == JobStatus.QUEUED.value

    async def test_state_change_is_logged_with_its_fields(
        self, settings: Settings, caplog: pytest.LogCaptureFixture
    ) -> None:
        dataset = await _dataset(settings)

        with caplog.at_level(logging.INFO, logger="core.feature_engineering.routes"):
            job_id = await _enqueue(dataset)

        records = [
            r for r in caplog.records if r.name == "core.feature_engineering.routes"
        ]
        assert [r.getMessage() for r in records] == ["full execution job state changed"]
        assert records[0].__dict__["job_id"] == job_id
        assert records[0].__dict__["dataset_source_id"] == dataset.id
        assert records[0].__dict__["status"] == "queued"


class TestClaim:
    async def test_oldest_queued_job_is_claimed_and_marked_running(
        self, settings: Settings
    ) -> None:
        dataset = await _dataset(settings)
        first = await _enqueue(dataset)
        await _enqueue(dataset, [DropColumnsStep(columns=["city"])])

        claimed = await _claim()

        assert claimed is not None
        assert claimed.id == first
        job = await _job(first)
        assert job.status == JobStatus.RUNNING.value
        assert job.worker_id == "worker-a"
        assert job.started_at is not None
        assert job.heartbeat_at is not None

    async def test_concurrent_claims_take_a_job_once(self, settings: Settings) -> None:
        dataset = await _dataset(settings)
        await _enqueue(dataset)

        results = await asyncio.gather(*(_claim(f"worker-{n}") for n in range(8)))

        assert len([r for r in results if r is not None]) == 1

    async def test_nothing_to_claim_returns_none(self) -> None:
        assert await _claim() is None


class TestHeartbeat:
    async def test_owner_records_progress(self, settings: Settings) -> None:
        job_id = await _enqueue(await _dataset(settings))
        await _claim()

        async with get_session_factory()() as session:
            answer = await jobs.heartbeat(session, job_id, "worker-a", 30, 20)
            await session.commit()

        assert answer.owned
        assert not answer.cancel_requested
        job = await _job(job_id)
        assert (job.processed_rows, job.output_rows) == (30, 20)

    async def test_another_worker_cannot_touch_the_job(
        self, settings: Settings
    ) -> None:
        job_id = await _enqueue(await _dataset(settings))
        await _claim()

        async with get_session_factory()() as session:
            answer = await jobs.heartbeat(session, job_id, "worker-b", 30, 20)
            finished = await jobs.finish_succeeded(
                session,
                job_id,
                "worker-b",
                processed_rows=1,
                output_rows=1,
                result_path="x",
                result_columns=[],
            )
            await session.commit()

        assert not answer.owned
        assert not finished
        assert (await _job(job_id)).status == JobStatus.RUNNING.value

    async def test_cancel_request_reaches_the_worker(self, settings: Settings) -> None:
        job_id = await _enqueue(await _dataset(settings))
        await _claim()
        async with get_session_factory()() as session:
            await jobs.request_cancel(
                session, await session.get_one(FullExecutionJob, job_id)
            )
            await session.commit()

        async with get_session_factory()() as session:
            answer = await jobs.heartbeat(session, job_id, "worker-a", 1, 1)

        assert answer.cancel_requested


class TestReaper:
    async def _make_stale(self, job_id: str) -> None:
        async with get_session_factory()() as session:
            await session.execute(
                update(FullExecutionJob)
                .where(FullExecutionJob.id == job_id)
                .values(heartbeat_at=utcnow() - timedelta(seconds=120))
            )
            await session.commit()

    async def _reap(self, max_attempts: int = 3) -> list[str]:
        async with get_session_factory()() as session:
            reaped = await jobs.reap_stale(session, 30, max_attempts)
            await session.commit()
            return reaped

    async def test_running_job_with_stale_heartbeat_is_requeued(
        self, settings: Settings
    ) -> None:
        job_id = await _enqueue(await _dataset(settings))
        await _claim()
        await self._make_stale(job_id)

        assert await self._reap() == [job_id]

        job = await _job(job_id)
        assert job.status == JobStatus.QUEUED.value
        assert job.attempt == 2
        assert job.worker_id is None
        assert "No heartbeat" in (job.reason or "")

    async def test_fresh_heartbeat_is_left_alone(self, settings: Settings) -> None:
        await _enqueue(await _dataset(settings))
        await _claim()

        assert await self._reap() == []

    async def test_job_fails_after_its_last_attempt(self, settings: Settings) -> None:
        job_id = await _enqueue(await _dataset(settings))
        for _ in range(2):
            await _claim()
            await self._make_stale(job_id)
            await self._reap(max_attempts=2)

        job = await _job(job_id)
        assert job.status == JobStatus.FAILED.value
        assert job.error_code == "worker_lost"
        assert "gave up after 2 attempts" in (job.reason or "")


class TestCancel:
    async def test_queued_job_is_cancelled_at_once(self, settings: Settings) -> None:
        job_id = await _enqueue(await _dataset(settings))

        async with get_session_factory()() as session:
            job = await jobs.request_cancel(
                session, await session.get_one(FullExecutionJob, job_id)
            )
            await session.commit()

        assert job.status == JobStatus.CANCELLED.value
        assert job.finished_at is not None

    async def test_job_claimed_after_it_was_read_is_still_asked_to_stop(
        self, settings: Settings
    ) -> None:
        job_id = await _enqueue(await _dataset(settings))
        async with get_session_factory()() as session:
            stale = await session.get_one(FullExecutionJob, job_id)
            assert stale.status == JobStatus.QUEUED.value
            await _claim()

            job = await jobs.request_cancel(session, stale)
            await session.commit()

        assert job.status == JobStatus.RUNNING.value
        assert (await _job(job_id)).cancel_requested_at is not None

    async def test_terminal_job_cannot_be_cancelled(self, settings: Settings) -> None:
        job_id = await _enqueue(await _dataset(settings))
        async with get_session_factory()() as session:
            await jobs.request_cancel(
                session, await session.get_one(FullExecutionJob, job_id)
            )
            await session.commit()

        async with get_session_factory()() as session:
            job = await session.get_one(FullExecutionJob, job_id)
            with pytest.raises(ConflictError):
                await jobs.request_cancel(session, job)
