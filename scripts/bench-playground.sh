#!/usr/bin/env bash
# The playground's speed and size: builds the release playground, measures
# a keystroke's work (a 200-rule policy recompiled and 50 scenarios re-run,
# in headless Chromium) and the wasm size, raw and gzip, and writes them to
# playground/BENCHMARKS.md.
#   scripts/bench-playground.sh [KEYSTROKES]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
keystrokes="${1:-60}"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

scripts/setup.sh rust
scripts/setup.sh browser
scripts/setup.sh node
dist="$(mktemp -d)"
trap 'rm -rf "$dist"' EXIT
log "building the release playground"
playground/build.sh --dist "$dist"
log "measuring $keystrokes keystrokes in headless Chromium"
(cd playground/e2e && node bench.mjs "$dist" "$keystrokes") > "$dist/bench.json"
node playground/e2e/bench-report.mjs "$dist" "$dist/bench.json" > playground/BENCHMARKS.md
cat playground/BENCHMARKS.md
