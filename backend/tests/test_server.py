"""The real server process: a kill -9 mid-run, then a restart on the same data."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.config import Settings
from core.database import engine as database
from tests.factories import sample_frame, stored_dataset


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    def __init__(self, data_dir: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/ml-workflow/api"
        self.env = {
            **os.environ,
            "ML_WORKFLOW_DATA_DIR": str(data_dir),
            "ML_WORKFLOW_PORT": str(self.port),
            "ML_WORKFLOW_JOB_CHUNK_ROWS": "500",
            "ML_WORKFLOW_PREVIEW_ROW_LIMIT": "1000",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "core"], env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        pytest.fail("the server did not come up")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """SIGTERM to the whole process group, as a service manager sends it."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait_for(
        self, url: str, statuses: set[str], timeout: float = 60
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            signal_: dict[str, Any] = httpx.get(url).json()
            if signal_["job_status"] in statuses:
                return signal_
            if time.monotonic() > deadline:
                pytest.fail(f"job stayed {signal_['job_status']}")
            time.sleep(0.05)


@pytest.fixture
async def dataset_id(settings: Settings, sqlite_db: None) -> str:
    frame = sample_frame(300_000)
    dataset = await stored_dataset(settings, frame, row_group_rows=500)
    await database.dispose_db()
    return dataset


@pytest.fixture
def server(settings: Settings) -> Iterator[Server]:
    running = Server(settings.data_dir)
    yield running
    running.stop()


def _start_running_job(server: Server, dataset_id: str) -> str:
    """Start the server and a full run on it; returns the job's URL once it runs."""
    server.start()
    started = httpx.post(
        f"{server.base}/pipelines/{dataset_id}/full-execution", json={"steps": []}
    ).json()
    url = f"{server.base}/pipelines/{dataset_id}/full-execution/{started['job_id']}"
    server.wait_for(url, {"running"})
    return url


def test_job_survives_a_killed_server_and_completes_as_attempt_two(
    server: Server, dataset_id: str
) -> None:
    url = _start_running_job(server, dataset_id)

    server.kill()
    server.start()
    done = server.wait_for(url, {"succeeded", "failed"}, timeout=120)

    assert done["job_status"] == "succeeded", done
    assert done["attempt"] == 2
    assert done["processed_rows"] == 300_000


def test_sigterm_requeues_the_running_job_without_costing_an_attempt(
    server: Server, dataset_id: str
) -> None:
    server.env["ML_WORKFLOW_JOB_MAX_ATTEMPTS"] = "1"
    url = _start_running_job(server, dataset_id)

    server.stop()
    server.start()
    done = server.wait_for(url, {"succeeded", "failed"}, timeout=120)

    assert done["job_status"] == "succeeded", done
    assert done["attempt"] == 2
