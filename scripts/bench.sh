#!/usr/bin/env bash
# npm run bench: installs what is missing, builds, measures (see bench/run.ts). Not part of npm test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
ensure_node_modules
ensure_apt chromium-headless-shell:chromium-headless-shell openssl:openssl /usr/bin/time:time
ensure_built
exec node --import tsx bench/run.ts
