"""HTTP routes of pipelines: preview and full-dataset execution jobs."""

import hashlib
import logging
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import FileResponse, StreamingResponse

from core.database.engine import after_commit
from core.database.models import JobStatus
from core.datasets import service as datasets
from core.dependencies import ExecutorDep, SessionDep, SettingsDep
from core.errors import (
    ConflictError,
    DatasetUnavailableError,
    InvalidStepError,
    NotFoundError,
    error_responses,
)
from core.feature_engineering import jobs, preview, results, signals
from core.feature_engineering import steps as pipeline_steps
from core.feature_engineering.schemas import (
    FullExecutionRequest,
    FullExecutionSignal,
    PipelinePreviewRequest,
    PipelinePreviewResponse,
)

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/pipelines", tags=["pipelines"])


def _etag(body: bytes) -> str:
    digest = hashlib.sha1(body, usedforsecurity=False)
    return f'W/"{digest.hexdigest()}"'


@router.post(
    "/preview",
    name="preview",
    responses=error_responses(NotFoundError, InvalidStepError, DatasetUnavailableError),
)
async def preview_pipeline(
    session: SessionDep,
    settings: SettingsDep,
    executor: ExecutorDep,
    request: PipelinePreviewRequest,
) -> PipelinePreviewResponse:
    """Run the steps on the first rows; start the full run of a large dataset."""
    return await preview.preview_pipeline(session, settings, executor, request)


@router.get(
    "/{dataset_source_id}/full-execution",
    name="list_full_executions",
    responses=error_responses(NotFoundError),
)
async def list_full_executions(
    session: SessionDep, dataset_source_id: str
) -> list[FullExecutionSignal]:
    """The dataset's full runs, newest first."""
    await datasets.get_dataset(session, dataset_source_id)
    return [
        await signals.job_signal(session, job)
        for job in await jobs.list_jobs(session, dataset_source_id)
    ]


@router.post(
    "/{dataset_source_id}/full-execution",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(NotFoundError, InvalidStepError),
)
async def start_full_execution(
    session: SessionDep,
    executor: ExecutorDep,
    dataset_source_id: str,
    request: FullExecutionRequest,
) -> FullExecutionSignal:
    """Start the full run of a pipeline, or return its queued, running or done job."""
    dataset = await datasets.get_dataset(session, dataset_source_id)
    pipeline_steps.validate_steps(request.steps, preview.dataset_columns(dataset))
    return await preview.start_full_execution(session, executor, dataset, request.steps)


@router.get(
    "/{dataset_source_id}/full-execution/{job_id}",
    name="read_full_execution",
    response_model=FullExecutionSignal,
    responses={304: {"description": "Not modified"}, **error_responses(NotFoundError)},
)
async def get_full_execution(
    session: SessionDep,
    dataset_source_id: str,
    job_id: str,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Where a full run stands; ``Retry-After`` says when to ask again."""
    job = await jobs.get_job(session, dataset_source_id, job_id)
    signal = await signals.job_signal(session, job)

    # The hottest route: serialised once, and the same bytes give the ETag.
    body = signal.model_dump_json().encode()
    headers = {"ETag": _etag(body), "Cache-Control": "no-cache"}
    if signal.poll_after_seconds is not None:
        headers["Retry-After"] = str(max(1, round(signal.poll_after_seconds)))
    if if_none_match is not None and if_none_match == headers["ETag"]:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.post(
    "/{dataset_source_id}/full-execution/{job_id}/cancel",
    responses=error_responses(NotFoundError, ConflictError),
)
async def cancel_full_execution(
    session: SessionDep, executor: ExecutorDep, dataset_source_id: str, job_id: str
) -> FullExecutionSignal:
    """Cancel a queued job at once, or stop a running one at its next chunk."""
    job = await jobs.get_job(session, dataset_source_id, job_id)
    job = await jobs.request_cancel(session, job)
    if job.status == JobStatus.RUNNING.value:
        after_commit(session, lambda: executor.cancel_requested(job_id))
    return await signals.job_signal(session, job)


@router.get(
    "/{dataset_source_id}/full-execution/{job_id}/result",
    name="download_result",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/vnd.apache.parquet": {},
                "text/csv": {},
            },
            "description": "The output file",
        },
        **error_responses(NotFoundError, ConflictError),
    },
)
async def download_full_execution_result(
    session: SessionDep,
    settings: SettingsDep,
    dataset_source_id: str,
    job_id: str,
    format: Annotated[Literal["parquet", "csv"], Query()] = "parquet",
) -> Response:
    """The output of a succeeded job."""
    job = await jobs.get_job(session, dataset_source_id, job_id)
    if job.status != JobStatus.SUCCEEDED.value or not job.result_path:
        raise ConflictError(
            f"Job {job_id} is {job.status}; only a succeeded job has a result"
        )
    path = settings.data_dir / job.result_path
    if not path.is_file():
        raise NotFoundError(f"The result file of job {job_id} is missing")

    filename = f"{job_id}.{format}"
    if format == "parquet":
        return FileResponse(
            path, media_type="application/vnd.apache.parquet", filename=filename
        )
    return StreamingResponse(
        results.iter_csv(path),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
