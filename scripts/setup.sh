#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there.
#   scripts/setup.sh rust      wasm target, wasm-bindgen CLI, Trunk
#   scripts/setup.sh browser   Debian's chromium and chromedriver
#   scripts/setup.sh node      the npm packages of npm/ and playground/e2e/
#   scripts/setup.sh all       all of the above
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

setup_rust() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
    # No --locked: its lock file wants a webpki-roots release the registry lacks.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
    log "installing trunk $TRUNK_VERSION (about 9 minutes)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

setup_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return
  fi
  log "installing Debian's chromium and chromium-driver"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y chromium chromium-driver || {
    $sudo apt-get update
    $sudo apt-get install -y chromium chromium-driver
  }
}

setup_node() {
  for dir in npm playground/e2e; do
    if [ -f "$dir/package.json" ]; then
      if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        log "installing npm packages in $dir"
        # `npm install`, not `npm ci`: the lock names only the platform
        # packages the registry here serves (linux builds of deno and
        # workerd), and `npm ci` refuses a lock without the others. With an
        # unchanged package.json, `npm install` installs exactly the lock.
        (cd "$dir" && npm install --no-audit --no-fund)
      fi
    fi
  done
}

case "${1:-all}" in
  rust) setup_rust ;;
  browser) setup_browser ;;
  node) setup_node ;;
  all)
    setup_rust
    setup_browser
    setup_node
    ;;
  *)
    echo "usage: scripts/setup.sh rust|browser|node|all" >&2
    exit 2
    ;;
esac
