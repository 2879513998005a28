#!/usr/bin/env bash
# npm run demo: installs what is missing (node packages, a headless Chromium), builds, and onboards a sandbox instance.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
ensure_node_modules
ensure_apt chromium-headless-shell:chromium-headless-shell openssl:openssl
ensure_built
exec node dist/demo.js
