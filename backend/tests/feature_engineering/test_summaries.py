"""Column summaries of a preview's output."""

import numpy as np
import pandas as pd
import pytest

from core.feature_engineering.preview import frame_records
from core.feature_engineering.summaries import HISTOGRAM_BINS, summarize_column


class TestNumericSummary:
    def test_moments_and_counts_match_pandas(self) -> None:
        series = pd.Series([1.0, 2.0, np.nan, 4.0, 4.0])

        summary = summarize_column("x", series)

        assert summary.dtype == "float"
        assert summary.null_count == 1
        assert summary.distinct_count == 3
        assert summary.min == 1.0
        assert summary.max == 4.0
        assert summary.mean == pytest.approx(series.mean())
        assert summary.std == pytest.approx(series.std(ddof=0))

    def test_histogram_has_twenty_bins_covering_every_value(self) -> None:
        series = pd.Series(np.arange(1_000, dtype="float64"))

        summary = summarize_column("x", series)

        assert len(summary.histogram) == HISTOGRAM_BINS
        assert sum(b.count for b in summary.histogram) == 1_000
        assert summary.histogram[0].lower == 0.0
        assert summary.histogram[-1].upper == 999.0

    def test_values_too_large_for_twenty_edges_share_one_bin(self) -> None:
        series = pd.Series([1e22, 1e22 * (1 + 1e-15), 1e22 * (1 + 2e-15)])

        summary = summarize_column("x", series)

        assert sum(b.count for b in summary.histogram) == 3

    def test_all_null_column_has_no_statistics(self) -> None:
        summary = summarize_column("x", pd.Series([np.nan, np.nan]))

        assert summary.null_count == 2
        assert summary.min is None
        assert summary.histogram == []

    def test_nullable_integers_are_summarised_as_numbers(self) -> None:
        summary = summarize_column("n", pd.Series([1, None, 3], dtype="Int64"))

        assert summary.dtype == "int"
        assert summary.mean == 2.0


class TestCategoricalSummary:
    def test_top_values_are_ordered_by_count_then_value(self) -> None:
        series = pd.Series(["b", "a", "b", "c", "a", None], dtype="str")

        summary = summarize_column("city", series)

        assert [(t.value, t.count) for t in summary.top_values] == [
            ("a", 2),
            ("b", 2),
            ("c", 1),
        ]
        assert summary.histogram == []

    def test_datetimes_report_their_range(self) -> None:
        series = pd.Series(pd.to_datetime(["2024-01-02", None, "2023-05-01"]))

        summary = summarize_column("when", series)

        assert summary.min == "2023-05-01T00:00:00"
        assert summary.max == "2024-01-02T00:00:00"


def test_records_turn_every_kind_of_null_into_none() -> None:
    frame = pd.DataFrame(
        {
            "f": [1.5, np.nan],
            "i": pd.array([1, None], dtype="Int64"),
            "s": pd.Series(["x", None], dtype="str"),
            "t": pd.to_datetime(["2024-01-01", None]),
            "b": pd.array([True, None], dtype="boolean"),
        }
    )

    records = frame_records(frame)

    assert records == [
        {"f": 1.5, "i": 1, "s": "x", "t": "2024-01-01T00:00:00", "b": True},
        {"f": None, "i": None, "s": None, "t": None, "b": None},
    ]
