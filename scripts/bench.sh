#!/usr/bin/env bash
# Runs the benchmarks whose results BENCHMARKS.md records: the engine's
# criterion benches, and (when present) the npm package against Cedar and the
# playground's keystroke timing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

log "engine: cargo bench -p portcullis (criterion; medians in target/criterion)"
cargo bench -p portcullis --bench engine -- "$@"
log "engine: interleaved scaling (cargo bench -p portcullis --bench scaling)"
cargo bench -q -p portcullis --bench scaling > target/scaling.md
log "engine: medians into BENCHMARKS.md"
node scripts/engine-bench-table.mjs
for part in npm playground; do
  if [ -x "scripts/bench-$part.sh" ]; then
    log "$part benchmarks"
    "scripts/bench-$part.sh"
  fi
done
