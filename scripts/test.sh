#!/usr/bin/env bash
# README command 2 (and CI's): install what the tests need, then run every test layer:
# formatting and lints, native unit tests, component tests in headless Chromium, the release
# build with its size, and the end-to-end suite against that build.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI runs on the machine a session used, beside what that session left there; once it found the
# disk full and died in a linker error (session 12's stop). A run from a fresh clone writes about
# 6 GB (target/ 4.6 GB, in session 13): say so first. Incremental caches pay only where the same tree is built again,
# so CI (a fresh clone) writes none.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
free_gb=$(df -Pk . | awk 'NR == 2 { print int($4 / 1048576) }')
echo "Disk: ${free_gb:-?} GB free here; a run from a fresh clone writes about 6 GB."
if [ "${free_gb:-0}" -lt 10 ]; then
  echo "WARNING: less than 10 GB free: the build may fail with 'No space left on device'." >&2
fi
scripts/setup.sh test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p session-viewer --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

step "Native tests (pure logic, property tests)"
cargo test -p session-viewer -p session-viewer-scan --quiet

step "Vendor simulator tests (HTTP on loopback)"
cargo test -p session-viewer-sim --quiet

step "Component tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_TIMEOUT=120 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test web

step "Release build (app) and simulator build"
trunk build --release --offline
cargo build --profile sim -p session-viewer-sim --quiet

step "Bundle size"
node scripts/bundle-size.mjs dist

step "Fuzz targets (10 s each)"
if cargo +nightly --version >/dev/null 2>&1; then
  scripts/fuzz.sh 10
else
  echo "NOT RUN: no nightly toolchain on this machine, so the fuzz targets cannot be built."
fi

step "End-to-end tests in headless Chromium"
# One suite at a time: on 2 cores, suites in parallel (each with its own Chromium) time out.
node --test --test-concurrency=1 e2e/

step "Benchmark (reports the sv:* measures against SPEC §4; does not fail)"
node bench/list.mjs 3
node bench/timeline.mjs 3
# The session list side by side with a hand-written vanilla-JS page (bench/vanilla/): ratios.
node bench/compare.mjs 3
