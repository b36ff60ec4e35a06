#!/usr/bin/env bash
# README command 1: install what is missing, build the app (release, as it ships) and serve it on
# loopback with deep links working. PORT=… picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
port="${PORT:-8080}"
printf '\n\033[1mSession Viewer will be at http://127.0.0.1:%s/ once built. Click "Try a sample".\033[0m\n\n' "$port"
exec trunk serve --release --offline --address 127.0.0.1 --port "$port"
