#!/usr/bin/env bash
# Builds the fuzz targets and runs each for a bounded time (default 20 s).
#   fuzz/run.sh [seconds] [target ...]
# cargo fuzz needs a nightly compiler; the machine's nightly toolchain is used when
# installed, else the stable one with RUSTC_BOOTSTRAP=1. No sanitizer: the project forbids
# unsafe code, so coverage guidance and Rust's own checks (debug assertions, overflow
# checks) find what there is to find.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-20}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(mdgplib ccplib group_input import forms answers)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  FUZZ=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi
"${FUZZ[@]}" build -s none -O -a
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t"
  echo "-- fuzz $t for ${SECONDS_EACH}s"
  "${FUZZ[@]}" run -s none -O -a "$t" -- -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 2>&1 | grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|panicked|ERROR|SUMMARY|artifact' || true
  # A crash leaves an artifact; fail with it.
  if ls "artifacts/$t"/* >/dev/null 2>&1; then
    echo "fuzz target $t found a failing input:"; ls "artifacts/$t"; exit 1
  fi
done
