#!/usr/bin/env bash
# Speed and size of the npm package against @cedar-policy/cedar-wasm, in one
# run: builds the package (release, wasm-opt -Oz) and a variant with the
# serde-wasm-bindgen comparison export, runs npm/bench/bench.mjs, and writes
# the results into npm/BENCHMARKS.md between its markers.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

scripts/setup.sh node
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "building the npm package (npm/pkg)"
node npm/build/build.mjs
log "building the marshalling comparison variant"
node npm/build/build.mjs --no-opt --features marshal-compare --out "$work/compare"

log "benchmarking (a few minutes)"
node npm/bench/bench.mjs --pkg npm/pkg --compare "$work/compare" | tee "$work/results.md"

node - "$work/results.md" npm/BENCHMARKS.md <<'JS'
const fs = require("fs");
const [results, target] = process.argv.slice(2);
const start = "<!-- bench-npm:start -->";
const end = "<!-- bench-npm:end -->";
const text = fs.readFileSync(target, "utf8");
const from = text.indexOf(start);
const to = text.indexOf(end);
if (from < 0 || to < from) throw new Error(`${target} has no ${start} ... ${end} markers`);
const body = fs.readFileSync(results, "utf8").trim();
fs.writeFileSync(target, `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`);
JS
log "results written to npm/BENCHMARKS.md"
