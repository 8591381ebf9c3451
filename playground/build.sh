#!/usr/bin/env bash
# Builds the release playground into dist/ (or the --dist given) with Trunk,
# offline, optimised by npm's binaryen 132 wasm-opt (never Debian's).
# Needs `scripts/setup.sh rust node` first; honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/playground/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != 132 ]; then
  echo "error: wasm-opt 132 (npm binaryen) is not installed; run scripts/setup.sh node" >&2
  exit 1
fi
exec trunk build --release "$@"
