#!/usr/bin/env bash
# Installs every Debian package the project needs (the list is scripts/packages.txt: add to it there).
# Idempotent and quick when everything is already there: apt is not touched at all then.
# Runs as root, or through sudo otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/packages.txt" | grep -v '^$')
[ ${#packages[@]} -gt 0 ] || { echo "install-deps: $here/packages.txt lists no packages" >&2; exit 1; }

# One dpkg-query call for all of them; a package dpkg does not know prints nothing (and exits 1).
declare -A state=()
while read -r name status; do
    state[${name%%:*}]=$status
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for p in "${packages[@]}"; do
    [ "${state[$p]:-}" = "installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root, or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
# Swift's and memcached's packages would start system services (proxy on :8080, memcached on :11211).
# The tests start their own instances on free loopback ports: keep the system's from starting, for the
# duration of the install only (and only if no policy is in place already).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    "${sudo[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
