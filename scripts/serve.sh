#!/usr/bin/env bash
# Builds the playground (release) and serves it on http://127.0.0.1:8080.
#   ./dev serve [--port N]
# Installs what it needs first (wasm target, wasm-bindgen, Trunk, npm's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."
port=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    -h | --help) echo "usage: ./dev serve [--port N]"; exit 0 ;;
    *) echo "unknown option: $1 (usage: ./dev serve [--port N])" >&2; exit 2 ;;
  esac
done
case "$port" in
  '' | *[!0-9]*) echo "--port needs a number, got '$port'" >&2; exit 2 ;;
esac
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

scripts/setup.sh rust
scripts/setup.sh node
log "building the playground (release)"
playground/build.sh
log "serving dist/ (Ctrl+C stops)"
exec node playground/e2e/server.mjs dist "$port"
