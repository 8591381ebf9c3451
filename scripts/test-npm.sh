#!/usr/bin/env bash
# The npm package: builds it once (release wasm through wasm-opt -Oz from the
# npm binaryen) and runs every JS test against the built package with Node's
# test runner: the shared corpus via require and import (checked case for
# case against the Rust engine), the JS API and bad input, portcullis/mcp
# with the real MCP SDK (in-memory and stdio), the proxy and CLI in front of
# real server processes, workerd over HTTP, Deno, headless Chromium, and
# `tsc --noEmit` on a TypeScript consumer.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

scripts/setup.sh node

log "building the npm package (npm/pkg)"
node npm/build/build.mjs

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "the Rust engine's reports on the corpus (tests/**/*.suite.yaml)"
cargo run --quiet -p portcullis-wasm --example corpus_report -- "$PWD/tests" > "$work/rust-corpus.json"
export PORTCULLIS_RUST_CORPUS="$work/rust-corpus.json"
export PORTCULLIS_PKG="$PWD/npm/pkg"
export DENO_NO_UPDATE_CHECK=1

# `npm test`: its pretest links node_modules/portcullis to npm/pkg first.
# The tests import "portcullis" through that link, and ESM resolves every
# import before any module body runs, so the link must exist before
# node --test starts (a fresh `npm install` has none).
log "npm test (node --test npm/test)"
cd npm
npm test
