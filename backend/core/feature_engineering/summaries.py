"""Column summaries of a preview's output: counts, moments, top values, histograms."""

import math

import numpy as np
import pandas as pd

from core.datasets.schemas import LogicalType, logical_type_of_series
from core.feature_engineering.schemas import ColumnSummary, HistogramBin, TopValue

HISTOGRAM_BINS = 20
TOP_VALUES = 5


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _numeric_summary(series: pd.Series, summary: ColumnSummary) -> None:
    values = series.dropna().to_numpy(dtype="float64", na_value=np.nan)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return
    summary.min = float(values.min())
    summary.max = float(values.max())
    summary.mean = _finite(float(values.mean()))
    summary.std = _finite(float(values.std()))
    try:
        counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
    except ValueError:
        # Values too large for twenty distinct float edges: one bin holds them all.
        counts, edges = np.array([values.size]), np.array([values.min(), values.max()])
    summary.histogram = [
        HistogramBin(lower=float(edges[i]), upper=float(edges[i + 1]), count=int(c))
        for i, c in enumerate(counts)
    ]


def _top_values(series: pd.Series, summary: ColumnSummary) -> None:
    counts = series.dropna().astype(str).value_counts()
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    summary.top_values = [
        TopValue(value=str(value), count=int(count))
        for value, count in ordered[:TOP_VALUES]
    ]


def summarize_column(name: str, series: pd.Series) -> ColumnSummary:
    dtype = logical_type_of_series(series)
    summary = ColumnSummary(
        name=name,
        dtype=dtype.value,
        null_count=int(series.isna().sum()),
        distinct_count=int(series.nunique(dropna=True)),
    )
    if dtype in (LogicalType.INT, LogicalType.FLOAT):
        _numeric_summary(series, summary)
    elif dtype is LogicalType.DATETIME:
        present = series.dropna()
        if not present.empty:
            summary.min = present.min().isoformat()
            summary.max = present.max().isoformat()
    else:
        _top_values(series, summary)
    return summary


def summarize(frame: pd.DataFrame) -> list[ColumnSummary]:
    return [summarize_column(str(name), frame[name]) for name in frame.columns]
