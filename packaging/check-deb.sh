#!/usr/bin/env bash
# Builds the .deb from a build tree into a temporary folder and checks it the way Debian would:
# lintian with no error and no warning (the remaining informational tags are printed), the files an
# operator needs are in it, and its dependencies were computed (shlibdeps found Qt).
# Usage: packaging/check-deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for tool in cpack lintian dpkg-deb; do
    command -v "$tool" >/dev/null || { echo "check-deb: $tool missing: not checked" >&2; exit 1; }
done
cpack --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/moltdesk_*_amd64.deb)
echo "check-deb: $(basename "$deb")"
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/moltctl ./usr/bin/moltdesk ./usr/share/applications/moltdesk.desktop \
         ./usr/share/icons/hicolor/scalable/apps/moltdesk.svg ./usr/share/icons/hicolor/48x48/apps/moltdesk.png \
         ./usr/share/icons/hicolor/256x256/apps/moltdesk.png ./usr/share/man/man1/moltctl.1.gz \
         ./usr/share/man/man1/moltdesk.1.gz ./usr/share/bash-completion/completions/moltctl \
         ./usr/share/metainfo/io.github.moltdesk.moltdesk.metainfo.xml ./usr/share/doc/moltdesk/copyright \
         ./usr/share/doc/moltdesk/changelog.gz; do
    grep -qx -- "$f" <<<"$contents" || { echo "check-deb: $f is not in the package"; exit 1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "check-deb: Depends: $depends"
for lib in libqt6core6 libqt6widgets6 libqt6network6; do
    grep -q "$lib" <<<"$depends" || { echo "check-deb: Depends lacks $lib: shlibdeps did not run?"; exit 1; }
done
# The test server and the benchmark peers are the tests' tools, never the package's dependencies.
if grep -Eq 'swift|rclone|awscli|s3cmd|hyperfine|memcached' <<<"$depends"; then
    echo "check-deb: a test tool is a dependency: $depends"
    exit 1
fi
lintian --fail-on error,warning --display-info --pedantic "$deb" 2>&1 | grep -v 'running with root privileges' || true
# lintian's own exit status decides (the pipeline above only shows its output).
lintian --fail-on error,warning --pedantic "$deb" >/dev/null 2>&1 || { echo "check-deb: lintian failed"; exit 1; }
echo "check-deb: lintian: no errors, no warnings"
