#!/usr/bin/env bash
# Restore (and optionally migration) against the floor, side by side, alternating, on the standard tree:
#   moltctl restore --force   vs   moltdesk-floor get -j J   vs   rclone copy --transfers=16
#   moltctl migrate           vs   moltdesk-floor copy -j J  vs   rclone copy (server-side)   [--migrate]
# Prints each run, then the medians and the ratios to the floor and to rclone. MOLTCTL_BEFORE=/path: a
# second moltctl measured in the same rotation (a before/after of one change, same minutes, same load).
# --migrate also times moltctl's migration plan alone (migrate --dry-run: the two listings);
# --migrate-only: the migration without the restores.
# --initial: also the initial upload into an empty bucket (moltctl sync vs moltdesk-floor put -j J vs
# rclone sync --transfers=16), before each repetition's restores; moltctl's upload goes last, so the
# restores read what moltctl wrote.
# --syscalls: moltctl's runs under strace -c for fsync/fdatasync/syncfs (calls and seconds blocked,
# summed over threads); slows those runs, so their wall times are not comparable then.
#   bench/restore-vs-floor.sh [--reps 3] [--floor-j 16] [--initial] [--migrate | --migrate-only] [--syscalls]
# Uses the binaries in build/default (build moltctl and moltdesk-floor first).
set -euo pipefail
cd "$(dirname "$0")/.."
reps=3 floorj=16 migrate=0 syscalls=0 restore=1 initial=0
while [ $# -gt 0 ]; do
    case $1 in
        --reps) reps=$2; shift 2 ;;
        --floor-j) floorj=$2; shift 2 ;;
        --migrate) migrate=1; shift ;;
        --migrate-only) migrate=1 restore=0; shift ;;
        --initial) initial=1; shift ;;
        --syscalls) syscalls=1; shift ;;
        *) echo "usage: bench/restore-vs-floor.sh [--reps N] [--floor-j J] [--initial] [--migrate | --migrate-only] [--syscalls]" >&2; exit 2 ;;
    esac
done
M=$PWD/build/default/app/moltctl/moltctl
FLOOR=$PWD/build/default/bench/moltdesk-floor
RU=$PWD/bench/rusage.py
PY=/usr/bin/python3
work=$(mktemp -d /tmp/moltdesk-rvf.XXXXXX)
state=$work/s3
. bench/server.sh   # the server, stopped on exit, and every client pointed at it
export XDG_CACHE_HOME=$work/cache XDG_DATA_HOME=$work/data
AWS="/usr/bin/aws --endpoint-url $EP"
$PY tests/support/gen_tree.py "$work/tree" >/dev/null
profile() {  # file base env
    cat > "$1" <<JSON
{ "environments": ["$3"], "includeLegacy": true,
  "naming": { "bucketBase": "$2", "mountBase": "/data/$2", "instanceBase": "$2" },
  "storage": { "type": "s3", "endpoint": "$EP" },
  "syncSets": [ { "local": "tree/clawdbot", "prefix": "clawdbot/" }, { "local": "tree/workspace", "prefix": "workspace/" },
                { "local": "tree/skills", "prefix": "skills/" } ], "exclude": [] }
JSON
}
profile "$work/profile.json" moltdesk bench
profile "$work/migrate.json" moltdesk-bench copy
for f in .dev.vars .dev.vars.bench .dev.vars.copy; do
    printf 'R2_ACCESS_KEY_ID=%s\nR2_SECRET_ACCESS_KEY=%s\n' "$KEY" "$SECRET" > "$work/$f"
done
"$M" --profile "$work/profile.json" --no-keychain sync bench --max-delete unlimited >/dev/null
empty_bucket() { $AWS s3 rm --recursive --only-show-errors "s3://$1" >/dev/null 2>&1 || true; }

