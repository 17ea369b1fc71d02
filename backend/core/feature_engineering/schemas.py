"""Request and response shapes of the pipeline preview and full-execution routes."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from core.database.models import JobStatus
from core.datasets.schemas import ColumnSchema
from core.feature_engineering.steps import MAX_STEPS, Step
from core.schemas import ApiModel

Steps = Annotated[list[Step], Field(max_length=MAX_STEPS)]


class PipelinePreviewRequest(ApiModel):
    dataset_source_id: str
    steps: Steps = Field(default_factory=list)
    row_limit: Annotated[int, Field(ge=0, le=500)] = 50
    run_full_execution: bool = True


class FullExecutionRequest(ApiModel):
    steps: Steps = Field(default_factory=list)


class HistogramBin(ApiModel):
    lower: float
    upper: float
    count: int


class TopValue(ApiModel):
    value: str
    count: int


class ColumnSummary(ApiModel):
    """Statistics of one output column over the rows the preview processed."""

    name: str
    dtype: str
    null_count: int
    distinct_count: int
    min: float | str | None = None
    max: float | str | None = None
    mean: float | None = None
    std: float | None = None
    top_values: list[TopValue] = Field(default_factory=list)
    histogram: list[HistogramBin] = Field(default_factory=list)


class StepWarning(ApiModel):
    """Something a step did to the data that a user should know about."""

    step_index: int
    code: str
    message: str
    count: int | None = None


class JobResult(ApiModel):
    row_count: int
    column_count: int
    columns: list[ColumnSchema]
    download_url: str


class JobError(ApiModel):
    code: str
    message: str


class FullExecutionSignal(ApiModel):
    """Where the full-dataset run of a pipeline stands."""

    job_id: str | None
    dataset_source_id: str
    job_status: JobStatus
    reason: str | None = None
    poll_after_seconds: float | None = None
    total_rows: int
    processed_rows: int = 0
    output_rows: int = 0
    attempt: int = 0
    pipeline_hash: str
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None
    result: JobResult | None = None
    error: JobError | None = None


class PipelinePreviewResponse(ApiModel):
    dataset_source_id: str
    pipeline_hash: str
    total_rows: int
    sample_rows: int
    output_rows: int
    columns: list[ColumnSchema]
    rows: list[dict[str, Any]]
    column_summaries: list[ColumnSummary]
    warnings: list[StepWarning]
    full_execution: FullExecutionSignal
