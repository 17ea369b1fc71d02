"""A large CSV uploaded through the real server: throughput and resident memory.

The CSV of ``--size-mb`` is made by ``bench_upload.generate_csv``, then posted to
``POST /datasets`` of a server started here, while a thread samples the server's
resident memory. The baseline, in the same run, is a plain copy of the same file
on the same disk: the upload's throughput is reported as a ratio of it, and the
memory growth (peak during the upload minus resident before it) against the
300 MB target.

    .venv/bin/python scripts/bench/bench_upload_server.py --size-mb 1024
"""

import argparse
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _server import free_port, start_server, wait_healthy
from bench_upload import MIB, generate_csv


def resident(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class PeakSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, resident(self.pid))
            time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=1024)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "upload.csv"
        rows = generate_csv(csv_path, arguments.size_mb * MIB)
        size = csv_path.stat().st_size

        started = time.perf_counter()
        shutil.copyfile(csv_path, Path(folder) / "copy.csv")
        copy_seconds = time.perf_counter() - started
        (Path(folder) / "copy.csv").unlink()

        port = free_port()
        base = f"http://127.0.0.1:{port}/ml-workflow/api"
        server = start_server(Path(folder) / "data", port)
        try:
            wait_healthy(base)
            before = resident(server.pid)
            sampler = PeakSampler(server.pid)
            sampler.start()
            started = time.perf_counter()
            with csv_path.open("rb") as upload:
                response = httpx.post(
                    f"{base}/datasets",
                    files={"file": ("upload.csv", upload)},
                    timeout=3600,
                )
            upload_seconds = time.perf_counter() - started
            sampler.done.set()
            sampler.join()
            response.raise_for_status()
            stored_rows = response.json()["row_count"]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    growth = sampler.peak - before
    upload_rate = size / MIB / upload_seconds
    copy_rate = size / MIB / copy_seconds
    print(f"file: {size / MIB:,.0f} MiB, {rows:,} rows (stored {stored_rows:,})")
    print(f"{'':<20}{'seconds':>10}{'MiB/s':>10}")
    print(f"{'upload (server)':<20}{upload_seconds:>10.1f}{upload_rate:>10.0f}")
    print(f"{'file copy':<20}{copy_seconds:>10.1f}{copy_rate:>10.0f}")
    print(f"throughput ratio upload/copy: {upload_rate / copy_rate:.2f}")
    print(
        f"server resident memory: {before / MIB:,.0f} MiB before, "
        f"peak {sampler.peak / MIB:,.0f} MiB, growth {growth / MIB:,.0f} MiB "
        f"(target < 300 MB, ratio {growth / 300e6:.2f})"
    )


if __name__ == "__main__":
    main()
