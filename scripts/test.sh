#!/usr/bin/env bash
# Runs every test. With arguments, only those parts: ./dev test rust npm
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh all
parts=("$@")
if [ ${#parts[@]} -eq 0 ]; then
  parts=(rust)
  [ -x scripts/test-npm.sh ] && parts+=(npm)
  [ -x scripts/test-playground.sh ] && parts+=(playground)
  [ -x scripts/test-fuzz.sh ] && parts+=(fuzz)
fi
for part in "${parts[@]}"; do
  "scripts/test-$part.sh"
done
printf '\033[1;32m==> all tests passed (%s)\033[0m\n' "${parts[*]}"
