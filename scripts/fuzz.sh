#!/usr/bin/env bash
# Run each cargo-fuzz target for a while (default 60 s each).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (installed from crates.io when missing) and nightly features: the stable
# toolchain is used with RUSTC_BOOTSTRAP=1. Seeds are the committed corpus (fuzz/corpus/TARGET);
# what a run finds goes to fuzz/target/corpus-work (not committed); a crash goes to
# fuzz/artifacts/TARGET and fails the run (turn it into a regression test).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(filter_parse decode_envelope sandbox_request fast_decoders)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cd fuzz
cargo fuzz build -s none
for t in "${TARGETS[@]}"; do
  work="target/corpus-work/$t"
  mkdir -p "$work"
  echo "fuzz: $t for ${SECONDS_EACH}s"
  log="target/fuzz-$t.log"
  rc=0
  cargo fuzz run -s none "$t" "$work" "corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    >"$log" 2>&1 || rc=$?
  grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::new_units_added)|panicked|ERROR|SUMMARY|Test unit written" "$log" || true
  if [ "$rc" -ne 0 ]; then
    echo "fuzz: $t failed (exit $rc; log fuzz/$log, artifacts fuzz/artifacts/$t)" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
done
echo "fuzz: no crashes"
