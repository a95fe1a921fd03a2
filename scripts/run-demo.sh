#!/usr/bin/env bash
# Installs what is needed, builds, and opens the app on the embedded demo workspace (local, mount mode,
# no cloud account): a legacy bucket with data, a fresh development bucket, a stale production one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset default
cmake --build --preset default --parallel "$(nproc)" --target moltdesk moltctl
exec build/default/app/moltdesk/moltdesk "$@"
