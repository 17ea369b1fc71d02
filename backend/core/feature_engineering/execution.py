"""Running a pipeline over a whole dataset, chunk by chunk, in a worker process.

This module is what a worker process executes; it never touches the database.
It reports progress to a :class:`Reporter`, which answers whether to go on, and
writes the output under a temporary name that is renamed only when complete.

The steps are fitted on the whole dataset held in memory before the chunked
pass, so a dataset must fit in a worker's memory; streaming the fit too is the
road to datasets that do not.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import TypeAdapter

from core.datasets import storage
from core.datasets.schemas import ColumnSchema
from core.feature_engineering import steps as pipeline_steps
from core.feature_engineering.steps import Step

_STEPS_ADAPTER: TypeAdapter[list[Step]] = TypeAdapter(list[Step])


class Directive(StrEnum):
    """What a worker is told at each chunk boundary."""

    CONTINUE = "continue"
    CANCEL = "cancel"  # the user asked to stop: the job ends cancelled
    INTERRUPT = "interrupt"  # the worker is shutting down: the job is requeued


class Reporter(Protocol):
    def progress(self, processed_rows: int, output_rows: int, reason: str) -> Directive:
        """Record progress; the answer says whether to go on."""


@dataclass(frozen=True)
class JobSpec:
    job_id: str
    dataset_path: str
    steps: list[dict[str, Any]]
    result_path: str
    chunk_rows: int


@dataclass(frozen=True)
class Outcome:
    directive: Directive
    processed_rows: int
    output_rows: int
    columns: list[ColumnSchema]


class StepFailure(Exception):
    """A pipeline that validated could not be applied to the full data."""


class _Stopped(Exception):
    def __init__(self, directive: Directive) -> None:
        super().__init__(directive.value)
        self.directive = directive


def _fit(
    steps: list[Step], frame: pd.DataFrame, reporter: Reporter
) -> pipeline_steps.FittedPipeline:
    """Fit on the whole frame, reporting each step and stopping between steps."""

    def before_step(index: int, step: Step) -> None:
        reason = f"Fitting step {index + 1} of {len(steps)} ({step.type})"
        directive = reporter.progress(0, 0, f"{reason} on {len(frame):,} rows")
        if directive is not Directive.CONTINUE:
            raise _Stopped(directive)

    return pipeline_steps.fit_pipeline(steps, frame, before_step)


def temporary_path(result_path: Path, pid: int) -> Path:
    """Where the worker process ``pid`` writes the result before it is complete."""
    return result_path.with_name(f".{result_path.name}.{pid}.partial")


def _arrow_chunks(
    stream: pipeline_steps.PipelineStream, source: Path, chunk_rows: int
) -> Iterator[tuple[int, pa.Table]]:
    for chunk in storage.iter_chunks(source, chunk_rows):
        output = stream.transform(chunk)
        yield len(chunk), pa.Table.from_pandas(output, preserve_index=False)


def execute(spec: JobSpec, reporter: Reporter) -> Outcome:
    """Fit the steps on the dataset, then apply them chunk by chunk to a new file."""
    steps = _STEPS_ADAPTER.validate_python(spec.steps)
    source = Path(spec.dataset_path)
    result = Path(spec.result_path)

    directive = reporter.progress(0, 0, "Reading the whole dataset to fit the steps")
    if directive is not Directive.CONTINUE:
        return Outcome(directive, 0, 0, [])
    try:
        fitted = _fit(steps, storage.read_all(source), reporter)
    except _Stopped as stopped:
        return Outcome(stopped.directive, 0, 0, [])
    stream = fitted.stream()

    result.parent.mkdir(parents=True, exist_ok=True)
    partial = temporary_path(result, os.getpid())
    processed = written = 0
    writer: pq.ParquetWriter | None = None
    try:
        for rows, table in _arrow_chunks(stream, source, spec.chunk_rows):
            if writer is None:
                writer = pq.ParquetWriter(partial, table.schema)
            writer.write_table(
                table.cast(writer.schema), row_group_size=spec.chunk_rows
            )
            processed += rows
            written += table.num_rows
            directive = reporter.progress(processed, written, "Applying the steps")
            if directive is not Directive.CONTINUE:
                return Outcome(directive, processed, written, [])
        if writer is None:
            empty = pa.Table.from_pandas(stream.transform(storage.read_head(source, 0)))
            writer = pq.ParquetWriter(partial, empty.schema)
            writer.write_table(empty)
        writer.close()
        writer = None
        os.replace(partial, result)
    finally:
        if writer is not None:
            writer.close()
        partial.unlink(missing_ok=True)

    return Outcome(Directive.CONTINUE, processed, written, fitted.output_schema)
