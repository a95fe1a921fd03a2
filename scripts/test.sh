#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test, including those against the real S3 server
# (OpenStack Swift + s3api on loopback, started and stopped by the CTest fixtures s3server and faultproxy).
# Extra arguments go to ctest, e.g. scripts/test.sh -R tst_s3 or scripts/test.sh -L integration.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset default
cmake --build --preset default --parallel "$(nproc)"
# Integration tests must never skip silently: without the server they fail.
export MOLTDESK_REQUIRE_S3=1
# If ctest itself is interrupted, its cleanup fixtures do not run: stop what they would have stopped
# (both only ever signal processes started from this build's state directory).
state=build/default/s3server
trap '/usr/bin/python3 tests/support/faultproxy/faultproxy.py stop "$state" >/dev/null 2>&1 || true
      /usr/bin/python3 tests/support/s3server/s3server.py stop "$state" >/dev/null 2>&1 || true' EXIT
ctest --preset default --parallel 2 "$@"
# The core and its tests again under AddressSanitizer and UndefinedBehaviorSanitizer (preset "asan",
# label "core"). Skipped only when a filter was passed (a developer running one test).
if [ $# -eq 0 ]; then
    cmake --preset asan
    cmake --build --preset asan --parallel "$(nproc)"
    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
        ctest --preset asan --parallel 2
fi
