#!/usr/bin/env bash
# The brief fuzzing run of `./dev test`: every fuzz target for a short time
# (PORTCULLIS_FUZZ_SECONDS, default 45) when nightly Rust and cargo-fuzz can
# be installed. Where they cannot, it says so and skips: the fuzz targets are
# a development tool, the corpus tests already run on stable.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${PORTCULLIS_FUZZ_SECONDS:-45}"
# Bounded: on machines whose network reaches only the package registries,
# the toolchain server cannot be reached and the attempt must fail fast.
if ! rustup run nightly rustc --version >/dev/null 2>&1 \
  && ! timeout 120 rustup toolchain install nightly --profile minimal; then
  printf '\033[1;33m==> fuzz: nightly Rust cannot be installed here; skipped\033[0m\n' >&2
  exit 0
fi
exec scripts/fuzz.sh "$seconds"
