#!/usr/bin/env bash
# Builds moltdesk, runs it on a fresh demo workspace under Xvfb and saves docs/screenshot.png.
# Usage: scripts/screenshot.sh [build-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/ui}"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target moltdesk
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
# A private data/config home: the demo is created fresh, nothing of the user's is touched.
export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache"
export QT_QPA_PLATFORM=xcb
xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
    "$1" -geometry 1400x900+0+0 >"$2/moltdesk.log" 2>&1 &
    pid=$!
    sleep "${MOLTDESK_SCREENSHOT_WAIT:-6}"
    import -window root "$3"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
' _ "$build/app/moltdesk/moltdesk" "$home" "$here/docs/screenshot.png"
echo "wrote $here/docs/screenshot.png"
