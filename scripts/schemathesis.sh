#!/usr/bin/env bash
# schemathesis against the sandbox's own OpenAPI document: no 5xx, every response (status,
# body) as the document says.
#   scripts/schemathesis.sh [CASES]   CASES: test cases in total (default 2000)
# Installs the pinned schemathesis (scripts/requirements-soak.txt) into .venv-soak, starts the CLI
# sandbox on a free port, authenticates with a bearer token, and runs every operation except the
# `sandbox` tag (controls that reset data or move the clock past the token's lifetime).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-2000}
VENV=.venv-soak
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r scripts/requirements-soak.txt
fi
cargo build -q -p webcare-cli
tmp=$(mktemp -d)
"$TARGET/debug/webcare" sandbox --port 0 --json --results 500 --quota 1000000000/minute \
  >"$tmp/sandbox.json" 2>"$tmp/sandbox.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 200); do [ -s "$tmp/sandbox.json" ] && break; sleep 0.1; done
json() { python3 -c "import json,sys; print(json.load(open('$tmp/sandbox.json'))$1)"; }
BASE=$(json "['base_url']")
ID=$(json "['client_id']")
SECRET=$(json "['client_secret']")
TOKEN=$(curl -sf -X POST "$BASE/oauth/client_credential/accesstoken?grant_type=client_credentials" \
  --data-urlencode "client_id=$ID" --data-urlencode "client_secret=$SECRET" |
  python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])")
# Operations under test, to spread the cases over them.
OPS=$(curl -sf "$BASE/openapi.json" | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(sum(1 for p in d['paths'].values() for m, op in p.items()
          if isinstance(op, dict) and 'sandbox' not in op.get('tags', [])))")
PER=$(( (CASES + OPS - 1) / OPS ))
echo "schemathesis: $OPS operations x $PER cases (>= $CASES) against $BASE"
"$VENV/bin/schemathesis" run "$BASE/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance \
  --exclude-tag sandbox \
  --max-examples "$PER" --seed 42 --workers 2 --no-shrink \
  --report junit --report-junit-path "$tmp/junit.xml" \
  --warnings off 2>&1 | tee "$tmp/out.txt"
generated=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$tmp/out.txt" | tail -1)
echo "schemathesis: ${generated:-0} test cases generated (wanted >= $CASES), no failures"
if [ "${generated:-0}" -lt "$CASES" ]; then
  echo "schemathesis: too few test cases" >&2
  exit 1
fi
