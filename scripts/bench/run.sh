#!/usr/bin/env bash
# `make bench`: release builds, one sandbox with >= 100k results, every benchmark, BENCHMARKS.md.
# Knobs (environment): BENCH_RESULTS (100000: results pulled and seeded), BENCH_STREAM_RESULTS
# (1000000: results streamed for the memory test, from a second sandbox seeded with that many),
# BENCH_REPS (5), BENCH_SKIP_SENTIMENT=1 (reuse the Sentiment section already in BENCHMARKS.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BENCH="$ROOT/scripts/bench"
OUT="$CARGO_TARGET_DIR/bench"
RES="$OUT/results"
export BENCH_RESULTS="${BENCH_RESULTS:-100000}"
# The profile pulled (kpn) holds ~69% of the main account's results: seed enough for 100k.
export BENCH_SEED_RESULTS="${BENCH_SEED_RESULTS:-150000}"
STREAM_N="${BENCH_STREAM_RESULTS:-1000000}"
rm -rf "$RES" "$OUT/gen"
mkdir -p "$RES" "$OUT"

echo "== release builds (once): CLI/sandbox, Python extension, Node addon"
PYO3_BUILD_EXTENSION_MODULE=1 cargo build --release -p webcare-cli -p webcare-python -p webcare-node
WEBCARE="$CARGO_TARGET_DIR/release/webcare"

# The Python package with the release extension (as scripts/eval_sentiment.py does it: a copy of
# bindings-python/python/webcare with target/release/libwebcare_python.so as _native.abi3.so).
rm -rf "$OUT/py" && mkdir -p "$OUT/py"
cp -r bindings-python/python/webcare "$OUT/py/webcare"
rm -rf "$OUT/py/webcare/__pycache__" "$OUT/py/webcare/"*.so
cp "$CARGO_TARGET_DIR/release/libwebcare_python.so" "$OUT/py/webcare/_native.abi3.so"
export PYTHONPATH="$OUT/py"
# The Node package with the release addon.
rm -rf "$OUT/node-pkg" && mkdir -p "$OUT/node-pkg"
cp bindings-node/{package.json,index.js,index.mjs,index.d.ts,errors.js,native.js} "$OUT/node-pkg/"
cp "$CARGO_TARGET_DIR/release/libwebcare_node.so" "$OUT/node-pkg/webcare.linux-x64-gnu.node"
export WEBCARE_NODE_PKG="$OUT/node-pkg"

echo "== bench dependencies (pinned: scripts/bench/requirements.txt, scripts/bench/node/package-lock.json)"
[ -x .venv/bin/python ] || python3 -m venv .venv
PY="$ROOT/.venv/bin/python"
"$PY" -m pip install -q --disable-pip-version-check -r "$BENCH/requirements.txt"
(cd "$BENCH/node" && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; })
if command -v wrk >/dev/null; then LOAD=wrk; else LOAD=autocannon; fi

SANDBOXES=()
cleanup() { for p in "${SANDBOXES[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
start_sandbox() { # $1: results, $2: info file
    "$WEBCARE" sandbox --port 0 --json --results "$1" --quota 1000000000/minute > "$2" &
    SANDBOXES+=($!)
    for _ in $(seq 1200); do [ -s "$2" ] && break; sleep 0.1; done
    [ -s "$2" ] || { echo "sandbox did not start" >&2; exit 1; }
    export WEBCARE_SANDBOX_PID="${SANDBOXES[-1]}"
    eval "$("$PY" - "$2" <<'PYEOF'
import json, shlex, sys
info = json.loads(open(sys.argv[1]).readline())
print(f"export WEBCARE_BASE_URL={shlex.quote(info['base_url'])}")
print(f"export WEBCARE_CLIENT_ID={shlex.quote(info['client_id'])}")
print(f"export WEBCARE_CLIENT_SECRET={shlex.quote(info['client_secret'])}")
print(f"export WEBCARE_PROFILE={shlex.quote((info.get('search_profiles') or ['kpn'])[0])}")
PYEOF
)"
}

echo "== sandbox: $BENCH_SEED_RESULTS results, quota raised"
t0=$(date +%s.%N)
start_sandbox "$BENCH_SEED_RESULTS" "$OUT/sandbox.json"
echo "   seeded and listening in $(echo "$(date +%s.%N) - $t0" | bc) s at $WEBCARE_BASE_URL"
echo "{\"seed_seconds\": $(echo "$(date +%s.%N) - $t0" | bc)}" > "$RES/seed.json"

