#!/usr/bin/env bash
# The Node.js package's tests: build the addon once, check the committed index.d.ts is current,
# run `node --test` against sandboxes, type-check the TypeScript examples, run the example bot.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PKG="$ROOT/bindings-node"
cd "$PKG"

# 1. JavaScript dependencies (the lock file is committed).
if [ -f package-lock.json ]; then
  [ -d node_modules/@napi-rs/cli ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

# 2. One plain cargo build; napi-derive writes the type definitions while compiling.
TYPEDEF_DIR="$CARGO_TARGET_DIR/napi-typedef/webcare-node"
mkdir -p "$TYPEDEF_DIR"
if [ ! -s "$TYPEDEF_DIR/webcare-node" ]; then
  export NAPI_FORCE_BUILD_WEBCARE_NODE="$(date +%s)"
fi
NAPI_TYPE_DEF_TMP_FOLDER="$TYPEDEF_DIR" cargo build -p webcare-node
cp "$CARGO_TARGET_DIR/debug/libwebcare_node.so" "$PKG/webcare.linux-x64-gnu.node"
[ "${1:-}" = --build-only ] && exit 0

# 3. The committed index.d.ts must match the sources.
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
node tools/gen-dts.mjs "$TYPEDEF_DIR" "$TMP/index.d.ts"
if ! diff -u index.d.ts "$TMP/index.d.ts" > "$TMP/dts.diff"; then
  cat "$TMP/dts.diff"
  echo "bindings-node/index.d.ts is stale: run 'node tools/gen-dts.mjs $TYPEDEF_DIR index.d.ts' in bindings-node" >&2
  exit 1
fi

# 4. The sandbox comes from the CLI binary.
if [ -z "${WEBCARE_BIN:-}" ]; then
  cargo build -p webcare-cli
  export WEBCARE_BIN="$CARGO_TARGET_DIR/debug/webcare"
fi

# 5. Tests, types, example.
node --test --test-concurrency=2 test/
npx tsc -p tsconfig.json
node "$ROOT/examples/node/chat_bot.mjs" --sandbox --messages 3
echo "test-node: passed"
