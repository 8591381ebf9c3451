#!/usr/bin/env bash
# Fuzzes the engine with cargo-fuzz (libFuzzer, nightly Rust).
#   scripts/fuzz.sh [seconds per target] [target ...]
# Defaults: 60 seconds each, every target in fuzz/fuzz_targets. Installs the
# nightly toolchain and cargo-fuzz when missing, writes the seed corpora from
# tests/ (fuzz/corpus, not committed), and stops at the first crash, whose
# input libFuzzer leaves in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

CARGO_FUZZ_VERSION=0.13.2
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for file in fuzz/fuzz_targets/*.rs; do
    targets+=("$(basename "$file" .rs)")
  done
fi

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  log "installing the nightly toolchain (minimal profile)"
  rustup toolchain install nightly --profile minimal
fi
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  log "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

log "seed corpora from tests/"
cargo run --quiet --manifest-path fuzz/Cargo.toml --example seed

cd fuzz
log "building the fuzz targets"
cargo +nightly fuzz build
for target in "${targets[@]}"; do
  log "fuzzing $target for ${seconds}s"
  cargo +nightly fuzz run "$target" -- \
    -max_total_time="$seconds" -dict=portcullis.dict -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