echo "== openapi-python-client: a client generated from $WEBCARE_BASE_URL/openapi.json"
curl -sf "$WEBCARE_BASE_URL/openapi.json" -o "$OUT/openapi.json"
mkdir -p "$OUT/gen"
GEN="$ROOT/.venv/bin/openapi-python-client"
export GEN_DIR="$OUT/gen/client"
if ! (cd "$OUT/gen" && "$GEN" generate --path "$OUT/openapi.json" --output-path "$GEN_DIR" --overwrite) > "$OUT/gen.log" 2>&1; then
    echo "   generation with the default configuration FAILED (a finding about the OpenAPI document):"
    grep -E "Error|Duplicate" "$OUT/gen.log" | tail -3
    echo "   retrying with literal_enums: true"
    echo "literal_enums: true" > "$OUT/gen-config.yml"
    (cd "$OUT/gen" && "$GEN" generate --path "$OUT/openapi.json" --output-path "$GEN_DIR" --overwrite \
        --config "$OUT/gen-config.yml") >> "$OUT/gen.log" 2>&1 || { echo "   generation failed again"; export GEN_DIR="$OUT/gen/missing"; }
fi
cp "$OUT/gen.log" "$RES/gen.log"

echo "== Python: $BENCH_RESULTS results (pages of 500) into a DataFrame"
"$PY" "$BENCH/bench_python.py" fetch "$RES/py_fetch.json"
echo "== Python async: 20 concurrent searches"
"$PY" "$BENCH/bench_python.py" async "$RES/py_async.json"
echo "== Node: sequential and concurrent calls"
(cd "$BENCH/node" && node bench.mjs seq "$RES/node_seq.json" && node bench.mjs conc "$RES/node_conc.json" \
    && node bench.mjs conc-small "$RES/node_conc_small.json")

echo "== sandbox load: 25-result search, 32 connections ($LOAD)"
TOKEN="$(curl -sf -X POST "$WEBCARE_BASE_URL/oauth/client_credential/accesstoken?grant_type=client_credentials" \
    -d "client_id=$WEBCARE_CLIENT_ID&client_secret=$WEBCARE_CLIENT_SECRET" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
URL="$WEBCARE_BASE_URL/results/$WEBCARE_PROFILE/limit:25"
if [ "$LOAD" = wrk ]; then
    wrk -t2 -c32 -d3s -H "Authorization: Bearer $TOKEN" "$URL" > /dev/null # warm-up
    for i in 1 2 3; do
        wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $TOKEN" "$URL" | tee "$RES/wrk$i.txt"
    done
else
    for i in 1 2 3; do
        (cd "$BENCH/node" && npx autocannon -c 32 -d 10 -j -H "Authorization=Bearer $TOKEN" "$URL") > "$RES/autocannon$i.json"
    done
fi

echo "== memory: the $BENCH_RESULTS-result DataFrame (webcare, then requests + pandas)"
"$PY" "$BENCH/bench_python.py" memory "$RES/mem_py_dataframe.json" dataframe "$BENCH_RESULTS"
"$PY" "$BENCH/bench_python.py" memory "$RES/mem_py_dataframe_requests.json" dataframe-requests "$BENCH_RESULTS"

echo "== import time"
"$PY" "$BENCH/bench_python.py" import "$RES/import.json"

if [ "$STREAM_N" -gt "$((BENCH_SEED_RESULTS * 2 / 3))" ]; then
    cleanup; SANDBOXES=()
    echo "== memory: a second sandbox with $STREAM_N results for the streaming test"
    t0=$(date +%s.%N)
    start_sandbox "$((STREAM_N * 3 / 2))" "$OUT/sandbox-stream.json"
    echo "{\"seed_seconds\": $(echo "$(date +%s.%N) - $t0" | bc), \"results\": $STREAM_N}" > "$RES/seed_stream.json"
fi
echo "== memory: streaming $STREAM_N results through the iterators"
"$PY" "$BENCH/bench_python.py" memory "$RES/mem_py_stream.json" stream "$STREAM_N"
(cd "$BENCH/node" && node bench.mjs memory "$RES/mem_node_stream.json" "$STREAM_N")
cleanup; SANDBOXES=()

echo "== criterion: core hot paths"
cargo bench -p webcare --features arrow --bench hot_paths -- --warm-up-time 1 --measurement-time 3 | tee "$RES/criterion.txt"

if [ "${BENCH_SKIP_SENTIMENT:-0}" != 1 ]; then
    echo "== sentiment (scripts/eval_sentiment.py: writes BENCHMARKS.md's Sentiment section)"
    "$PY" scripts/eval_sentiment.py
fi

echo "== BENCHMARKS.md"
"$PY" "$BENCH/report.py" "$RES" BENCHMARKS.md
