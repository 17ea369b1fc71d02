#!/usr/bin/env bash
# Regenerate the contract: shared/openapi.json, then the TypeScript types and the
# Python client's models from it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_python
ensure_node
cd "$ROOT"
"$PY" scripts/export_openapi.py --output shared/openapi.json
npm run --silent generate:types
"$VENV/bin/datamodel-codegen"
