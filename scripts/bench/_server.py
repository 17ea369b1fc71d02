"""Starting the real app for a benchmark: a free port, a data directory, the demo."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(data_dir: Path, port: int, **settings: str) -> subprocess.Popen[bytes]:
    """The app on ``port`` with the demo dataset; ``settings`` are ML_WORKFLOW_ ones."""
    env = {**os.environ, "ML_WORKFLOW_DATA_DIR": str(data_dir)}
    env["ML_WORKFLOW_PORT"] = str(port)
    env["ML_WORKFLOW_LOG_LEVEL"] = "WARNING"
    env.update({f"ML_WORKFLOW_{key.upper()}": value for key, value in settings.items()})
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/seed_demo.py")], env=env, check=True
    )
    return subprocess.Popen([sys.executable, "-m", "core"], env=env)


def wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not come up")
