#!/usr/bin/env bash
# Rust: formatting, lints, unit and integration tests (the shared corpus
# included), doctests, and the engine's build for wasm32.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

log "cargo fmt --check"
cargo fmt --all --check
log "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
log "cargo test"
cargo test --workspace
log "engine builds for wasm32-unknown-unknown"
cargo build -p portcullis --target wasm32-unknown-unknown
