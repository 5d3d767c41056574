#!/usr/bin/env bash
# Smoke test of the `webcare` binary: start `webcare sandbox --port 0 --json`, run CLI commands
# against it, check exit codes and output. Needs bash, curl and python3 (no jq).
# Ends with "N passed, M failed"; exits non-zero when anything failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${WEBCARE_BIN:-$TARGET/debug/webcare}"
if [[ ! -x "$BIN" ]]; then
    echo "test-cli: $BIN not found; run: cargo build -p webcare-cli" >&2
    exit 2
fi

TMP="$(mktemp -d)"
SANDBOX_PID=""
cleanup() {
    if [[ -n "$SANDBOX_PID" ]] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
        kill -TERM "$SANDBOX_PID" 2>/dev/null
        wait "$SANDBOX_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL $1"
    [[ -n "${2:-}" ]] && echo "$2" | sed 's/^/     /'
    return 0
}

# json EXPR FILE: evaluate a Python expression over the JSON in FILE (`d`), or over its JSON lines
# (`rows`) when FILE holds several lines.
json() {
    python3 - "$1" "$2" <<'PY'
import json, sys
expr, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
rows = [json.loads(l) for l in text.splitlines() if l.strip()]
d = rows[0] if rows else None
v = eval(expr, {"d": d, "rows": rows, "json": json})
print(v if not isinstance(v, (dict, list)) else json.dumps(v))
PY
}

# run NAME WANT_RC CMD...: run a command, keep stdout/stderr in $OUT/$ERR, check its exit code.
OUT="$TMP/out"
ERR="$TMP/err"
run() {
    local name="$1" want="$2"
    shift 2
    "$@" >"$OUT" 2>"$ERR"
    local rc=$?
    if [[ "$rc" == "$want" ]]; then
        pass "$name"
        return 0
    fi
    fail "$name (exit $rc, expected $want)" "$(head -c 2000 "$ERR")"
    return 1
}

# expect NAME PY_EXPR FILE: a Python boolean over the JSON in FILE.
expect() {
    local got
    got="$(json "$2" "$3" 2>&1)"
    if [[ "$got" == "True" ]]; then
        pass "$1"
    else
        fail "$1" "$got"
    fi
}

# contains NAME TEXT FILE / lacks NAME TEXT FILE...
contains() {
    if grep -qF -- "$2" "$3"; then pass "$1"; else fail "$1" "'$2' not in: $(head -c 1000 "$3")"; fi
}
lacks() {
    local name="$1" text="$2"
    shift 2
    if cat "$@" | grep -qF -- "$text"; then fail "$name"; else pass "$name"; fi
}

# --- start the sandbox -------------------------------------------------------------------------
"$BIN" sandbox --port 0 --json >"$TMP/sandbox.out" 2>"$TMP/sandbox.err" &
SANDBOX_PID=$!
for _ in $(seq 1 600); do
    if json 'd["base_url"]' "$TMP/sandbox.out" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then break; fi
    sleep 0.1
done
if ! json 'd["base_url"]' "$TMP/sandbox.out" >/dev/null 2>&1; then
    fail "sandbox started" "$(cat "$TMP/sandbox.err")"
    echo "$PASSED passed, $FAILED failed"
    exit 1
fi
pass "sandbox started"
BASE_URL="$(json 'd["base_url"]' "$TMP/sandbox.out")"
export WEBCARE_BASE_URL="$BASE_URL"
export WEBCARE_CLIENT_ID="$(json 'd["client_id"]' "$TMP/sandbox.out")"
export WEBCARE_CLIENT_SECRET="$(json 'd["client_secret"]' "$TMP/sandbox.out")"
SECRET="$WEBCARE_CLIENT_SECRET"
W=("$BIN" --timeout 20)

# --- help and offline commands -----------------------------------------------------------------
run "--help exits 0" 0 "${W[@]}" --help
lacks "--help does not show the secret" "$SECRET" "$OUT" "$ERR"
run "sentiment en" 0 "${W[@]}" sentiment --lang en --json "This is terrible, my internet is down again"
expect "sentiment en is negative" 'd["value"] < 0 and d["language"] == "en"' "$OUT"
run "sentiment nl" 0 "${W[@]}" sentiment --lang nl --json "Super bedankt, alles werkt weer perfect!"
expect "sentiment nl is positive" 'd["value"] > 0 and d["language"] == "nl"' "$OUT"

# --- configuration -----------------------------------------------------------------------------
run "config" 0 "${W[@]}" config
contains "config shows users" "Users" "$OUT"
run "config --json" 0 "${W[@]}" config --json
cp "$OUT" "$TMP/config.json"
expect "config has users and searches" 'len(d["account"]["users"]) > 0 and len(d["account"]["searches"]) > 0' "$TMP/config.json"
PROFILE="$(json 'd["account"]["searches"][0]["name"]' "$TMP/config.json")"
HANDLER="$(json 'd["account"]["users"][-1]["id"]' "$TMP/config.json")"
EMAIL="$(json '[u["email"] for u in d["account"]["users"] if u.get("email")][0]' "$TMP/config.json")"

# --- results -----------------------------------------------------------------------------------
run "results table" 0 "${W[@]}" results "$PROFILE" --limit 5
contains "results table has a header" "sentiment" "$OUT"
run "results --json --limit 5" 0 "${W[@]}" results "$PROFILE" --limit 5 --json
expect "5 JSON lines" 'len(rows) == 5' "$OUT"
run "results with source and sentiment" 0 "${W[@]}" results "$PROFILE" --source twitter --sentiment negative --limit 20 --json
expect "every result is twitter and negative" 'len(rows) > 0 and all(r["source"] == 3 and r["sentiment"] == -1 for r in rows)' "$OUT"
run "results --all --limit 150" 0 "${W[@]}" results "$PROFILE" --all --limit 150 --page-size 40 --json
expect "150 distinct results" 'len(rows) == 150 and len({r["uniqueId"] for r in rows}) == 150' "$OUT"
run "unknown filter segment exits 2" 2 "${W[@]}" results "$PROFILE" --filter "source:twitter/bogus:1"
contains "the error names the segment" "bogus:1" "$ERR"
run "conflicting filters exit 2" 2 "${W[@]}" results "$PROFILE" --filter negative --sentiment positive

