#!/usr/bin/env bash
# The Python binding's checks: build the extension once, then ruff, mypy, stubtest, pytest and
# the examples against a sandbox. Needs `cargo build -p webcare-cli` first (the Makefile's
# `test-python` rule does it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PY_DIR="$ROOT/bindings-python"
VENV="$ROOT/.venv"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
if ! "$PY" -c 'import maturin, pytest, ruff, mypy, pandas, pyarrow, polars, tqdm' 2>/dev/null; then
    "$PY" -m pip install -q --disable-pip-version-check -r "$PY_DIR/requirements-dev.txt"
fi

echo "== build the extension (cargo, once; copied in place as webcare/_native.abi3.so)"
PYO3_BUILD_EXTENSION_MODULE=1 cargo build -p webcare-python
cp "$CARGO_TARGET_DIR/debug/libwebcare_python.so" "$PY_DIR/python/webcare/_native.abi3.so"
export PYTHONPATH="$PY_DIR/python"
[ "${1:-}" = --build-only ] && exit 0

echo "== ruff"
"$VENV/bin/ruff" check --config "$PY_DIR/pyproject.toml" "$PY_DIR/python" "$PY_DIR/tests" "$PY_DIR/soak.py" examples/python
"$VENV/bin/ruff" format --check --config "$PY_DIR/pyproject.toml" "$PY_DIR/python" "$PY_DIR/tests" "$PY_DIR/soak.py" examples/python

echo "== mypy"
"$VENV/bin/mypy" --config-file "$PY_DIR/pyproject.toml" "$PY_DIR/python/webcare"
"$VENV/bin/mypy" --config-file "$PY_DIR/pyproject.toml" examples/python

echo "== stubtest (the .pyi against the built module)"
(cd "$PY_DIR/python" && "$PY" -m mypy.stubtest webcare._native --mypy-config-file "$PY_DIR/pyproject.toml")

echo "== pytest"
(cd "$PY_DIR" && "$PY" -m pytest -q -p no:cacheprovider tests)

echo "== examples (against a fresh sandbox)"
SB_OUT="$(mktemp)"
"$CARGO_TARGET_DIR/debug/webcare" sandbox --port 0 --json > "$SB_OUT" &
SB_PID=$!
trap 'kill "$SB_PID" 2>/dev/null || true; rm -f "$SB_OUT"' EXIT
for _ in $(seq 100); do [ -s "$SB_OUT" ] && break; sleep 0.1; done
eval "$("$PY" - "$SB_OUT" <<'PYEOF'
import json, shlex, sys
info = json.loads(open(sys.argv[1]).readline())
print(f"export WEBCARE_BASE_URL={shlex.quote(info['base_url'])}")
print(f"export WEBCARE_CLIENT_ID={shlex.quote(info['client_id'])}")
print(f"export WEBCARE_CLIENT_SECRET={shlex.quote(info['client_secret'])}")
print(f"export WEBCARE_PROFILE={shlex.quote((info.get('search_profiles') or ['kpn'])[0])}")
PYEOF
)"
"$PY" examples/python/sentiment_report.py
timeout 120 "$PY" examples/python/agent_loop.py --max-messages 2 --simulate
echo "test-python: all checks passed"
