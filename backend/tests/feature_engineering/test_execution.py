"""The full run in-process: fitting, chunked output, stopping at boundaries."""

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.feature_engineering.execution import Directive, JobSpec, execute
from tests.factories import sample_frame

STEPS = [
    {"type": "fill_missing", "columns": ["amount"], "strategy": "median"},
    {"type": "standard_scale", "columns": ["amount"]},
    {"type": "filter_rows", "column": "age", "operator": "lt", "value": 50},
]


class RecordingReporter:
    """Answers with a directive once a given number of reports has come in."""

    def __init__(
        self, stop_after: int | None = None, directive: Directive = Directive.CANCEL
    ) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.stop_after = stop_after
        self.directive = directive

    def progress(self, processed_rows: int, output_rows: int, reason: str) -> Directive:
        self.reports.append((processed_rows, output_rows, reason))
        if self.stop_after is not None and len(self.reports) > self.stop_after:
            return self.directive
        return Directive.CONTINUE


@pytest.fixture
def spec(tmp_path: Path) -> JobSpec:
    source = tmp_path / "source.parquet"
    pq.write_table(
        pa.Table.from_pandas(sample_frame(5_000)), source, row_group_size=700
    )
    return JobSpec(
        job_id="job",
        dataset_path=str(source),
        steps=STEPS,
        result_path=str(tmp_path / "results" / "job.parquet"),
        chunk_rows=1_000,
    )


def test_each_fitted_step_and_each_chunk_is_reported(spec: JobSpec) -> None:
    reporter = RecordingReporter()

    outcome = execute(spec, reporter)

    reasons = [reason for _, _, reason in reporter.reports]
    assert reasons[1:4] == [
        "Fitting step 1 of 3 (fill_missing) on 5,000 rows",
        "Fitting step 2 of 3 (standard_scale) on 5,000 rows",
        "Fitting step 3 of 3 (filter_rows) on 5,000 rows",
    ]
    processed = [
        rows for rows, _, reason in reporter.reports if reason == "Applying the steps"
    ]
    assert processed == [1_000, 2_000, 3_000, 4_000, 5_000]
    assert outcome.directive is Directive.CONTINUE
    assert len(pd.read_parquet(spec.result_path)) == outcome.output_rows


@pytest.mark.parametrize("stop_after", [2, 6])
def test_a_cancel_stops_the_run_and_leaves_no_file(
    spec: JobSpec, stop_after: int
) -> None:
    outcome = execute(spec, RecordingReporter(stop_after=stop_after))

    assert outcome.directive is Directive.CANCEL
    assert not list(Path(spec.result_path).parent.glob("*"))
