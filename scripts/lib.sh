# Shared set-up steps of run.sh and test.sh. Each step does its work only when
# its inputs changed since it last ran (a stamp file records their hash), so a
# second run is quiet.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
UV_VERSION="0.13.8"

say() { printf '==> %s\n' "$*" >&2; }

inputs_hash() { (cd "$ROOT" && cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1); }

# stamp_fresh NAME HASH: true when step NAME last ran with the same inputs.
stamp_fresh() { [ -f "$ROOT/.stamps/$1" ] && [ "$(cat "$ROOT/.stamps/$1")" = "$2" ]; }
stamp_write() { mkdir -p "$ROOT/.stamps" && printf '%s' "$2" > "$ROOT/.stamps/$1"; }

ensure_python() {
  local hash
  hash=$(inputs_hash pyproject.toml uv.lock)
  if [ -x "$PY" ] && [ -x "$VENV/bin/uv" ] && stamp_fresh python "$hash"; then
    return
  fi
  say "installing Python dependencies (uv.lock)"
  [ -x "$PY" ] || python3 -m venv "$VENV"
  if ! "$VENV/bin/uv" --version 2>/dev/null | grep -q "$UV_VERSION"; then
    "$PY" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  fi
  (cd "$ROOT" && UV_PROJECT_ENVIRONMENT="$VENV" "$VENV/bin/uv" sync --frozen --quiet)
  stamp_write python "$hash"
}

ensure_node() {
  local hash
  hash=$(inputs_hash package.json package-lock.json frontend/package.json e2e/package.json)
  if [ -d "$ROOT/node_modules" ] && stamp_fresh node "$hash"; then
    return
  fi
  say "installing npm dependencies (package-lock.json)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  stamp_write node "$hash"
}

ensure_spa() {
  local hash
  hash=$(cd "$ROOT" && find frontend/src frontend/index.html frontend/vite.config.ts \
    frontend/tsconfig.json frontend/package.json shared/openapi.json -type f 2>/dev/null \
    | sort | xargs cat | sha256sum | cut -d' ' -f1)
  if [ -f "$ROOT/frontend/dist/index.html" ] && stamp_fresh spa "$hash"; then
    return
  fi
  say "building the web app"
  (cd "$ROOT" && npm run --silent build >/dev/null)
  stamp_write spa "$hash"
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian's chromium for the browser tests"
    apt-get update -qq >/dev/null && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need /usr/bin/chromium: run 'sudo apt-get install -y chromium'." >&2
    return 1
  fi
}

ensure_postgres() {
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && return
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
}
