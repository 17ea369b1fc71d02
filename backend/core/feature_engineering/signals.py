"""Turning job rows into the ``FullExecutionSignal`` clients poll."""

from sqlalchemy.ext.asyncio import AsyncSession

from core.database.models import DatasetSource, FullExecutionJob, JobStatus
from core.datasets.schemas import ColumnSchema
from core.feature_engineering import jobs
from core.feature_engineering.schemas import FullExecutionSignal, JobError, JobResult

API_PREFIX = "/ml-workflow/api"
QUEUED_POLL_SECONDS = 1.0
RUNNING_POLL_SECONDS = 1.0


def result_url(job: FullExecutionJob) -> str:
    return (
        f"{API_PREFIX}/pipelines/{job.dataset_source_id}/full-execution/{job.id}/result"
    )


def _queued_reason(ahead: int) -> str:
    if ahead == 0:
        return "Next in line for a worker"
    noun = "job" if ahead == 1 else "jobs"
    return f"Waiting for a free worker slot; {ahead} {noun} ahead"


async def job_signal(
    session: AsyncSession, job: FullExecutionJob
) -> FullExecutionSignal:
    status = JobStatus(job.status)
    reason = job.reason
    if status is JobStatus.QUEUED:
        waiting = _queued_reason(await jobs.jobs_ahead(session, job))
        reason = f"{reason}. {waiting}" if reason else waiting

    result = None
    if status is JobStatus.SUCCEEDED and job.result_columns is not None:
        result = JobResult(
            row_count=job.result_row_count or 0,
            column_count=len(job.result_columns),
            columns=[ColumnSchema.model_validate(c) for c in job.result_columns],
            download_url=result_url(job),
        )
    error = None
    if status is JobStatus.FAILED:
        error = JobError(
            code=job.error_code or "failed", message=job.error_message or reason or ""
        )

    poll = None
    if status is JobStatus.QUEUED:
        poll = QUEUED_POLL_SECONDS
    elif status is JobStatus.RUNNING:
        poll = RUNNING_POLL_SECONDS

    return FullExecutionSignal(
        job_id=job.id,
        dataset_source_id=job.dataset_source_id,
        job_status=status,
        reason=reason,
        poll_after_seconds=poll,
        total_rows=job.total_rows,
        processed_rows=job.processed_rows,
        output_rows=job.output_rows,
        attempt=job.attempt,
        pipeline_hash=job.pipeline_hash,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        updated_at=job.updated_at,
        result=result,
        error=error,
    )


def jobless_signal(
    dataset: DatasetSource, pipeline_hash: str, status: JobStatus, reason: str
) -> FullExecutionSignal:
    """The signal when no job exists: the preview covered everything, or deferred."""
    covered = dataset.row_count if status is JobStatus.NOT_REQUIRED else 0
    return FullExecutionSignal(
        job_id=None,
        dataset_source_id=dataset.id,
        job_status=status,
        reason=reason,
        total_rows=dataset.row_count,
        processed_rows=covered,
        pipeline_hash=pipeline_hash,
    )
