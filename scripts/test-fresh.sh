#!/usr/bin/env bash
# The bare-machine proof: the README's two commands and the Debian package on Debian 12 roots that have
# nothing on them.
#   1. debootstrap a minimal bookworm root (once; two copies of it are the two bare machines)
#   2. in the first, on a clean clone of this checkout's HEAD: scripts/run-demo.sh (builds, and with no
#      display proves the window comes up offscreen), then `cmake --workflow --preset package` (the .deb)
#   3. in the second: apt-get install ./moltdesk_<version>_amd64.deb, then moltctl --version, init-demo,
#      status, the man pages and completion, and moltdesk under xvfb-run for a few seconds
#   4. in the first again: scripts/test.sh (every test; long: over an hour on a 2-core machine)
# Everything the project needs must come from its own scripts (scripts/install-deps.sh and
# scripts/packages.txt); this script adds only the debootstrap and, in the second root, xvfb to look at
# the installed app. Prints each step's time and a summary; exits non-zero when a step failed.
#
# Usage: sudo scripts/test-fresh.sh [--no-tests]    (--no-tests: skip step 4)
# Environment: MOLTDESK_FRESH_DIR (parent of the temporary folder, default /var/tmp),
#   MOLTDESK_FRESH_KEEP=1 (keep the roots afterwards), MOLTDESK_DEBIAN_MIRROR (default deb.debian.org).
# Only committed work is tested: the roots get a `git clone` of HEAD.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
run_tests=1
[ "${1:-}" = "--no-tests" ] && run_tests=0
[ "$(id -u)" -eq 0 ] || { echo "test-fresh: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
for tool in debootstrap git chroot mount; do
    command -v "$tool" >/dev/null || { echo "test-fresh: needs $tool (apt-get install $tool)" >&2; exit 2; }
done
mirror=${MOLTDESK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d "${MOLTDESK_FRESH_DIR:-/var/tmp}/moltdesk-fresh.XXXXXX")
build_root=$work/build-root
install_root=$work/install-root
mounts=()
summary=()
failed=0

log() { echo "test-fresh: $*" >&2; }

# Mounts are undone in reverse order; the folder is removed only when none is left under it (a bind
# mount of /dev still in place would otherwise make rm -rf delete the host's device nodes).
print_summary() {
    echo
    echo "test-fresh summary ($(date -u +%FT%TZ)):"
    printf '  %s\n' "${summary[@]}"
}

cleanup() {
    local i
    print_summary
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
    done
    if grep -q " $work/" /proc/mounts; then
        log "mounts remain under $work: not removing it"
    elif [ "${MOLTDESK_FRESH_KEEP:-0}" = 1 ]; then
        log "kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

bind() { # source target
    mkdir -p "$2"
    mount --bind "$1" "$2"
    mounts+=("$2")
}

# What the tests need of a machine: /proc, /dev (with /dev/fuse for s3fs), /dev/pts, /dev/shm, /sys.
mount_machine() { # root
    bind /proc "$1/proc"
    bind /sys "$1/sys"
    bind /dev "$1/dev"
    bind /dev/pts "$1/dev/pts"
    mkdir -p "$1/dev/shm"
    mount -t tmpfs -o mode=1777 shm "$1/dev/shm"
    mounts+=("$1/dev/shm")
    cp /etc/resolv.conf "$1/etc/resolv.conf"
}

# A command inside a root, as root, with the environment of a fresh login and no display.
in_root() { # root command...
    local root=$1
    shift
    chroot "$root" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 TERM=dumb "$@"
}

step() { # name command...
    local name=$1 start rc=0
    shift
    log "== $name"
    start=$(date +%s)
    # In the background so that `set -e` holds inside the step (it is ignored in a function called
    # from a condition); steps pass results on through files in $work.
    "$@" &
    wait $! || rc=$?
    local took=$(($(date +%s) - start))
    local line
    line=$(printf '%-58s %5d s  %s' "$name" "$took" "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")
    summary+=("$line")
    log "$line"
    [ $rc -eq 0 ] || failed=1
    return $rc
}

make_base() {
    debootstrap --variant=minbase bookworm "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
        { tail -20 "$work/debootstrap.log" >&2; return 1; }
    # As an installed Debian 12 has them: the updates and security suites.
    cat >"$work/base/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
    cp -a "$work/base" "$build_root"
    cp -a "$work/base" "$install_root"
}

clone_checkout() {
    git clone --quiet --no-hardlinks "$here" "$build_root/root/moltdesk"
    log "cloned $(git -C "$build_root/root/moltdesk" log --oneline -1)"
}

first_command() { in_root "$build_root" sh -c 'cd /root/moltdesk && scripts/run-demo.sh'; }

build_package() {
    in_root "$build_root" sh -c 'cd /root/moltdesk && cmake --workflow --preset package'
    local deb
    deb=$(cd "$build_root/root/moltdesk/build/default" && ls moltdesk_*_amd64.deb)
    cp "$build_root/root/moltdesk/build/default/$deb" "$install_root/root/"
    echo "$deb" >"$work/deb-name"
    log "built $deb"
}

install_package() {
    local deb
    deb=$(cat "$work/deb-name")
    in_root "$install_root" apt-get update -q
    in_root "$install_root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./root/$deb"
}

check_installed() {
    cat >"$install_root/root/check-installed.sh" <<'EOF'
set -eu
profile=/root/demo/profile.json
moltctl --version
moltdesk --version
moltctl init-demo /root/demo
moltctl --profile $profile status
for f in /usr/share/man/man1/moltctl.1.gz /usr/share/man/man1/moltdesk.1.gz \
         /usr/share/applications/moltdesk.desktop /usr/share/icons/hicolor/scalable/apps/moltdesk.svg \
         /usr/share/icons/hicolor/48x48/apps/moltdesk.png /usr/share/bash-completion/completions/moltctl \
         /usr/share/metainfo/io.github.moltdesk.moltdesk.metainfo.xml; do
    test -s "$f" || { echo "missing: $f"; exit 1; }
done
dpkg-query -W -f='installed: ${Package} ${Version}\nDepends: ${Depends}\n' moltdesk
# The installed completion completes the demo profile's environments.
. /usr/share/bash-completion/completions/moltctl
COMP_WORDS=(moltctl --profile $profile sync ""); COMP_CWORD=4; _moltctl
echo "completion of 'moltctl --profile $profile sync <TAB>': ${COMPREPLY[*]}"
[ ${#COMPREPLY[@]} -gt 1 ]
EOF
    in_root "$install_root" bash /root/check-installed.sh
}

# xvfb is the test's own tool (to look at the installed app), not something the package needs.
run_installed_app() {
    in_root "$install_root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        xvfb xauth >/dev/null
    local rc=0
    in_root "$install_root" xvfb-run -a timeout 8 moltdesk --profile /root/demo/profile.json || rc=$?
    [ $rc -eq 124 ] || { log "moltdesk exited with $rc under xvfb-run instead of staying up"; return 1; }
    log "moltdesk stayed up under xvfb-run for 8 s"
}

second_command() { in_root "$build_root" sh -c 'cd /root/moltdesk && scripts/test.sh'; }

log "working in $work"
step "debootstrap bookworm (minbase) and two copies" make_base
step "git clone of HEAD into the first root" clone_checkout
mount_machine "$build_root"
step "first command: scripts/run-demo.sh (bare root)" first_command
step "cmake --workflow --preset package (the .deb)" build_package
mount_machine "$install_root"
step "apt-get install ./moltdesk_<version>_amd64.deb (2nd root)" install_package || true
step "moltctl --version, init-demo, status; files" check_installed || true
step "moltdesk under xvfb-run (8 s)" run_installed_app || true
if [ $run_tests = 1 ]; then
    step "second command: scripts/test.sh (bare root)" second_command || true
else
    summary+=("second command: scripts/test.sh                             not run (--no-tests)")
fi
exit $failed
