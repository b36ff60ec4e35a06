#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for a bounded time each, seeded with the bundled
# samples: `scripts/fuzz.sh [seconds per target, default 10]`. Needs the nightly toolchain and
# cargo-fuzz (scripts/setup.sh test installs cargo-fuzz). Built without a sanitizer: the code has
# no `unsafe`, so what fuzzing hunts here is panics, hangs and runaway memory.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
secs="${1:-10}"
fuzz=(cargo +nightly fuzz)
"${fuzz[@]}" build --sanitizer none
for target in $("${fuzz[@]}" list); do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  cp public/samples/* "$corpus/"
  printf '  %-14s ' "$target"
  # libFuzzer exits non-zero on a crash, a timeout (-timeout, per input) or too much memory.
  "${fuzz[@]}" run --sanitizer none "$target" "$corpus" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 2>"fuzz/$target.log" \
    || { echo "FAILED"; tail -n 40 "fuzz/$target.log"; exit 1; }
  grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "fuzz/$target.log" | tail -n 1 || echo
  rm -f "fuzz/$target.log"
done
