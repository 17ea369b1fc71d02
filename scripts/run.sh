#!/usr/bin/env bash
# Set up what is missing, then serve the API and the web app with the demo dataset.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_python
ensure_node
ensure_spa

cd "$ROOT"
export ML_WORKFLOW_STATIC_DIR="${ML_WORKFLOW_STATIC_DIR:-$ROOT/frontend/dist}"
"$PY" scripts/seed_demo.py
say "serving http://${ML_WORKFLOW_HOST:-127.0.0.1}:${ML_WORKFLOW_PORT:-8000}"
exec "$PY" -m core
