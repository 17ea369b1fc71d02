#!/usr/bin/env bash
# The app as the browser tests see it: a fresh data directory, the demo dataset,
# one job at a time, on port 8765. Playwright starts and stops it.
#
# A test that restarts the server itself names its own data directory in
# ML_WORKFLOW_E2E_DATA_DIR (kept afterwards, so a second start finds its jobs)
# and its port in ML_WORKFLOW_E2E_PORT; other ML_WORKFLOW_ settings pass through.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [ -n "${ML_WORKFLOW_E2E_DATA_DIR:-}" ]; then
  DATA_DIR="$ML_WORKFLOW_E2E_DATA_DIR"
  mkdir -p "$DATA_DIR"
  remove_data=""
else
  DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ml-workflow-e2e.XXXXXX")"
  remove_data="$DATA_DIR"
fi
cleanup() { [ -z "$remove_data" ] || rm -rf "$remove_data"; }
trap cleanup EXIT

export ML_WORKFLOW_DATA_DIR="$DATA_DIR"
export ML_WORKFLOW_DATABASE_URL="sqlite+aiosqlite:///$DATA_DIR/ml_workflow.db"
export ML_WORKFLOW_PORT="${ML_WORKFLOW_E2E_PORT:-8765}"
export ML_WORKFLOW_MAX_CONCURRENT_JOBS="${ML_WORKFLOW_MAX_CONCURRENT_JOBS:-1}"
export ML_WORKFLOW_JOB_CHUNK_ROWS="${ML_WORKFLOW_JOB_CHUNK_ROWS:-20000}"
export ML_WORKFLOW_STATIC_DIR="$ROOT/frontend/dist"

cd "$ROOT"
"$PY" scripts/seed_demo.py
"$PY" -m core &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; cleanup' EXIT
trap 'kill -TERM "$server" 2>/dev/null' TERM INT
wait "$server"
