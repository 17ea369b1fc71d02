#!/usr/bin/env bash
# Every check the project has: lint, types, contract drift, unit, API and browser tests.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
set -e
ensure_python
ensure_node
ensure_postgres || say "PostgreSQL is not available; its tests will be skipped"
ensure_chromium
set +e

cd "$ROOT"
failed=()
step() {
  local name="$1"
  shift
  say "$name"
  if ! "$@"; then
    failed+=("$name")
  fi
}

openapi_drift() {
  local fresh
  fresh=$(mktemp)
  "$PY" scripts/export_openapi.py --output "$fresh" &&
    if ! cmp -s "$fresh" shared/openapi.json; then
      echo "shared/openapi.json is stale: run scripts/generate.sh" >&2
      diff -u shared/openapi.json "$fresh" | head -n 40 >&2
      rm -f "$fresh"
      return 1
    fi
  rm -f "$fresh"
}

step "ruff check" "$VENV/bin/ruff" check backend scripts
step "ruff format" "$VENV/bin/ruff" format --check --quiet backend scripts
step "mypy" "$VENV/bin/mypy"
step "OpenAPI drift" openapi_drift
step "TypeScript types drift" npm run --silent check:types
step "Python client models drift" "$VENV/bin/datamodel-codegen" --check
step "pytest" "$PY" -m pytest -q
step "prettier" npm run --silent format:check
step "tsc" npm run --silent typecheck
step "vitest" npm run --silent test
ensure_spa
step "playwright" npm run --silent e2e --workspace e2e

if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
say "all checks passed"
