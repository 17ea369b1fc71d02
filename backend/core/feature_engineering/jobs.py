"""The lifecycle of a full-execution job, shared by every executor.

The job row is the source of truth. Every change is one conditional UPDATE, so
two workers can never both own a job: a claim only takes a ``queued`` row, and
progress, heartbeats and finishes only touch a row the caller still owns
(``status = 'running'`` and its ``worker_id``). Callers commit.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.database.engine import after_commit
from core.database.models import (
    REUSABLE_STATUSES,
    DatasetSource,
    FullExecutionJob,
    JobStatus,
    utcnow,
)
from core.errors import ConflictError, NotFoundError
from core.feature_engineering.steps import Step

# State changes keep the logger name that operators of the replaced system filter on.
logger = logging.getLogger("core.feature_engineering.routes")

Job = FullExecutionJob


@dataclass(frozen=True)
class ClaimedJob:
    """What a worker needs to run a job it has claimed; never an ORM object."""

    id: str
    dataset_source_id: str
    steps: list[dict[str, Any]]
    dataset_path: str
    attempt: int
    total_rows: int
    previous_reason: str | None = None  # why the previous attempt ended, if any


def steps_payload(steps: Sequence[Step]) -> list[dict[str, Any]]:
    return [step.model_dump(mode="json") for step in steps]


def pipeline_hash(steps: Sequence[Step]) -> str:
    """A stable hash of the pipeline with its defaults filled in."""
    canonical = json.dumps(steps_payload(steps), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def log_state(
    session: AsyncSession,
    job_id: str,
    dataset_source_id: str,
    status: str,
    **fields: Any,
) -> None:
    """Log a state change once, when the change has committed."""
    extra = {
        "job_id": job_id,
        "dataset_source_id": dataset_source_id,
        "status": status,
        **fields,
    }
    after_commit(
        session, lambda: logger.info("full execution job state changed", extra=extra)
    )


def _is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


async def find_reusable(
    session: AsyncSession, dataset_source_id: str, hash_: str
) -> Job | None:
    query = select(Job).where(
        Job.dataset_source_id == dataset_source_id,
        Job.pipeline_hash == hash_,
        Job.status.in_([status.value for status in REUSABLE_STATUSES]),
    )
    return await session.scalar(query)


async def enqueue(
    session: AsyncSession,
    dataset: DatasetSource,
    steps: Sequence[Step],
) -> tuple[Job, bool]:
    """The queued, running or succeeded job of this pipeline, or a new queued one.

    Returns the job and whether it was created. Concurrent identical requests
    race on a partial unique index; the losers read the winner's row.
    """
    hash_ = pipeline_hash(steps)
    existing = await find_reusable(session, dataset.id, hash_)
    if existing is not None:
        return existing, False

    job = Job(
        dataset_source_id=dataset.id,
        pipeline_hash=hash_,
        steps=steps_payload(steps),
        status=JobStatus.QUEUED.value,
        total_rows=dataset.row_count,
    )
    try:
        async with session.begin_nested():
            session.add(job)
    except IntegrityError:
        winner = await find_reusable(session, dataset.id, hash_)
        if winner is None:
            raise
        return winner, False

    log_state(session, job.id, dataset.id, JobStatus.QUEUED.value, attempt=job.attempt)
    return job, True


async def get_job(session: AsyncSession, dataset_source_id: str, job_id: str) -> Job:
    job = await session.get(Job, job_id, populate_existing=True)
    if job is None or job.dataset_source_id != dataset_source_id:
        raise NotFoundError(
            f"Job {job_id} does not exist for dataset {dataset_source_id}"
        )
    return job


async def list_jobs(session: AsyncSession, dataset_source_id: str) -> list[Job]:
    query = (
        select(Job)
        .where(Job.dataset_source_id == dataset_source_id)
        .order_by(Job.created_at.desc(), Job.id)
    )
    return list((await session.scalars(query)).all())


async def jobs_ahead(session: AsyncSession, job: Job) -> int:
    """How many queued jobs were accepted before this one."""
    query = (
        select(func.count())
        .select_from(Job)
        .where(Job.status == JobStatus.QUEUED.value, Job.created_at < job.created_at)
    )
    return int(await session.scalar(query) or 0)


async def claim_next(
    session: AsyncSession, worker_id: str, dataset_paths: Callable[[str], str]
) -> ClaimedJob | None:
    """Take the oldest queued job, atomically, and mark it running for this worker."""
    candidate = (
        select(Job.id)
        .where(Job.status == JobStatus.QUEUED.value)
        .order_by(Job.created_at, Job.id)
        .limit(1)
    )
    if not _is_sqlite(session):
        candidate = candidate.with_for_update(skip_locked=True)

    now = utcnow()
    statement = (
        update(Job)
        .where(
            Job.id == candidate.scalar_subquery(), Job.status == JobStatus.QUEUED.value
        )
        .values(
            status=JobStatus.RUNNING.value,
            worker_id=worker_id,
            started_at=now,
            heartbeat_at=now,
            updated_at=now,
            processed_rows=0,
            output_rows=0,
        )
        .returning(
            Job.id,
            Job.dataset_source_id,
            Job.steps,
            Job.attempt,
            Job.total_rows,
            Job.reason,
        )
    )
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        return None

    # The foreign key keeps a job's dataset for as long as the job exists.
    dataset = await session.get_one(DatasetSource, row.dataset_source_id)
    log_state(session, row.id, row.dataset_source_id, "running", worker_id=worker_id)
    return ClaimedJob(
        id=row.id,
        dataset_source_id=row.dataset_source_id,
        steps=row.steps,
        dataset_path=dataset_paths(dataset.storage_path),
        attempt=row.attempt,
        total_rows=row.total_rows,
        previous_reason=row.reason,
    )


async def _changed_one(session: AsyncSession, statement: Any) -> bool:
    """Run a conditional UPDATE; whether it changed exactly one row."""
    result = await session.execute(statement)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _owned(job_id: str, worker_id: str) -> Any:
    return (
        (Job.id == job_id)
        & (Job.status == JobStatus.RUNNING.value)
        & (Job.worker_id == worker_id)
    )


@dataclass(frozen=True)
class HeartbeatAnswer:
    owned: bool
    cancel_requested: bool


async def heartbeat(
    session: AsyncSession,
    job_id: str,
    worker_id: str,
    processed_rows: int,
    output_rows: int,
    reason: str | None = None,
) -> HeartbeatAnswer:
    """Record progress; tells whether the worker still owns the job and must stop."""
    now = utcnow()
    values: dict[str, Any] = {
        "heartbeat_at": now,
        "updated_at": now,
        "processed_rows": processed_rows,
        "output_rows": output_rows,
    }
    if reason is not None:
        values["reason"] = reason
    statement = (
        update(Job)
        .where(_owned(job_id, worker_id))
        .values(**values)
        .returning(Job.cancel_requested_at)
    )
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        return HeartbeatAnswer(owned=False, cancel_requested=False)
    return HeartbeatAnswer(owned=True, cancel_requested=row[0] is not None)


async def _finish(
    session: AsyncSession, job_id: str, worker_id: str, status: JobStatus, **values: Any
) -> bool:
    now = utcnow()
    statement = (
        update(Job)
        .where(_owned(job_id, worker_id))
        .values(status=status.value, finished_at=now, updated_at=now, **values)
        .returning(Job.dataset_source_id, Job.attempt)
    )
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        return False
    log_state(session, job_id, row.dataset_source_id, status.value, attempt=row.attempt)
    return True


async def finish_succeeded(
    session: AsyncSession,
    job_id: str,
    worker_id: str,
    *,
    processed_rows: int,
    output_rows: int,
    result_path: str,
    result_columns: list[dict[str, str]],
) -> bool:
    return await _finish(
        session,
        job_id,
        worker_id,
        JobStatus.SUCCEEDED,
        processed_rows=processed_rows,
        output_rows=output_rows,
        result_path=result_path,
        result_row_count=output_rows,
        result_columns=result_columns,
        reason=None,
    )


async def finish_failed(
    session: AsyncSession, job_id: str, worker_id: str, *, code: str, message: str
) -> bool:
    return await _finish(
        session,
        job_id,
        worker_id,
        JobStatus.FAILED,
        reason=message,
        error_code=code,
        error_message=message,
    )


async def finish_cancelled(session: AsyncSession, job_id: str, worker_id: str) -> bool:
    return await _finish(
        session,
        job_id,
        worker_id,
        JobStatus.CANCELLED,
        reason="Cancelled at the user's request while running",
    )


async def release(
    session: AsyncSession,
    job_id: str,
    worker_id: str | None,
    *,
    reason: str,
    max_attempts: int | None,
    code: str = "worker_lost",
) -> JobStatus | None:
    """Give a running job back to the queue as its next attempt, or fail it.

    ``max_attempts=None`` requeues whatever the count (a graceful shutdown costs
    the job nothing). Returns the new status, or None if the job was not running
    (for this worker, when one is given).
    """
    condition = (Job.id == job_id) & (Job.status == JobStatus.RUNNING.value)
    if worker_id is not None:
        condition = condition & (Job.worker_id == worker_id)
    job = await session.scalar(select(Job).where(condition))
    if job is None:
        return None

    now = utcnow()
    if max_attempts is not None and job.attempt >= max_attempts:
        message = f"{reason}; gave up after {job.attempt} attempts"
        values: dict[str, Any] = {
            "status": JobStatus.FAILED.value,
            "finished_at": now,
            "reason": message,
            "error_code": code,
            "error_message": message,
        }
        new_status = JobStatus.FAILED
    else:
        values = {
            "status": JobStatus.QUEUED.value,
            "attempt": job.attempt + 1,
            "reason": f"Attempt {job.attempt} ended: {reason}",
            "worker_id": None,
            "heartbeat_at": None,
            "started_at": None,
            "processed_rows": 0,
            "output_rows": 0,
        }
        new_status = JobStatus.QUEUED

    if not await _changed_one(
        session, update(Job).where(condition).values(updated_at=now, **values)
    ):
        return None
    log_state(
        session,
        job_id,
        job.dataset_source_id,
        new_status.value,
        attempt=values.get("attempt"),
    )
    return new_status


async def reap_stale(
    session: AsyncSession, timeout_seconds: float, max_attempts: int
) -> list[str]:
    """Requeue (or fail) running jobs whose heartbeat is older than the timeout."""
    cutoff = utcnow() - timedelta(seconds=timeout_seconds)
    stale = (
        await session.scalars(
            select(Job.id).where(
                Job.status == JobStatus.RUNNING.value, Job.heartbeat_at < cutoff
            )
        )
    ).all()
    reaped = []
    for job_id in stale:
        status = await release(
            session,
            job_id,
            None,
            reason=f"No heartbeat for more than {timeout_seconds:g} s",
            max_attempts=max_attempts,
        )
        if status is not None:
            reaped.append(job_id)
    return reaped


async def running_worker_ids(session: AsyncSession) -> dict[str, str | None]:
    query = select(Job.id, Job.worker_id).where(Job.status == JobStatus.RUNNING.value)
    return {row.id: row.worker_id for row in (await session.execute(query)).all()}


async def request_cancel(session: AsyncSession, job: Job) -> Job:
    """Cancel a queued job now; ask a running one to stop at its next chunk.

    Each change is conditional on the row's status at that moment, not on the
    status read earlier, so a job claimed (or requeued) meanwhile is still caught.
    """
    now = utcnow()
    cancel_queued = (
        update(Job)
        .where(Job.id == job.id, Job.status == JobStatus.QUEUED.value)
        .values(
            status=JobStatus.CANCELLED.value,
            finished_at=now,
            updated_at=now,
            cancel_requested_at=now,
            reason="Cancelled at the user's request before it started",
        )
    )
    flag_running = (
        update(Job)
        .where(Job.id == job.id, Job.status == JobStatus.RUNNING.value)
        .values(
            cancel_requested_at=now,
            updated_at=now,
            reason="Cancellation requested; stopping at the next chunk",
        )
    )

    # Two rounds: a running job may be requeued between the two updates.
    for _ in range(2):
        if await _changed_one(session, cancel_queued):
            log_state(session, job.id, job.dataset_source_id, JobStatus.CANCELLED.value)
            break
        if await _changed_one(session, flag_running):
            break
    else:
        await session.refresh(job)
        raise ConflictError(f"Job {job.id} is already {job.status}")

    await session.refresh(job)
    return job
