#!/usr/bin/env bash
# Installs what is missing, and only that: `setup.sh build` for building and serving the app,
# `setup.sh test` for that plus the browser the tests drive. Idempotent and quick when all is there.
# Everything comes from the package registries (crates.io, npm, Debian): nothing from GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Runs "$@" with Debian's policy-rc.d saying "do not start services" (exit 101), unless the machine
# has a policy of its own: a package's service would otherwise start on install, and nginx's would
# take port 80 on a machine with systemd.
POLICY_RC_D=${POLICY_RC_D:-/usr/sbin/policy-rc.d}
without_service_start() {
  if [ -e "$POLICY_RC_D" ]; then
    "$@"
    return
  fi
  printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC_D"
  chmod +x "$POLICY_RC_D"
  local status=0
  "$@" || status=$?
  rm -f "$POLICY_RC_D"
  return "$status"
}

# The wasm-bindgen crate version that Cargo.lock pins; the CLI must be exactly this version.
locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

build_tools() {
  command -v cargo >/dev/null || { echo "cargo is missing: this machine kind ships Rust through rustup" >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.14$'; then
    say "Installing trunk 0.21.14 (about 14 minutes on 2 cores, once)"
    cargo install trunk --version 0.21.14 --locked
  fi
  local wbg
  wbg=$(locked_wasm_bindgen)
  if ! grep -q "^wasm_bindgen = \"$wbg\"$" Trunk.toml; then
    echo "Trunk.toml pins a wasm_bindgen other than Cargo.lock's $wbg: update [tools] in Trunk.toml" >&2
    exit 1
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$" || ! command -v wasm-bindgen-test-runner >/dev/null; then
    say "Installing wasm-bindgen-cli $wbg (the version Cargo.lock pins)"
    # Not --locked: its lockfile pins a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
  command -v npm >/dev/null || { say "Installing Node.js and npm"; apt_install nodejs npm; }
  if ! wasm-opt --version 2>/dev/null | grep -q 'version 132' || [ ! -x node_modules/.bin/playwright-core ] || [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/terser/package.json ]; then
    say "Installing npm tools (binaryen 132 for wasm-opt, playwright-core, axe-core, terser)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

test_tools() {
  if cargo +nightly --version >/dev/null 2>&1 && ! cargo fuzz --version >/dev/null 2>&1; then
    say "Installing cargo-fuzz 0.13.2"
    cargo install cargo-fuzz --version 0.13.2 --locked
  fi
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "Installing Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  # e2e/nginx.test.mjs runs deploy/nginx.conf in Debian's nginx (as its own foreground process
  # on a loopback port; the package's service is not used).
  if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null; then
    say "Installing Debian's nginx (for the reverse-proxy test; its service is not started)"
    without_service_start apt_install nginx
  fi
  # The same test makes its TLS certificates with openssl's command line (Node cannot write
  # X.509 certificates).
  if ! command -v openssl >/dev/null; then
    say "Installing Debian's openssl (the nginx test makes its TLS certificates with it)"
    apt_install openssl
  fi
}

case "${1:-}" in
  build) build_tools ;;
  test) build_tools; test_tools ;;
  *) echo "usage: scripts/setup.sh build|test" >&2; exit 2 ;;
esac
