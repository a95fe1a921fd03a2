#!/usr/bin/env bash
# The window as people will see it, for docs/: the real MainWindow on a fresh demo workspace under
# Xvfb, each tab and the sync dialog, captured with `import -window root` (what the screen shows, so
# anything off-screen or cut off shows as such) at three sizes:
#   docs/screens/1400x900-*.png   a laptop
#   docs/screens/900x600-*.png    a small screen
#   docs/screens/scale2-*.png     1400x900 logical at QT_SCALE_FACTOR=2 (2800x1800 pixels)
# Usage: scripts/screenshots.sh [build-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/default}"
cmake --build "$build" --target moltdesk_shot moltctl
out="$here/docs/screens"
mkdir -p "$out"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
# A private data/config home: nothing of the user's is read or touched.
export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache"
export QT_QPA_PLATFORM=xcb
moltctl="$build/app/moltctl/moltctl"
shot="$build/tests/support/moltdesk_shot"

# shoot NAME SCREEN SCALE TAB [sync]
shoot() {
    local name="$1" screen="$2" scale="$3" tab="$4" dialog="${5:-}"
    local demo="$home/demo-$name"
    rm -rf "$demo" "$home/config"
    "$moltctl" init-demo "$demo" >/dev/null
    QT_SCALE_FACTOR="$scale" xvfb-run -a -s "-screen 0 ${screen}x24" bash -c '
        "$1" "$2" --hold 4 "$3" $4 >"$5.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 300); do grep -q ready "$5.log" 2>/dev/null && break; sleep 0.1; done
        grep -q ready "$5.log" || { echo "moltdesk_shot did not get ready:"; cat "$5.log"; kill "$pid"; exit 1; }
        import -window root "$5"
        wait "$pid" 2>/dev/null || true
    ' _ "$shot" "$demo/profile.json" "$tab" "$dialog" "$out/$name.png"
    rm -f "$out/$name.png.log"
    echo "wrote $out/$name.png"
}

for size in 1400x900 900x600; do
    for tab in Overview Contents Isolation Log; do
        shoot "$size-${tab,,}" "$size" 1 "$tab"
    done
    shoot "$size-sync" "$size" 1 Overview sync
done
shoot scale2-overview 2800x1800 2 Overview
shoot scale2-isolation 2800x1800 2 Isolation
shoot scale2-sync 2800x1800 2 Overview sync
