#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test, including those against the real S3 server
# (OpenStack Swift + s3api on loopback, started and stopped by the CTest fixtures themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset default
cmake --build --preset default --parallel "$(nproc)"
# Integration tests must never skip silently: without the server they fail.
export MOLTDESK_REQUIRE_S3=1
ctest --preset default --parallel 2 "$@"
