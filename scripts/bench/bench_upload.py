"""Upload conversion against plain pandas: throughput and peak memory, side by side.

A CSV of ``--size-mb`` is generated (ids, floats, categories with commas, a
timestamp, an int column with gaps, free text), then converted in fresh child
processes, one at a time, taking turns: ``convert_to_parquet`` and the baseline,
``pandas.read_csv`` followed by ``DataFrame.to_parquet``. Each child times the
conversion alone (imports excluded) and reports its peak resident memory (VmHWM)
and its resident memory once imports are done. Ratios are ingest / baseline.

    .venv/bin/python scripts/bench/bench_upload.py --size-mb 1024
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
GENERATE_ROWS = 100_000


@dataclass(frozen=True)
class Run:
    contender: str
    seconds: float
    cpu_seconds: float
    peak_rss: int
    import_rss: int
    rows: int
    output_bytes: int


def generate_csv(path: Path, size_bytes: int) -> int:
    """Write a deterministic mixed-type CSV of at least ``size_bytes``; its rows."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    generator = np.random.default_rng(20240601)
    categories = np.array(["north", "south", "east, coast", "west", "centre"])
    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("amount", pa.float64()),
            ("region", pa.string()),
            ("created_at", pa.timestamp("s")),
            ("quantity", pa.int64()),
            ("note", pa.string()),
        ]
    )
    rows = 0
    with pa_csv.CSVWriter(path, schema) as writer:
        while path.stat().st_size < size_bytes:
            ids = np.arange(rows, rows + GENERATE_ROWS)
            quantity = generator.integers(0, 500, GENERATE_ROWS)
            gaps = generator.random(GENERATE_ROWS) < 0.05
            words = pa.array(generator.integers(0, 1_000_000, GENERATE_ROWS))
            notes = pc.binary_join_element_wise(
                "order note", words.cast(pa.string()), " "
            )
            batch = pa.record_batch(
                [
                    pa.array(ids),
                    pa.array(generator.normal(250.0, 80.0, GENERATE_ROWS).round(2)),
                    pa.array(categories[generator.integers(0, 5, GENERATE_ROWS)]),
                    pa.array(1_700_000_000 + ids * 3, pa.timestamp("s")),
                    pa.array(quantity, mask=gaps),
                    notes,
                ],
                schema=schema,
            )
            writer.write_batch(batch)
            rows += GENERATE_ROWS
    return rows


def resident_bytes(field: str) -> int:
    """``VmRSS`` or ``VmHWM`` of this process, from /proc; ru_maxrss elsewhere."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(contender: str, csv_path: Path, output: Path) -> None:
    """Run one conversion in this process and print its figures as JSON."""
    import pandas as pd
    import pyarrow.parquet as pq

    from core.datasets.ingest import convert_to_parquet

    import_rss = resident_bytes("VmRSS")
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    if contender == "ingest":
        rows = convert_to_parquet(
            csv_path, csv_path.name, output, max_bytes=1 << 62
        ).row_count
    else:
        frame = pd.read_csv(csv_path)
        frame.to_parquet(output)
        rows = len(frame)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started

    figures = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": resident_bytes("VmHWM"),
        "import_rss": import_rss,
        "rows": rows,
        "output_bytes": output.stat().st_size,
        "check_rows": pq.ParquetFile(output).metadata.num_rows,
    }
    print(json.dumps(figures))


def run_child(contender: str, csv_path: Path, folder: Path) -> Run:
    output = folder / f"{contender}.parquet"
    completed = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            contender,
            "--csv",
            str(csv_path),
            "--output",
            str(output),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    output.unlink()
    return Run(
        contender=contender,
        seconds=figures["seconds"],
        cpu_seconds=figures["cpu_seconds"],
        peak_rss=figures["peak_rss"],
        import_rss=figures["import_rss"],
        rows=figures["rows"],
        output_bytes=figures["output_bytes"],
    )


def median_run(runs: list[Run]) -> Run:
    first = runs[0]
    return Run(
        contender=first.contender,
        seconds=statistics.median(run.seconds for run in runs),
        cpu_seconds=statistics.median(run.cpu_seconds for run in runs),
        peak_rss=int(statistics.median(run.peak_rss for run in runs)),
        import_rss=int(statistics.median(run.import_rss for run in runs)),
        rows=first.rows,
        output_bytes=first.output_bytes,
    )


def report(size_bytes: int, ingest: Run, baseline: Run, repeat: int) -> None:
    size_mib = size_bytes / MIB
    print(f"CSV: {size_mib:,.0f} MiB, {ingest.rows:,} rows; median of {repeat} run(s)")
    print(
        f"{'contender':<25}{'wall s':>8}{'MiB/s':>7}{'CPU s':>7}"
        f"{'peak RSS':>10}{'above imports':>15}{'parquet':>9}"
    )
    for name, run in (("convert_to_parquet", ingest), ("pandas baseline", baseline)):
        above = (run.peak_rss - run.import_rss) / MIB
        print(
            f"{name:<25}{run.seconds:>8.2f}{size_mib / run.seconds:>7.0f}"
            f"{run.cpu_seconds:>7.2f}{run.peak_rss / MIB:>6,.0f} MiB"
            f"{above:>11,.0f} MiB{run.output_bytes / MIB:>5,.0f} MiB"
        )

    working = (ingest.peak_rss - ingest.import_rss) / max(
        1, baseline.peak_rss - baseline.import_rss
    )
    print("ratios, ingest / baseline:")
    print(f"  throughput (MiB/s)      {baseline.seconds / ingest.seconds:6.2f}")
    print(f"  CPU time                {ingest.cpu_seconds / baseline.cpu_seconds:6.2f}")
    print(f"  peak RSS                {ingest.peak_rss / baseline.peak_rss:6.2f}")
    print(f"  peak RSS above imports  {working:6.2f}")
    if ingest.rows != baseline.rows:
        print(f"ROW COUNTS DIFFER: {ingest.rows:,} vs {baseline.rows:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=1024, help="CSV size in MiB")
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender")
    parser.add_argument("--csv", type=Path, help="use this CSV instead of generating")
    parser.add_argument("--child", choices=["ingest", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.child:
        child(arguments.child, arguments.csv, arguments.output)
        return

    with tempfile.TemporaryDirectory(prefix="bench-upload-") as name:
        folder = Path(name)
        csv_path = arguments.csv
        if csv_path is None:
            csv_path = folder / "upload.csv"
            started = time.perf_counter()
            generate_csv(csv_path, arguments.size_mb * MIB)
            print(f"generated {csv_path.stat().st_size / MIB:,.0f} MiB", end=" ")
            print(f"in {time.perf_counter() - started:.1f} s")

        runs: dict[str, list[Run]] = {"ingest": [], "pandas": []}
        for _ in range(arguments.repeat):
            for contender in ("pandas", "ingest"):
                runs[contender].append(run_child(contender, csv_path, folder))
        report(
            os.path.getsize(csv_path),
            median_run(runs["ingest"]),
            median_run(runs["pandas"]),
            arguments.repeat,
        )


if __name__ == "__main__":
    main()
