#!/usr/bin/env bash
# README command 1: install what is missing, build the app (release, as it ships) and the vendor
# simulator, then serve both from one loopback origin: the app at /, the five vendor APIs under
# /vendors/… with a moderate generated dataset, and a config.json listing one connection per
# vendor. PORT=… picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
port="${PORT:-8080}"
trunk build --release --offline
cargo build --profile sim -p session-viewer-sim
printf '\n\033[1mSession Viewer: http://127.0.0.1:%s/  (click "Try a sample")\033[0m\n' "$port"
printf 'Vendor APIs on the same origin under /vendors/{em,aws,m365,pam,ekran}/ (demo account admin / admin).\n\n'
# --pam-auth off: PAM answers as if Windows sign-in had happened (a browser without a domain
# would otherwise meet a Negotiate/NTLM challenge and show its own sign-in prompt).
# --anchor now: the generated data ends at the moment the demo starts, so running sessions are
# running now (the tests keep the simulator's fixed default anchor, for reproducible data).
exec target/sim/sv-sim --port "$port" --dist dist --write-config dist/config.json \
  --aws-sessions 300 --aws-log-entries 2000 --m365-days 30 --ekran-sessions 5000 --pam-auth off --anchor now
