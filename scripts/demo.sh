#!/usr/bin/env bash
# `make demo`: start a sandbox on a free port and run a webcare agent's flow end to end through
# the `webcare` command line, telling what happens at each step. Needs bash, curl and python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${WEBCARE_BIN:-$TARGET/debug/webcare}"
PROFILE="kpn"
if [[ ! -x "$BIN" ]]; then
    echo "demo: $BIN not found; run: cargo build -p webcare-cli" >&2
    exit 2
fi

TMP="$(mktemp -d)"
SANDBOX_PID=""
cleanup() {
    local rc=$?
    if [[ -n "$SANDBOX_PID" ]] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
        kill -TERM "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
        echo "Sandbox stopped."
    fi
    rm -rf "$TMP"
    if [[ $rc -ne 0 ]]; then
        echo "demo: FAILED (exit $rc)" >&2
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
show() { printf '   $ webcare %s\n' "$*"; }
die() {
    echo "demo: $*" >&2
    exit 1
}

# py EXPR [FILE]: a Python expression over the JSON in FILE (`d`; `rows` for JSON Lines).
py() {
    python3 - "$1" "${2:-/dev/null}" <<'PY'
import json, sys
expr, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
rows = [json.loads(l) for l in text.splitlines() if l.strip()]
d = rows[0] if len(rows) == 1 else rows
v = eval(expr, {"d": d, "rows": rows, "json": json})
print(json.dumps(v) if isinstance(v, (dict, list)) else v)
PY
}

# webcare OUTFILE ARGS...: run the CLI; on failure show its error and stop the demo.
webcare() {
    local out="$1"
    shift
    local rc=0
    "$BIN" --timeout 30 "$@" >"$out" 2>"$TMP/stderr" || rc=$?
    if [[ $rc -ne 0 ]]; then
        sed 's/^/   /' "$TMP/stderr" >&2
        die "step failed: webcare $* (exit $rc)"
    fi
}

# inbound OUTFILE JSON: simulate a customer message (a sandbox-only control).
inbound() {
    curl -fsS -X POST "$WEBCARE_BASE_URL/_sandbox/inbound" \
        -H 'content-type: application/json' -d "$2" >"$1" \
        || die "step failed: POST /_sandbox/inbound"
}

say "webcare demo: one agent's morning, through the webcare command line"

step "Start a local sandbox (webcare sandbox --port 0 --json)"
"$BIN" sandbox --port 0 --json >"$TMP/sandbox.json" 2>"$TMP/sandbox.err" &
SANDBOX_PID=$!
for _ in $(seq 1 600); do
    py 'd["base_url"]' "$TMP/sandbox.json" >/dev/null 2>&1 && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || break
    sleep 0.1
done
py 'd["base_url"]' "$TMP/sandbox.json" >/dev/null 2>&1 \
    || { cat "$TMP/sandbox.err" >&2; die "the sandbox did not start"; }
export WEBCARE_BASE_URL="$(py 'd["base_url"]' "$TMP/sandbox.json")"
export WEBCARE_CLIENT_ID="$(py 'd["client_id"]' "$TMP/sandbox.json")"
export WEBCARE_CLIENT_SECRET="$(py 'd["client_secret"]' "$TMP/sandbox.json")"
say "   Listening on $WEBCARE_BASE_URL (pid $SANDBOX_PID); client id $WEBCARE_CLIENT_ID."
say "   WEBCARE_BASE_URL, WEBCARE_CLIENT_ID and WEBCARE_CLIENT_SECRET now point the CLI at it."

step "Who is on the team?"
show "config --json"
webcare "$TMP/config.json" config --json
COMPANY="$(py 'd["account"]["company"]' "$TMP/config.json")"
NUSERS="$(py 'len(d["account"]["users"])' "$TMP/config.json")"
HANDLER="$(py '[u for u in d["account"]["users"] if u["name"] != "Webcare API"][0]["id"]' "$TMP/config.json")"
HANDLER_NAME="$(py "[u for u in d['account']['users'] if u['id'] == $HANDLER][0]['name']" "$TMP/config.json")"
py "any(s['name'] == '$PROFILE' for s in d['account']['searches'])" "$TMP/config.json" | grep -q True \
    || die "no search profile '$PROFILE' in the configuration"
say "   Account $COMPANY: $NUSERS users. Hand-overs will go to $HANDLER_NAME (user $HANDLER)."

step "Two customers write in (simulated with POST /_sandbox/inbound)"
inbound "$TMP/nl.json" '{"source":"twitter","person":"Anouk Verbeek","text":"@KPNwebcare Ik ben niet blij met mijn nieuwe modem, het internet is traag."}'
inbound "$TMP/en.json" '{"source":"facebook","person":"Oliver Grant","text":"Thanks for the quick help yesterday, the router works again!"}'
NL_ID="$(py 'd["uniqueId"]' "$TMP/nl.json")"
EN_ID="$(py 'd["uniqueId"]' "$TMP/en.json")"
for f in nl en; do
    py '"   #%s on %s from %s (case %s, sentiment %s): \"%s\"" % (d["uniqueId"], {3:"twitter",6:"facebook"}.get(d["source"], d["source"]), d["title"], d["caseId"], {-2:"very negative",-1:"negative",0:"neutral",1:"positive",2:"very positive"}[d["sentiment"]], d["description"])' "$TMP/$f.json"
done

step "Today's negative messages in '$PROFILE'"
show "results $PROFILE --sentiment negative --period day --limit 8"
webcare "$TMP/table.txt" results "$PROFILE" --sentiment negative --period day --limit 8
sed 's/^/   /' "$TMP/table.txt"
webcare "$TMP/negative.jsonl" results "$PROFILE" --sentiment negative --period day --all --json
NNEG="$(py 'len(rows)' "$TMP/negative.jsonl")"
py "any(r['uniqueId'] == $NL_ID for r in rows)" "$TMP/negative.jsonl" | grep -q True \
    || die "#$NL_ID is not among today's negative messages"
say "   $NNEG negative messages in the last 24 hours (webcare results ... --all --json); Anouk's #$NL_ID is among them."

step "Answer Anouk (#$NL_ID)"
webcare "$TMP/target.json" result "$NL_ID" --no-context --json
SEARCH_ID="$(py 'd["searchId"]' "$TMP/target.json")"
CASE_ID="$(py 'd["caseId"]' "$TMP/target.json")"
CONN="$(py 'd["defaultConnection"]' "$TMP/target.json")"
CONN_NAME="$(py "[c['name'] for c in d['availableConnections'] if c['id'] == $CONN][0]" "$TMP/target.json")"
MESSAGE="$(py '(d.get("replyPrefix") or "") + "Vervelend dat je internet traag is! We kijken direct naar je modem en sturen je zo een DM." + (d.get("replySuffix") or "")' "$TMP/target.json")"
show "event $NL_ID starttyping"
webcare "$TMP/ev1.json" event "$NL_ID" starttyping --json
say "   Started typing on #$NL_ID (the customer sees the agent typing)."
show "reply $NL_ID --connection $CONN --message \"$MESSAGE\""
webcare "$TMP/reply.json" reply "$NL_ID" --connection "$CONN" --message "$MESSAGE" --json
REPLY_ID="$(py 'd["reply_id"]' "$TMP/reply.json")"
say "   Replied to #$NL_ID from connection $CONN, $CONN_NAME (reply #$REPLY_ID)."
show "event $NL_ID stoptyping"
webcare "$TMP/ev2.json" event "$NL_ID" stoptyping --json
say "   Stopped typing on #$NL_ID."
show "case handover $SEARCH_ID $CASE_ID $HANDLER"
webcare "$TMP/handover.json" case handover "$SEARCH_ID" "$CASE_ID" "$HANDLER" --json
say "   Handed case $CASE_ID over to $HANDLER_NAME (user $HANDLER), who follows up on the modem."

step "Close Oliver's case (#$EN_ID: a thank-you needs no answer)"
EN_SEARCH="$(py 'd["searchId"]' "$TMP/en.json")"
EN_CASE="$(py 'd["caseId"]' "$TMP/en.json")"
show "case close $EN_SEARCH $EN_CASE"
webcare "$TMP/close.json" case close "$EN_SEARCH" "$EN_CASE" --json
say "   Closed case $EN_CASE."

step "Check the outcome"
webcare "$TMP/after.json" result "$NL_ID" --json
py "any(c['uniqueId'] == $REPLY_ID and c['own'] for c in d['context'])" "$TMP/after.json" | grep -q True \
    || die "reply #$REPLY_ID is not in the conversation of #$NL_ID"
say "   Reply #$REPLY_ID is in Anouk's conversation (sent by the company)."
webcare "$TMP/nl_now.json" result "$NL_ID" --no-context --json
say "   Case $CASE_ID: $(py '"%s, handler %s" % (d.get("caseStatus", "?"), d.get("handler"))' "$TMP/nl_now.json")."
webcare "$TMP/en_now.json" result "$EN_ID" --no-context --json
EN_STATUS="$(py 'd.get("caseStatus", "?")' "$TMP/en_now.json")"
[[ "$EN_STATUS" == "closed" ]] || die "case $EN_CASE is '$EN_STATUS', expected closed"
say "   Case $EN_CASE: $EN_STATUS."
show "result $NL_ID"
webcare "$TMP/conversation.txt" result "$NL_ID"
sed 's/^/   /' "$TMP/conversation.txt"

step "Done"
say "   2 inbound messages, $NNEG negative today, 1 reply (#$REPLY_ID), 1 hand-over (case $CASE_ID), 1 case closed ($EN_CASE)."
