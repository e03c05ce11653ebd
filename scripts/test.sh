#!/usr/bin/env bash
# The README's test command: install from the lockfile (fast when already installed), then run
# every package's tests once.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM="npx -y pnpm@12.4.2"
$PNPM install --frozen-lockfile --reporter=silent
$PNPM test