results=$work/results.tsv
run() {  # SCENARIO TOOL COMMAND...
    local scenario=$1 tool=$2; shift 2
    $RU "$work/time" "$@" >"$work/out" 2>"$work/err" || { echo "$scenario $tool failed: $(tail -1 "$work/err")" >&2; exit 1; }
    printf '%s\t%s\t%s\n' "$scenario" "$tool" "$(cat "$work/time")" | tee -a "$results"
}
moltctls="moltctl"; [ -n "${MOLTCTL_BEFORE:-}" ] && moltctls="moltctl moltctl-before"
binary() { [ "$1" = moltctl ] && echo "$M" || echo "$MOLTCTL_BEFORE"; }
# --syscalls: a prefix for moltctl's runs, and what it recorded, after each run.
trace=(); [ "$syscalls" = 1 ] && trace=(strace -f -qq -w -c -e trace=fsync,fdatasync,syncfs -o "$work/strace")
syscalls_of() {  # SCENARIO TOOL
    [ "$syscalls" = 1 ] || return 0
    awk -v s="$1" -v t="$2" '$NF ~ /^(fsync|fdatasync|syncfs)$/ {print "syscalls " s " " t ": " $NF " " $4 " calls, " $2 " s"}' \
        "$work/strace" >> "$work/syscalls"
}
for rep in $(seq "$reps"); do
    for tool in floor rclone $moltctls; do
        [ "$initial" = 1 ] || break
        empty_bucket moltdesk-bench; rm -rf "$work/cache"
        case $tool in
            moltctl*) run initial "$tool" "$(binary "$tool")" --profile "$work/profile.json" --no-keychain \
                          sync bench --json --max-delete unlimited ;;
            floor) run initial "floor-j$floorj" "$FLOOR" put moltdesk-bench "$work/tree" -j "$floorj" ;;
            rclone) run initial rclone rclone sync "$work/tree/" p:moltdesk-bench/ --transfers=16 --fast-list \
                        --s3-no-check-bucket -q ;;
        esac
    done
    for tool in $moltctls floor rclone; do
        [ "$restore" = 1 ] || break
        rm -rf "$work/r"; sync  # each run starts with nothing dirty of the last one's
        case $tool in
            moltctl*) run restore "$tool" "${trace[@]}" "$(binary "$tool")" --profile "$work/profile.json" \
                          --no-keychain restore bench --to "$work/r" --force --json
                      syscalls_of restore "$tool" ;;
            floor) run restore "floor-j$floorj" "$FLOOR" get moltdesk-bench "$work/tree" "$work/r" -j "$floorj" ;;
            rclone) run restore rclone rclone copy p:moltdesk-bench "$work/r" --transfers=16 -q ;;
        esac
    done
    [ "$migrate" = 1 ] || continue
    for tool in $moltctls moltctl-plan floor rclone; do
        empty_bucket moltdesk-bench-copy
        case $tool in
            moltctl-plan) run migrate "$tool" "$M" --profile "$work/migrate.json" --no-keychain \
                              migrate copy --dry-run --json ;;
            moltctl*) run migrate "$tool" "${trace[@]}" "$(binary "$tool")" --profile "$work/migrate.json" \
                          --no-keychain migrate copy --json --report "$work/report.json"
                      syscalls_of migrate "$tool" ;;
            floor) run migrate "floor-j$floorj" "$FLOOR" copy moltdesk-bench "$work/tree" moltdesk-bench-copy -j "$floorj" ;;
            rclone) run migrate rclone rclone copy p:moltdesk-bench p:moltdesk-bench-copy --transfers=16 \
                        --fast-list --s3-no-check-bucket -q ;;
        esac
    done
done
[ -f "$work/syscalls" ] && cat "$work/syscalls"
$PY - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    scenario, tool, t = line.rstrip("\n").split("\t")
    wall, user, sys_, peak = t.split()
    runs.setdefault(scenario, {}).setdefault(tool, []).append((float(wall), float(user) + float(sys_)))
print("\nscenario  tool            n  wall median  CPU median  x floor  rclone/x")
for scenario, tools in runs.items():
    med = {t: statistics.median(w for w, _ in v) for t, v in tools.items()}
    floor = next(m for t, m in med.items() if t.startswith("floor"))
    for tool, v in tools.items():
        print(f"{scenario:9} {tool:15} {len(v)}  {med[tool]:9.2f} s  {statistics.median(c for _, c in v):8.2f} s"
              f"  {med[tool] / floor:6.2f}  {med.get('rclone', 0) / med[tool]:7.2f}")
PY
