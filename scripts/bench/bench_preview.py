"""Preview latency on the demo dataset against a dataset twenty times its size.

The preview reads only the row groups that hold its first rows, so its time should
not grow with the dataset. Both datasets are written here, then previewed in turn
in this one process; the ratio (large / demo, target at most 1.2) is what counts.

    .venv/bin/python scripts/bench/bench_preview.py [--large-rows 10000000]
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pydantic import TypeAdapter

from core.datasets.demo import DEMO_ROWS, write_demo
from core.feature_engineering.preview import compute_preview
from core.feature_engineering.steps import Step

PIPELINE = TypeAdapter(list[Step]).validate_python(
    [
        {"type": "fill_missing", "columns": ["income"], "strategy": "median"},
        {"type": "standard_scale", "columns": ["income", "purchase_amount"]},
        {"type": "filter_rows", "column": "items", "operator": "ge", "value": 2},
        {"type": "drop_columns", "columns": ["transaction_id"]},
        {"type": "one_hot_encode", "columns": ["city", "channel"]},
    ]
)


def seconds(path: Path, rows: int) -> float:
    started = time.perf_counter()
    compute_preview(path, rows, PIPELINE, 50)
    return time.perf_counter() - started


def interleaved_medians(
    first: Path, second: Path, rows: int, runs: int
) -> tuple[float, float]:
    """Median seconds of each, measured in turns so machine noise hits both alike."""
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        timings[0].append(seconds(first, rows))
        timings[1].append(seconds(second, rows))
    return statistics.median(timings[0]), statistics.median(timings[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large-rows", type=int, default=10_000_000)
    parser.add_argument("--sample-rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        demo, large = Path(folder) / "demo.parquet", Path(folder) / "large.parquet"
        write_demo(demo, DEMO_ROWS)
        write_demo(large, arguments.large_rows)

        # One warm-up each, so imports and the page cache are not measured.
        interleaved_medians(demo, large, arguments.sample_rows, 1)
        small_s, large_s = interleaved_medians(
            demo, large, arguments.sample_rows, arguments.runs
        )

    print(f"{'dataset':<22}{'rows':>12}{'median preview':>18}")
    print(f"{'demo':<22}{DEMO_ROWS:>12,}{small_s * 1000:>15.0f} ms")
    print(f"{'large':<22}{arguments.large_rows:>12,}{large_s * 1000:>15.0f} ms")
    print(f"ratio large/demo: {large_s / small_s:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
