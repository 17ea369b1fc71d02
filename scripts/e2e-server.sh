#!/usr/bin/env bash
# The app as the browser tests see it: a fresh data directory, the demo dataset,
# one job at a time, on port 8765. Playwright starts and stops it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ml-workflow-e2e.XXXXXX")"
trap 'rm -rf "$DATA_DIR"' EXIT

export ML_WORKFLOW_DATA_DIR="$DATA_DIR"
export ML_WORKFLOW_DATABASE_URL="sqlite+aiosqlite:///$DATA_DIR/ml_workflow.db"
export ML_WORKFLOW_PORT="${ML_WORKFLOW_E2E_PORT:-8765}"
export ML_WORKFLOW_MAX_CONCURRENT_JOBS=1
export ML_WORKFLOW_JOB_CHUNK_ROWS="${ML_WORKFLOW_JOB_CHUNK_ROWS:-20000}"
export ML_WORKFLOW_STATIC_DIR="$ROOT/frontend/dist"

cd "$ROOT"
"$PY" scripts/seed_demo.py
"$PY" -m core &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; rm -rf "$DATA_DIR"' EXIT
trap 'kill -TERM "$server" 2>/dev/null' TERM INT
wait "$server"
