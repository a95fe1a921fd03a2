#!/usr/bin/env bash
# Runs a command with a real secret service (GNOME Keyring on a private D-Bus session), so QtKeychain
# reads and writes for real. The keyring lives in a temporary folder, never the developer's own.
#   with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
keyring_home=$(mktemp -d /tmp/moltdesk-keyring.XXXXXX)
trap 'rm -rf "$keyring_home"' EXIT
export MOLTDESK_KEYRING_HOME=$keyring_home
dbus-run-session -- bash -c '
    export XDG_DATA_HOME=$MOLTDESK_KEYRING_HOME/data XDG_RUNTIME_DIR=$MOLTDESK_KEYRING_HOME/run
    mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    eval "$(printf moltdesk-test-keyring | gnome-keyring-daemon --unlock --components=secrets)"
    export GNOME_KEYRING_CONTROL
    "$@"' with-keyring "$@"
