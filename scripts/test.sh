#!/usr/bin/env bash
# The whole suite: installs what it needs, builds, runs every test inside a private D-Bus session with a
# real gnome-keyring, and ends with a plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh

ensure_node_modules || exit 1
ensure_apt chromium-headless-shell:chromium-headless-shell chromium:chromium gnome-keyring-daemon:gnome-keyring \
  dbus-run-session:dbus secret-tool:libsecret-tools tmux:tmux openssl:openssl xmllint:libxml2-utils || exit 1
ensure_built || exit 1
npx tsc --noEmit -p . || { echo "0 passed, 1 failed"; exit 1; }

mkdir -p .tmp
report=".tmp/vitest-report.json"
rm -f "$report"
bash scripts/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node scripts/test-summary.mjs "$report" || status=1
exit "$status"
