"""The synchronous preview: the pipeline fitted and applied to the first rows."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import anyio
import pandas as pd
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.database.engine import after_commit
from core.database.models import DatasetSource, JobStatus
from core.datasets import service as datasets
from core.datasets import storage
from core.datasets.schemas import ColumnSchema
from core.executors.base import Executor
from core.feature_engineering import jobs, signals
from core.feature_engineering import steps as pipeline_steps
from core.feature_engineering.schemas import (
    ColumnSummary,
    FullExecutionSignal,
    PipelinePreviewRequest,
    PipelinePreviewResponse,
    StepWarning,
)
from core.feature_engineering.steps import Step
from core.feature_engineering.summaries import summarize

# Previews are CPU-bound pandas work in threads; two at a time keep the event
# loop responsive on a small machine.
_PREVIEW_LIMITER = anyio.CapacityLimiter(2)


@dataclass(frozen=True)
class ComputedPreview:
    sample_rows: int
    output_rows: int
    columns: list[ColumnSchema]
    rows: list[dict[str, Any]]
    summaries: list[ColumnSummary]
    warnings: list[StepWarning]


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):
        return _json_value(value.item())
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: nulls (NaN, NA, NaT) become None."""
    names = [str(name) for name in frame.columns]
    return [
        {name: _json_value(value) for name, value in zip(names, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def compute_preview(
    path: Path, sample_rows: int, steps: Sequence[Step], row_limit: int
) -> ComputedPreview:
    frame = storage.read_head(path, sample_rows)
    output, fitted = pipeline_steps.fit_transform(steps, frame)
    return ComputedPreview(
        sample_rows=len(frame),
        output_rows=len(output),
        columns=fitted.output_schema,
        rows=frame_records(output.head(row_limit)),
        summaries=summarize(output),
        warnings=[
            StepWarning.model_validate(w, from_attributes=True) for w in fitted.warnings
        ],
    )


def dataset_columns(dataset: DatasetSource) -> list[ColumnSchema]:
    return [ColumnSchema.model_validate(column) for column in dataset.columns]


async def start_full_execution(
    session: AsyncSession,
    executor: Executor,
    dataset: DatasetSource,
    steps: Sequence[Step],
) -> FullExecutionSignal:
    """The reusable job of this pipeline, or a new queued one the executor hears of."""
    job, created = await jobs.enqueue(session, dataset, steps)
    if created:
        after_commit(session, lambda: executor.job_queued(job.id))
    return await signals.job_signal(session, job)


async def _preview_signal(
    session: AsyncSession,
    settings: Settings,
    executor: Executor,
    dataset: DatasetSource,
    request: PipelinePreviewRequest,
) -> FullExecutionSignal:
    hash_ = jobs.pipeline_hash(request.steps)
    if dataset.row_count <= settings.preview_row_limit:
        return signals.jobless_signal(
            dataset, hash_, JobStatus.NOT_REQUIRED, "The preview covered every row"
        )
    if request.run_full_execution:
        return await start_full_execution(session, executor, dataset, request.steps)

    existing = await jobs.find_reusable(session, dataset.id, hash_)
    if existing is not None:
        return await signals.job_signal(session, existing)
    return signals.jobless_signal(
        dataset,
        hash_,
        JobStatus.DEFERRED,
        f"The preview covered {settings.preview_row_limit:,} of {dataset.row_count:,}"
        " rows; the full run was not requested",
    )


async def preview_pipeline(
    session: AsyncSession,
    settings: Settings,
    executor: Executor,
    request: PipelinePreviewRequest,
) -> PipelinePreviewResponse:
    dataset = await datasets.get_dataset(session, request.dataset_source_id)
    pipeline_steps.validate_steps(request.steps, dataset_columns(dataset))

    sample_rows = min(dataset.row_count, settings.preview_row_limit)
    computed = await anyio.to_thread.run_sync(
        compute_preview,
        datasets.readable_path(settings, dataset),
        sample_rows,
        request.steps,
        request.row_limit,
        limiter=_PREVIEW_LIMITER,
    )
    signal = await _preview_signal(session, settings, executor, dataset, request)

    return PipelinePreviewResponse(
        dataset_source_id=dataset.id,
        pipeline_hash=signal.pipeline_hash,
        total_rows=dataset.row_count,
        sample_rows=computed.sample_rows,
        output_rows=computed.output_rows,
        columns=computed.columns,
        rows=computed.rows,
        column_summaries=computed.summaries,
        warnings=computed.warnings,
        full_execution=signal,
    )
