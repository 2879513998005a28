#!/usr/bin/env bash
# Runs "$@" inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# HOME and XDG_* pointed at a fresh temp folder that is removed afterwards.
# Usage: bash scripts/with-keyring.sh <command> [args...]   (exits with the command's status)
# Sets SSPM_ONBOARD_TEST_KEYRING=1 so that the keychain tests know they may use (and must find) this keyring.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: $tool not found. Install it: apt-get install -y dbus gnome-keyring libsecret-tools" >&2
    exit 127
  fi
done

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/sspm-keyring.XXXXXX")"
cleanup() { rm -rf "$keyring_home"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$keyring_home/.config" "$keyring_home/.local/share" "$keyring_home/.cache" "$keyring_home/.local/state" "$keyring_home/run"
chmod 700 "$keyring_home" "$keyring_home/run"

# Filter stderr synchronously (a pipe, not a process substitution) so no line arrives after we exit.
set +e
{
  HOME="$keyring_home" \
  XDG_CONFIG_HOME="$keyring_home/.config" \
  XDG_DATA_HOME="$keyring_home/.local/share" \
  XDG_CACHE_HOME="$keyring_home/.cache" \
  XDG_STATE_HOME="$keyring_home/.local/state" \
  XDG_RUNTIME_DIR="$keyring_home/run" \
  KEYRING_PASSWORD="${KEYRING_PASSWORD:-ci}" \
  SSPM_ONBOARD_TEST_KEYRING=1 \
  dbus-run-session -- bash -c '
    # gnome-keyring-daemon creates and unlocks $XDG_DATA_HOME/keyrings/login.keyring and exits with the bus.
    printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    unset KEYRING_PASSWORD
    exec "$@"' with-keyring "$@" 2>&1 1>&3 3>&- | grep --line-buffered -v 'Failed to set fd limit' >&2
  exit "${PIPESTATUS[0]}"
} 3>&1
