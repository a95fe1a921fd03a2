#!/usr/bin/env bash
# The Isolation tab (verdict banner and data-flow diagram) of a healthy and of a broken deployment,
# from fresh demo workspaces, rendered by the real window under Xvfb:
#   docs/isolation-healthy.png  the demo as created
#   docs/isolation-broken.png   env.production deploying with ENVIRONMENT=development, and a start
#                               script that restores from the hard-coded /data/moltbot
# Usage: scripts/screenshot-isolation.sh [build-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/default}"
cmake --build "$build" --target moltdesk_shot moltctl
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache"
export QT_QPA_PLATFORM=xcb
moltctl="$build/app/moltctl/moltctl"
"$moltctl" init-demo "$home/healthy" >/dev/null
"$moltctl" init-demo "$home/broken" >/dev/null
sed -i 's/"vars": { "ENVIRONMENT": "production" }/"vars": { "ENVIRONMENT": "development" }/' "$home/broken/wrangler.jsonc"
printf '#!/bin/bash\nBACKUP_DIR="/data/moltbot"\n[ -f "$BACKUP_DIR/.last-sync" ]\n' >"$home/broken/start-moltbot.sh"
for which in healthy broken; do
    xvfb-run -a -s "-screen 0 1400x900x24" "$build/tests/support/moltdesk_shot" \
        "$home/$which/profile.json" "$here/docs/isolation-$which.png" Isolation
    echo "wrote $here/docs/isolation-$which.png"
done
