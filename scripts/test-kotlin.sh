#!/usr/bin/env bash
# Build the Kotlin package and run its tests (JUnit 5 via Maven) and the Kotlin example.
#   1. cargo build -p webcare-kotlin (the host cdylib) and -p uniffi-bindgen
#   2. generate the Kotlin bindings in library mode into bindings-kotlin/target/generated-sources/uniffi
#   3. start a sandbox (`webcare sandbox --port 0 --json`) when the CLI is built, for the
#      integration tests and the example; without it those tests run against the in-process fake API
#   4. mvn -B test (the Maven local repository is the default ~/.m2: later runs are offline-fast)
# With `--soak N` it runs only the long soak (SoakTest with -Dwebcare.soak.ops=N, its own sandbox
# with chaos; `make soak-bindings`) instead of step 3 and the whole suite.
set -euo pipefail
SOAK_OPS=""
if [[ "${1:-}" == "--soak" ]]; then SOAK_OPS="${2:?--soak needs a number of operations}"; fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
NATIVE_DIR="$CARGO_TARGET_DIR/debug"
GEN_DIR="$ROOT/bindings-kotlin/target/generated-sources/uniffi"

command -v mvn >/dev/null || { echo "test-kotlin: mvn is required (apt-get install maven)" >&2; exit 1; }
command -v java >/dev/null || { echo "test-kotlin: a JDK 17 is required" >&2; exit 1; }

cargo build -p webcare-kotlin
cargo build -p uniffi-bindgen
# The sandbox the integration tests and the soak run against (a no-op when already built).
cargo build -p webcare-cli

rm -rf "$GEN_DIR"
mkdir -p "$GEN_DIR"
"$NATIVE_DIR/uniffi-bindgen" generate --library "$NATIVE_DIR/libwebcare_kotlin.so" \
  --language kotlin --no-format --out-dir "$GEN_DIR"

SANDBOX_PID=""
cleanup() {
  if [[ -n "$SANDBOX_PID" ]]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

WEBCARE_BIN="${WEBCARE_BIN:-$CARGO_TARGET_DIR/debug/webcare}"
unset WEBCARE_SANDBOX_URL WEBCARE_SANDBOX_ID WEBCARE_SANDBOX_SECRET
if [[ -n "$SOAK_OPS" ]]; then
  cd "$ROOT/bindings-kotlin"
  # The soak starts its own sandbox (WEBCARE_BIN) and prints its report.
  WEBCARE_BIN="$WEBCARE_BIN" mvn -B -q test -Dtest=SoakTest -Dwebcare.soak.ops="$SOAK_OPS" -Dwebcare.excludedGroups=none \
    -Dwebcare.native.dir="$NATIVE_DIR" -Duniffi.generated.dir="$GEN_DIR"
  echo "test-kotlin: soak of $SOAK_OPS operations passed"
  exit 0
fi
if [[ -x "$WEBCARE_BIN" ]] && "$WEBCARE_BIN" sandbox --help >/dev/null 2>&1; then
  OUT="$(mktemp)"
  "$WEBCARE_BIN" sandbox --port 0 --json >"$OUT" 2>/dev/null &
  SANDBOX_PID=$!
  for _ in $(seq 1 100); do
    if grep -q base_url "$OUT" 2>/dev/null; then break; fi
    sleep 0.1
  done
  LINE="$(grep -m1 base_url "$OUT" || true)"
  if [[ -n "$LINE" ]]; then
    WEBCARE_SANDBOX_URL="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["base_url"])' "$LINE")"
    WEBCARE_SANDBOX_ID="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["client_id"])' "$LINE")"
    WEBCARE_SANDBOX_SECRET="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["client_secret"])' "$LINE")"
    export WEBCARE_SANDBOX_URL WEBCARE_SANDBOX_ID WEBCARE_SANDBOX_SECRET
    echo "test-kotlin: sandbox at $WEBCARE_SANDBOX_URL"
  else
    echo "test-kotlin: the sandbox did not start" >&2
    exit 1
  fi
else
  echo "test-kotlin: no webcare CLI with a sandbox at $WEBCARE_BIN" >&2
  exit 1
fi

cd "$ROOT/bindings-kotlin"
# Fixed versions resolve from the local repository (~/.m2) once cached: no -o needed.
mvn -B -q test -Dwebcare.native.dir="$NATIVE_DIR" -Duniffi.generated.dir="$GEN_DIR"
# One closing line from the Surefire reports (mvn -q prints none on success).
python3 - "$ROOT/bindings-kotlin/target/surefire-reports" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for p in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    r = ET.parse(p).getroot()
    t += int(r.get("tests", 0)); f += int(r.get("failures", 0)); e += int(r.get("errors", 0)); s += int(r.get("skipped", 0))
print(f"kotlin: {t - f - e - s} passed, {f + e} failed, {s} skipped")
PY
echo "test-kotlin: ok"