# A result with a case and a default connection, to act on.
run "pick a result" 0 "${W[@]}" results "$PROFILE" --source twitter --limit 50 --json
TARGET_JSON="$TMP/target.json"
python3 - "$OUT" >"$TARGET_JSON" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
r = next(r for r in rows if not r.get("own") and r.get("caseId") and r.get("searchId"))
print(json.dumps(r))
PY
RID="$(json 'd["uniqueId"]' "$TARGET_JSON")"
SID="$(json 'd["searchId"]' "$TARGET_JSON")"
CID="$(json 'd["caseId"]' "$TARGET_JSON")"

run "result" 0 "${W[@]}" result "$RID"
contains "result shows its id" "Result #$RID" "$OUT"
run "result --no-context --json" 0 "${W[@]}" result "$RID" --no-context --json
expect "result --no-context is the result" "d['uniqueId'] == $RID" "$OUT"
run "unknown result exits 4" 4 "${W[@]}" result 999999999

# --- events, reply, cases ----------------------------------------------------------------------
run "event starttyping" 0 "${W[@]}" event "$RID" starttyping
run "reply" 0 "${W[@]}" reply "$RID" --message "Sorry to hear that, we are looking into it." --json
expect "reply has an id" 'd["reply_id"] is not None' "$OUT"
REPLY_ID="$(json 'd["reply_id"]' "$OUT")"
run "event stoptyping" 0 "${W[@]}" event "$RID" stoptyping
run "result after reply --json" 0 "${W[@]}" result "$RID" --json
expect "the reply is in the conversation" "any(c['uniqueId'] == $REPLY_ID and c['own'] for c in d['context']) or '$REPLY_ID' in d['result']['replies']" "$OUT"
run "case handover" 0 "${W[@]}" case handover "$SID" "$CID" "$HANDLER"
run "case release" 0 "${W[@]}" case release "$SID" "$CID"
run "case close" 0 "${W[@]}" case close "$SID" "$CID"

# --- sso ---------------------------------------------------------------------------------------
run "sso" 0 "${W[@]}" sso "$EMAIL" --json
expect "sso prints a token" 'bool(d["token"])' "$OUT"
run "sso unknown user exits 4" 4 "${W[@]}" sso nobody@example.invalid

# --- watch -------------------------------------------------------------------------------------
"${W[@]}" watch "$PROFILE" --count 1 --interval 0.2 --json >"$TMP/watch.out" 2>"$TMP/watch.err" &
WATCH_PID=$!
# Wait until the watcher has taken its starting point (its first search, `limit:1`).
WATCH_STARTED=""
for _ in $(seq 1 300); do
    if curl -fsS "$BASE_URL/_sandbox/requests" >"$TMP/requests.json" 2>/dev/null \
        && [[ "$(json 'any("/most+recent/limit:1/" in e["path"] + "/" and e["status"] == 200 for e in d["requests"])' "$TMP/requests.json")" == True ]]; then
        WATCH_STARTED=1
        break
    fi
    sleep 0.1
done
[[ -n "$WATCH_STARTED" ]] && pass "watch started" || fail "watch started" "$(cat "$TMP/watch.err")"
curl -fsS -X POST "$BASE_URL/_sandbox/inbound" -H 'content-type: application/json' \
    -d '{"source":"twitter","text":"test-cli watch: mijn wifi doet het niet"}' >"$TMP/inbound.json" 2>"$TMP/inbound.err" \
    && pass "inbound message" || fail "inbound message" "$(cat "$TMP/inbound.err")"
WATCH_RC=""
for _ in $(seq 1 100); do
    if ! kill -0 "$WATCH_PID" 2>/dev/null; then
        wait "$WATCH_PID"
        WATCH_RC=$?
        break
    fi
    sleep 0.1
done
if [[ -z "$WATCH_RC" ]]; then
    kill "$WATCH_PID" 2>/dev/null
    wait "$WATCH_PID" 2>/dev/null
    fail "watch --count 1 ends" "$(cat "$TMP/watch.err")"
elif [[ "$WATCH_RC" == 0 ]]; then
    pass "watch --count 1 ends"
    expect "watch printed the new message" 'len(rows) == 1 and "test-cli watch" in rows[0]["description"]' "$TMP/watch.out"
else
    fail "watch --count 1 ends (exit $WATCH_RC)" "$(cat "$TMP/watch.err")"
fi

# --- errors and secrets ------------------------------------------------------------------------
WRONG="wrong-secret-$RANDOM$RANDOM"
run "bad credentials exit 3" 3 env WEBCARE_CLIENT_SECRET="$WRONG" "${W[@]}" config
lacks "the wrong secret is not printed" "$WRONG" "$OUT" "$ERR"
run "missing credentials exit 8" 8 env -u WEBCARE_CLIENT_ID -u WEBCARE_CLIENT_SECRET "${W[@]}" config
run "usage error exits 2" 2 "${W[@]}" event "$RID" dance
lacks "the real secret never appeared" "$SECRET" "$TMP/watch.out" "$TMP/watch.err" "$OUT" "$ERR"

echo "$PASSED passed, $FAILED failed"
[[ "$FAILED" == 0 ]]
