#!/usr/bin/env bash
# The playground: component tests (wasm-bindgen-test in headless Chromium),
# the release build, and the end-to-end specs (playwright-core, Debian's
# Chromium) against that build served on 127.0.0.1. The playground's native
# unit tests (presets, share links, highlighting) run with `cargo test` in
# scripts/test-rust.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

scripts/setup.sh rust
scripts/setup.sh browser
scripts/setup.sh node
if env | grep -qi '^[a-z_]*_proxy='; then
  export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
fi

log "playground component tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p portcullis-playground --target wasm32-unknown-unknown --test components

log "playground release build"
dist="$(mktemp -d)"
trap 'rm -rf "$dist"' EXIT
playground/build.sh --dist "$dist"

log "playground end-to-end (playwright-core, Chromium, 127.0.0.1)"
(cd playground/e2e && PLAYGROUND_DIST="$dist" node --test --test-concurrency=2 specs/*.spec.mjs)
