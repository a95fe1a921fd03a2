#!/usr/bin/env bash
# Installs what is needed, builds, and opens the app; with no arguments it opens its local demo workspace
# (mount mode, no cloud account). Arguments go to moltdesk.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset default
cmake --build --preset default --parallel "$(nproc)" --target moltdesk moltctl
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]; then
    echo "run-demo: no DISPLAY or WAYLAND_DISPLAY: the window needs a desktop session" \
         "(or try: xvfb-run -a scripts/run-demo.sh; scripts/screenshot.sh saves a picture)" >&2
fi
exec build/default/app/moltdesk/moltdesk "$@"
