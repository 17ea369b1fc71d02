"""Job pickup latency and status polling throughput against a real server.

Starts the app (SQLite, local executor) on a free port with the demo dataset, then:

1. pickup: jobs started one at a time on an idle server; the time from the
   request to the row turning ``running`` (created_at to started_at), against
   the 250 ms target;
2. polling: 50 concurrent pollers on a job's status route, against the same
   pollers on the bare ``/health`` route of the same server in the same run
   (target: at least 0.6 of its throughput), with p99 latencies.

    .venv/bin/python scripts/bench/bench_jobs.py [--seconds 10] [--pollers 50]
"""

import argparse
import asyncio
import signal
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
from _server import free_port, start_server, wait_healthy


def pickup_latencies(base: str, dataset_id: str, jobs: int) -> list[float]:
    latencies = []
    for index in range(jobs):
        steps = [{"type": "clip", "columns": ["income"], "lower": 0, "upper": index}]
        job = httpx.post(
            f"{base}/pipelines/{dataset_id}/full-execution", json={"steps": steps}
        ).json()
        url = f"{base}/pipelines/{dataset_id}/full-execution/{job['job_id']}"
        while (signal_ := httpx.get(url).json())["job_status"] in {"queued", "running"}:
            time.sleep(0.05)
        created = datetime.fromisoformat(signal_["created_at"])
        started = datetime.fromisoformat(signal_["started_at"] or signal_["created_at"])
        latencies.append((started - created).total_seconds())
    return latencies


async def poll(url: str, pollers: int, seconds: float) -> tuple[float, float]:
    """Requests per second and p99 latency of ``pollers`` clients asking ``url``."""
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=pollers)

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def poller() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = await client.get(url)
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(poller() for _ in range(pollers)))

    latencies.sort()
    return len(latencies) / seconds, latencies[int(len(latencies) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--pollers", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=5)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        base = f"http://127.0.0.1:{port}/ml-workflow/api"
        server = start_server(Path(folder), port)
        try:
            wait_healthy(base)
            dataset_id = httpx.get(f"{base}/datasets").json()[0]["id"]
            latencies = pickup_latencies(base, dataset_id, arguments.jobs)
            job = httpx.get(f"{base}/pipelines/{dataset_id}/full-execution").json()[0]
            status_url = f"{base}/pipelines/{dataset_id}/full-execution/{job['job_id']}"

            health = asyncio.run(
                poll(f"{base}/health", arguments.pollers, arguments.seconds)
            )
            status = asyncio.run(poll(status_url, arguments.pollers, arguments.seconds))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    median_ms = statistics.median(latencies) * 1000
    print(
        f"pickup, queued to running: median {median_ms:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms over {len(latencies)} jobs "
        f"(target 250 ms, ratio {median_ms / 250:.2f})"
    )
    print(f"{'route':<12}{'req/s':>10}{'p99 ms':>10}")
    print(f"{'/health':<12}{health[0]:>10.0f}{health[1] * 1000:>10.1f}")
    print(f"{'job status':<12}{status[0]:>10.0f}{status[1] * 1000:>10.1f}")
    print(
        f"throughput ratio status/health: {status[0] / health[0]:.2f} (target >= 0.6)"
    )


if __name__ == "__main__":
    main()
