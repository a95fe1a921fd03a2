#!/usr/bin/env bash
# Benchmarks moltctl against the tools an operator would use instead (rclone, aws-cli, s3cmd, and the
# seed's rsync in mount mode), on the same tree and server in one run, alternating tools, several
# repetitions: medians of wall time, CPU (user+sys) and peak RSS, ratios moltctl/peer, and what each
# tool wrote, counted independently of the tool (a listing diff before/after, or changed files).
# Each repetition starts its transfers with the next tool (the floor among them), so that no tool is
# always the one to meet a server still settling the previous repetition's deletions.
# Needs no ../shared: our own generator (tests/support/gen_tree.py) and server (tests/support/s3server).
# Floors: the same objects moved by bench/floor.cpp (raw PUT / GET / CopyObject, no plan, no hashing) at
# 8, 16 and 32 requests in flight; the best of them is the floor. CPU and wall from bench/rusage.py
# (wait4's rusage, microseconds).
#   bench/run.sh [--reps N] [--scale N] [--mount-scale N] [--s3fs-reps N]
#     --scale: S3 no-op plan at 10,000 and N objects (0: skip); --mount-scale: mount-mode no-op plan at
#     10,000, 100,000 and N files (0: skip); --s3fs-reps: the seed's rsync against moltctl through a real
#     s3fs mount, standard tree (0: skip); --s3fs-seed-limit S: stop each of the seed's s3fs runs after S
#     seconds (its time is then a lower bound; what it had written is still counted); --s3fs-initial-only:
#     only the two initial copies through s3fs, the seed's then moltctl's, back to back; --floor-j "8 16 32": the floor's concurrencies; --gui-reps:
#     runs of bench_gui_stall (default: --reps; 0 skips it and its build); --skip-main: only the
#     sections after the standard-tree repetitions (scale, s3fs, window), e.g. in a second run with
#     BENCH_RESULTS=bench/results/other.tsv.
#   MOLTCTL=BINARY: measure that moltctl instead of build/default's (e.g. a copy, while the tree is rebuilt).
#   --cpu-only: only the no-op's client CPU (issue 17 target 4): moltctl, aws, s3cmd and rclone each sync
#     once untimed, then 5 no-ops each per repetition, alternating; MOLTCTL_BEFORE=BINARY adds another
#     moltctl build (e.g. the previous commit's) as tool "moltctl-before", side by side in the same run.
#   Results in bench/results/latest.md; the raw rows go to bench/results/latest.tsv as they are measured,
#   so an interrupted run still leaves what it measured (bench/report.py makes the table from them).
set -euo pipefail
cd "$(dirname "$0")/.."
reps=3 scale=100000 mscale=1000000 s3fsreps=1 seedlimit=0 s3fsinitial=0 floorj="8 16 32" guireps= skipmain=0 cpuonly=0
while [ $# -gt 0 ]; do
    case $1 in
        --reps) reps=$2; shift 2 ;;
        --scale) scale=$2; shift 2 ;;
        --mount-scale) mscale=$2; shift 2 ;;
        --s3fs-reps) s3fsreps=$2; shift 2 ;;
        --s3fs-seed-limit) seedlimit=$2; shift 2 ;;
        --s3fs-initial-only) s3fsinitial=1; shift ;;
        --floor-j) floorj=$2; shift 2 ;;
        --gui-reps) guireps=$2; shift 2 ;;
        --skip-main) skipmain=1; shift ;;
        --cpu-only) cpuonly=1; shift ;;
        *) echo "usage: bench/run.sh [--reps N] [--scale N] [--mount-scale N] [--s3fs-reps N] [--s3fs-seed-limit S] [--s3fs-initial-only] [--floor-j \"8 16 32\"] [--gui-reps N] [--skip-main] [--cpu-only]" >&2; exit 2 ;;
    esac
done
scripts/install-deps.sh >/dev/null
guireps=${guireps:-$reps}; [ "$cpuonly" = 1 ] && guireps=0
gui_target=; [ "$guireps" -gt 0 ] && gui_target=bench_gui_stall
# BENCH_NO_BUILD=1: use the binaries already in build/default (e.g. while another build runs there).
[ -n "${BENCH_NO_BUILD:-}" ] ||
    { cmake --preset default >/dev/null && cmake --build --preset default --target moltctl moltdesk-floor $gui_target >/dev/null; }
M=${MOLTCTL:-$PWD/build/default/app/moltctl/moltctl}   # MOLTCTL: another build (a copy made before rebuilding)
FLOOR=$PWD/build/default/bench/moltdesk-floor
RU=$PWD/bench/rusage.py
PY=/usr/bin/python3
work=$(mktemp -d /tmp/moltdesk-bench.XXXXXX)
state=$work/s3
. bench/server.sh   # the server, stopped on exit, and every client pointed at it
export XDG_CACHE_HOME=$work/cache XDG_DATA_HOME=$work/data
AWS="/usr/bin/aws --endpoint-url $EP"
$PY tests/support/gen_tree.py "$work/tree" >/dev/null

# moltctl's profiles. Sync: the tree's three folders into moltdesk-bench (base "moltdesk", env "bench").
# Migration: legacy bucket moltdesk-bench into moltdesk-bench-copy (base "moltdesk-bench", env "copy").
profile() {  # file base env storage-json tree-dir
    cat > "$1" <<JSON
{ "environments": ["$3"], "includeLegacy": true,
  "naming": { "bucketBase": "$2", "mountBase": "/data/$2", "instanceBase": "$2" },
  "storage": $4,
  "syncSets": [ { "local": "$5/clawdbot", "prefix": "clawdbot/" }, { "local": "$5/workspace", "prefix": "workspace/" },
                { "local": "$5/skills", "prefix": "skills/" } ], "exclude": [] }
JSON
}
s3='{ "type": "s3", "endpoint": "'$EP'" }'
profile "$work/profile.json" moltdesk bench "$s3" tree
profile "$work/migrate.json" moltdesk-bench copy "$s3" tree
profile "$work/mount.json" moltdesk bench '{ "type": "mount", "root": "mnt" }' tree
for f in .dev.vars .dev.vars.bench .dev.vars.copy; do
    printf 'R2_ACCESS_KEY_ID=%s\nR2_SECRET_ACCESS_KEY=%s\n' "$KEY" "$SECRET" > "$work/$f"
done

mkdir -p bench/results
results=${BENCH_RESULTS:-$PWD/bench/results/latest.tsv}   # BENCH_RESULTS: another file (a second run)
: > "$results"
rep=0
# measure SCENARIO TOOL COMMAND...: wall, CPU (µs), peak RSS from bench/rusage.py; stdout is kept.
measure() {
    local scenario=$1 tool=$2; shift 2
    local out="$work/out.$scenario.$tool.$rep" t rc=0
    $RU "$work/time" "$@" >"$out" 2>"$work/err" || rc=$?
    t=$(tail -1 "$work/time")
    if [ $rc -ne 0 ] || ! grep -qE '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' <<<"$t"; then
        t="failed: exit $rc: $(tail -1 "$work/err")"
    fi
    printf '%s\t%s\t%s\n' "$scenario" "$tool" "$t" >> "$results"
}
# What a tool wrote, independently of the tool: objects whose ETag or modification time changed.
snapshot() { $AWS s3api list-objects-v2 --bucket "$1" --output json > "$work/snap.$2"; }
written() {  # SCENARIO TOOL: diff of snap.before and snap.after
    $PY - "$work/snap.before" "$work/snap.after" "$1" "$2" >> "$results" <<'PY'
import json, sys
def load(p):
    try: return {o["Key"]: (o["ETag"], o["LastModified"], o["Size"]) for o in json.load(open(p)).get("Contents", [])}
    except ValueError: return {}
a, b = load(sys.argv[1]), load(sys.argv[2])
# Moltdesk's own markers (.last-sync, the identity marker, the migration report) are counted apart:
# a no-op sync still stamps .last-sync, as the container's own sync does, so the status stays honest.
markers = {".last-sync", ".moltdesk-environment", ".migrated-from"}
changed = [k for k in b if a.get(k) != b[k] and k not in markers]
marked = [k for k in b if a.get(k) != b[k] and k in markers]
deleted = [k for k in a if k not in b and k not in markers]
print(f"{sys.argv[3]}\t{sys.argv[4]}\twritten {len(changed)} {sum(b[k][2] for k in changed)} {len(deleted)} "
      f"{len(marked)} {sum(b[k][2] for k in marked)}")
PY
}
files_changed() {  # DIR STAMPFILE: files written after the stamp (mount mode: bytes rewritten)
    # -cnewer (inode change), not -newer: Moltdesk's mount writes keep the source's modification time.
    find "$1" -type f -cnewer "$2" ! -name .last-sync ! -name .moltdesk-environment -printf '%s\n' |
        awk '{n++; s+=$1} END {printf "%d %d 0", n, s}'
    find "$1" -type f -cnewer "$2" \( -name .last-sync -o -name .moltdesk-environment \) -printf '%s\n' |
        awk '{n++; s+=$1} END {printf " %d %d", n, s}'
}
empty_bucket() { $AWS s3 rm --recursive --only-show-errors "s3://$1" >/dev/null 2>&1 || true; }
cat > "$work/mc" <<SH
#!/usr/bin/env bash
exec "$M" --profile "$work/profile.json" --no-keychain "\$@"
SH
cat > "$work/peer" <<SH
#!/usr/bin/env bash
case \$1 in
  rclone) exec rclone sync "$work/tree/" "p:moltdesk-bench/" --transfers=16 --fast-list --s3-no-check-bucket -q ;;
  aws) exec /usr/bin/aws --endpoint-url "$EP" s3 sync --delete --only-show-errors "$work/tree/" s3://moltdesk-bench/ ;;
  s3cmd) exec s3cmd --host="${EP#*://}" --host-bucket="${EP#*://}" --no-ssl --access_key="$KEY" --secret_key="$SECRET" \\
                 --region=auto --delete-removed -q sync "$work/tree/" s3://moltdesk-bench/ ;;
esac
SH
chmod +x "$work/mc" "$work/peer"
if [ "$cpuonly" = 1 ]; then
    cpu_tools="moltctl aws s3cmd rclone"
    if [ -n "${MOLTCTL_BEFORE:-}" ]; then
        printf '#!/usr/bin/env bash\nexec "%s" --profile "%s" --no-keychain "$@"\n' "$MOLTCTL_BEFORE" "$work/profile.json" > "$work/mcb"
        chmod +x "$work/mcb"; cpu_tools="moltctl moltctl-before aws s3cmd rclone"
    fi
    empty_bucket moltdesk-bench; "$work/mc" sync bench --max-delete unlimited >/dev/null
    for tool in aws s3cmd rclone; do "$work/peer" $tool >/dev/null 2>&1; done  # each tool's own first sync
    for rep in $(seq "$reps"); do
        echo "bench: cpu-only, repetition $rep of $reps" >&2
        for i in 1 2 3 4 5; do
            for tool in $cpu_tools; do
                case $tool in
                    moltctl) measure cpu-noop moltctl "$work/mc" sync bench --json --max-delete unlimited ;;
                    moltctl-before) measure cpu-noop moltctl-before "$work/mcb" sync bench --json --max-delete unlimited ;;
                    *) measure cpu-noop $tool "$work/peer" $tool ;;
                esac
            done
        done
    done
    $PY bench/report.py "$results" "$reps" 0 > "${results%.tsv}.md"
    cat "${results%.tsv}.md"
    exit 0
fi
sync_with() {  # TOOL [measure SCENARIO]
    local tool=$1
    if [ $# -gt 1 ]; then
        if [ "$tool" = moltctl ]; then measure "$2" moltctl "$work/mc" sync bench --json --max-delete unlimited
        else measure "$2" "$tool" "$work/peer" "$tool"; fi
    elif [ "$tool" = moltctl ]; then "$work/mc" sync bench --max-delete unlimited >/dev/null 2>&1
    else "$work/peer" "$tool" >/dev/null 2>&1; fi
}
rotate() {  # N WORD...: the words, starting from the (N mod count)-th
    local n=$1; shift
    local words=("$@"); local k=$((n % ${#words[@]}))
    echo "${words[@]:k}" "${words[@]:0:k}"
}
tools="moltctl rclone aws s3cmd"
mainreps=$reps; [ "$skipmain" = 1 ] && mainreps=0
for rep in $(seq "$mainreps"); do
    echo "bench: repetition $rep of $reps" >&2
    # Each repetition starts the transfers with another tool, the floor among them: whoever goes first
    # meets a server still settling the previous deletions (round 7: moltctl, always first, measured
    # 1.87x the floor that way and 1.12x interleaved).
    order=$(rotate $((rep - 1)) $tools floor)
    # 1, 2: initial upload into an empty bucket, then a no-op re-sync by the same tool; the floor's raw
    # PUTs of the same files at each of --floor-j in flight.
    for tool in $order; do
        if [ "$tool" = floor ]; then
            for j in $floorj; do
                empty_bucket moltdesk-bench
                measure initial floor-j$j "$FLOOR" put moltdesk-bench "$work/tree" -j $j
            done
            continue
        fi
        empty_bucket moltdesk-bench; rm -rf "$work/cache"
        sync_with $tool initial
        snapshot moltdesk-bench before; sleep 1.1
        sync_with $tool noop
        snapshot moltdesk-bench after; written noop $tool
    done
    empty_bucket moltdesk-bench; rm -rf "$work/cache"; sync_with moltctl
    measure noop floor-list $AWS s3api list-objects-v2 --bucket moltdesk-bench --query 'length(Contents)'
    measure noop floor-moltctl-ls "$work/mc" ls bench --json
    # CPU of the no-op, 5 runs each, alternating, against the two lightest peers (rclone's is heavier).
    for i in 1 2 3 4 5; do
        measure cpu-noop moltctl "$work/mc" sync bench --json --max-delete unlimited
        measure cpu-noop aws "$work/peer" aws
        measure cpu-noop s3cmd "$work/peer" s3cmd
    done
    # 3: 30 files changed (gen_tree.py --touch 30 7); each tool syncs the same 30 changes.
    cp -a "$work/tree" "$work/tree.orig"
    for tool in $(rotate $((rep - 1)) $tools); do
        rm -rf "$work/tree"; cp -a "$work/tree.orig" "$work/tree"
        empty_bucket moltdesk-bench; rm -rf "$work/cache"
        sync_with $tool
        $PY tests/support/gen_tree.py "$work/tree" --touch 30 7 >/dev/null
        snapshot moltdesk-bench before; sleep 1.1
        sync_with $tool touch30
        snapshot moltdesk-bench after; written touch30 $tool
    done
    rm -rf "$work/tree"; mv "$work/tree.orig" "$work/tree"
    # 5: restore of the whole tree into an empty folder.
    empty_bucket moltdesk-bench; rm -rf "$work/cache"; sync_with moltctl
    for tool in $(rotate $((rep - 1)) moltctl rclone floor aws s3cmd); do
        rm -rf "$work/r"
        case $tool in
            moltctl) measure restore moltctl "$work/mc" restore bench --to "$work/r" --force --json ;;
            rclone) measure restore rclone rclone copy p:moltdesk-bench "$work/r" --transfers=16 -q ;;
            floor) for j in $floorj; do  # raw GETs of the same keys into an empty folder
                       rm -rf "$work/r"; measure restore floor-j$j "$FLOOR" get moltdesk-bench "$work/tree" "$work/r" -j $j
                   done ;;
            aws) measure restore aws $AWS s3 sync --only-show-errors s3://moltdesk-bench "$work/r" ;;
            s3cmd) measure restore s3cmd s3cmd --host="${EP#*://}" --host-bucket="${EP#*://}" --no-ssl \
                       --access_key="$KEY" --secret_key="$SECRET" --region=auto -q sync s3://moltdesk-bench/ "$work/r/" ;;
        esac
    done
    rm -rf "$work/r"
    # 6: legacy migration, server-side copy between two buckets of the same server.
    for tool in $(rotate $((rep - 1)) moltctl rclone floor); do
        if [ $tool = floor ]; then
            for j in $floorj; do  # raw CopyObject of the same keys
                empty_bucket moltdesk-bench-copy
                measure migrate floor-j$j "$FLOOR" copy moltdesk-bench "$work/tree" moltdesk-bench-copy -j $j
            done
            continue
        fi
        empty_bucket moltdesk-bench-copy
        if [ $tool = moltctl ]; then
            measure migrate moltctl "$M" --profile "$work/migrate.json" --no-keychain migrate copy --json --report "$work/report.json"
        else
            measure migrate rclone rclone copy p:moltdesk-bench p:moltdesk-bench-copy --transfers=16 --fast-list --s3-no-check-bucket -q
        fi
        snapshot moltdesk-bench before; snapshot moltdesk-bench-copy after; written migrate $tool
    done
    # 4: mount mode against the seed's rsync -r --no-times --delete to a directory.
    rm -rf "$work/mnt" "$work/rs" "$work/cache"; mkdir -p "$work/mnt/data/moltdesk-bench" "$work/rs"
    measure mount-initial moltctl "$M" --profile "$work/mount.json" sync bench
    measure mount-initial rsync rsync -r --no-times --delete "$work/tree/" "$work/rs/"
    for step in noop touch30; do
        [ $step = touch30 ] && $PY tests/support/gen_tree.py "$work/tree" --touch 30 $((7 + rep)) >/dev/null
        sleep 1.1; touch "$work/stamp"
        measure mount-$step moltctl "$M" --profile "$work/mount.json" sync bench
        printf 'mount-%s\tmoltctl\twritten %s\n' $step "$(files_changed "$work/mnt" "$work/stamp")" >> "$results"
        measure mount-$step rsync rsync -r --no-times --delete "$work/tree/" "$work/rs/"
        printf 'mount-%s\trsync\twritten %s\n' $step "$(files_changed "$work/rs" "$work/stamp")" >> "$results"
    done
done

# 7: scale. Trees of N small files (the first 10,000 of every size are the same files), synced once,
# then the no-op plan (moltctl sync --dry-run --json, hash cache warm) measured: on S3 at 10,000 and
# $scale objects (against the bare listing and rclone's dry run at the largest), in mount mode at
# 10,000, 100,000 and $mscale files.
gen_big() {  # DIR N
    $PY - "$1" "$2" <<'PY'
import os, sys, random
root, n = sys.argv[1], int(sys.argv[2]); rnd = random.Random(7)
for d in ("clawdbot", "workspace", "skills"): os.makedirs(f"{root}/{d}", exist_ok=True)
open(f"{root}/clawdbot/clawdbot.json", "w").write("{}\n")
for i in range(n - 1):
    p = f"{root}/workspace/memory/{i % 500:03d}/note{i:06d}.md"
    if i < 500: os.makedirs(os.path.dirname(p), exist_ok=True)
    data = rnd.randbytes(64 + i % 400)
    if os.path.exists(p) and os.path.getsize(p) == len(data): continue  # same bytes: keep the file as is
    with open(p, "wb") as f: f.write(data)
PY
}
scale_noop() {  # KIND PROFILE N
    for rep in $(seq "$reps"); do
        measure "$1-$3" moltctl "$M" --profile "$2" --no-keychain sync bench --dry-run --json
    done
}
if [ "$mscale" -gt 0 ]; then
    profile "$work/bigm.json" moltdesk bench '{ "type": "mount", "root": "mntbig" }' big
    rm -rf "$work/cache" "$work/big" "$work/mntbig"; mkdir -p "$work/mntbig/data/moltdesk-bench"
    for n in 10000 100000 "$mscale"; do
        [ "$n" -le "$mscale" ] || continue
        echo "bench: mount scale, $n files" >&2
        gen_big "$work/big" "$n"; t0=$(date +%s)
        # The bucket directory as a sync leaves it (same sizes, same times: moltctl keeps mtimes), made
        # with cp -a to spare a million fsyncs; the plan then finds every file unchanged by size and time,
        # as after moltctl's own sync (its hash cache and manifest are not read for that).
        cp -a "$work/big/." "$work/mntbig/data/moltdesk-bench/"
        echo "bench: $n files copied in $(( $(date +%s) - t0 )) s" >&2
        scale_noop mountscale "$work/bigm.json" "$n"
    done
    rm -rf "$work/big" "$work/mntbig"
fi
if [ "$scale" -gt 0 ]; then
    profile "$work/big.json" moltdesk bench "$s3" big
    empty_bucket moltdesk-bench; rm -rf "$work/cache" "$work/big"
    for n in 10000 "$scale"; do
        echo "bench: S3 scale, $n objects" >&2
        gen_big "$work/big" "$n"; t0=$(date +%s)
        "$M" --profile "$work/big.json" --no-keychain sync bench --concurrency 32 >/dev/null
        echo "bench: $n objects synced in $(( $(date +%s) - t0 )) s" >&2
        scale_noop s3scale "$work/big.json" "$n"
    done
    for rep in $(seq "$reps"); do
        measure "s3scale-$scale" floor-list $AWS s3api list-objects-v2 --bucket moltdesk-bench --query 'length(Contents)'
        measure "s3scale-$scale" rclone rclone sync "$work/big/" p:moltdesk-bench/ --dry-run --fast-list -q --checksum
    done
fi
# 7b: the seed's real mount. One s3fs FUSE mount of the server's bucket (as the container mounts R2),
# the standard tree: the seed's `rsync -r --no-times --delete` per prefix, then `date -Iseconds >
# .last-sync`, against moltctl's mount-mode sync through the same mount. What was written is counted on
# the server's listing. Needs root and /dev/fuse; skipped otherwise (the report then has no s3fs rows).
if [ "$s3fsreps" -gt 0 ] && [ -e /dev/fuse ] && command -v s3fs >/dev/null; then
    MP=$work/s3fsroot/data/moltdesk-s3fs; mkdir -p "$MP"
    $AWS s3 mb s3://moltdesk-s3fs >/dev/null 2>&1 || true
    s3fs_reset() {  # unmount, empty the bucket behind it, mount afresh (no stale s3fs caches)
        fusermount -u "$MP" 2>/dev/null || umount -l "$MP" 2>/dev/null || true
        empty_bucket moltdesk-s3fs
        AWSACCESSKEYID=$KEY AWSSECRETACCESSKEY=$SECRET s3fs moltdesk-s3fs "$MP" \
            -o url=$EP,use_path_request_style,sigv4,endpoint=auto
        sleep 1
    }
    # "|| true": under set -e a failed unmount (already unmounted) ended the trap before the server's stop.
    trap 'fusermount -u "$MP" 2>/dev/null || umount -l "$MP" 2>/dev/null || true; $PY tests/support/s3server/s3server.py stop "$state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
    cat > "$work/seed.sh" <<SH
#!/usr/bin/env bash
set -e
for p in clawdbot workspace skills; do mkdir -p "$MP/\$p"; rsync -r --no-times --delete "$work/tree/\$p/" "$MP/\$p/"; done
date -Iseconds > "$MP/.last-sync"
SH
    chmod +x "$work/seed.sh"
    profile "$work/s3fs.json" moltdesk s3fs '{ "type": "mount", "root": "s3fsroot" }' tree
    s3fs_step() {  # SCENARIO TOOL
        snapshot moltdesk-s3fs before; sleep 1.1
        if [ "$2" = seed ]; then seed_run "$1"
        else measure "$1" moltctl "$M" --profile "$work/s3fs.json" sync s3fs --max-delete unlimited; fi
        snapshot moltdesk-s3fs after; written "$1" "$2"
    }
    seed_run() {  # SCENARIO: the seed's command, stopped after --s3fs-seed-limit seconds if given
        if [ "$seedlimit" -le 0 ]; then measure "$1" seed "$work/seed.sh"; return; fi
        measure "$1" seed timeout "$seedlimit" "$work/seed.sh"
        if tail -1 "$results" | grep -q 'failed: exit 124'; then   # timeout's status: stopped at the limit
            sed -i '$d' "$results"; printf '%s\tseed\tstopped %s\n' "$1" "$seedlimit" >> "$results"
        fi
    }
    # moltctl first: its figures are the short ones; the seed's through s3fs take tens of minutes here.
    # The seed's no-op runs on moltctl's copy: s3fs does not keep a file's time through a rename, so
    # every file there, as in the seed's own copy, has a time other than its source's, and rsync
    # without --times rewrites them all either way (checked: `rsync -i` marks every file `>f..T`).
    for rep in $(seq "$s3fsreps"); do
        echo "bench: s3fs, repetition $rep of $s3fsreps" >&2
        if [ "$s3fsinitial" = 1 ]; then   # the initial copies alone, under the same load
            s3fs_reset; s3fs_step s3fs-initial seed
            s3fs_reset; rm -rf "$work/cache"; s3fs_step s3fs-initial moltctl
            continue
        fi
        s3fs_reset; rm -rf "$work/cache"
        s3fs_step s3fs-initial moltctl
        s3fs_step s3fs-noop moltctl
        cp -a "$work/tree" "$work/tree.orig"
        $PY tests/support/gen_tree.py "$work/tree" --touch 30 7 >/dev/null
        s3fs_step s3fs-touch30 moltctl
        rm -rf "$work/tree"; mv "$work/tree.orig" "$work/tree"
        s3fs_step s3fs-noop seed
        s3fs_reset
        s3fs_step s3fs-initial seed
    done
    fusermount -u "$MP" 2>/dev/null || umount -l "$MP" 2>/dev/null || true
fi
# 8: the window (issue 17, target 5), offscreen. Each scenario of bench_gui_stall in a process of its own,
# so that its peak RSS is its own: the UI thread's longest stall (a 5 ms timer's lateness, the worst of the
# scenario's phases) and the peak while the real window syncs the standard tree (mount mode), opens a
# Contents folder of 10,000 objects on this run's server, and compares two buckets of 100,000 objects each
# (mount mode, in /dev/shm as in round 6: the window is measured, not the disk); then the first frame on
# the demo workspace (bench/firstframe.py: process start to first paint, median of 5 starts).
if [ "$guireps" -gt 0 ] && [ -z "${BENCH_NO_BUILD:-}" ]; then
    cmake --build --preset default --target moltdesk-firstframe >/dev/null
fi
# The folder scenario fills workspace/memory/ of moltdesk-bench with exactly 10,000 notes and counts the
# rows it shows: the scale section's 100,000 objects (500 subfolders there) must be gone first.
[ "$guireps" -gt 0 ] && empty_bucket moltdesk-bench
gui_scenario() {  # REP FUNCTION SCENARIO: one row "stall MS peak MIB", or "stall failed"
    local out="$work/gui.$2.$1"
    QT_QPA_PLATFORM=offscreen MOLTDESK_S3_SERVER_JSON="$state/server.json" MOLTDESK_REQUIRE_S3=1 TMPDIR=/dev/shm \
        build/default/tests/gui/bench_gui_stall "$2" > "$out" 2>&1 || true
    $PY - "$out" "$3" >> "$results" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
stalls = [float(x) for x in re.findall(r"longest ([0-9.]+) ms", text)]
peaks = [float(x) for x in re.findall(r"peak ([0-9.]+) MiB", text)]
print(f"{sys.argv[2]}\tmoltdesk\t" + (f"stall {max(stalls)} peak {max(peaks)}" if stalls and peaks else "stall failed"))
PY
}
for rep in $(seq "$guireps"); do
    echo "bench: window, repetition $rep of $guireps" >&2
    gui_scenario "$rep" longestStallDuringSync gui-sync
    gui_scenario "$rep" longestStallOpeningFolder gui-folder
    gui_scenario "$rep" longestStallComparing gui-compare
    QT_QPA_PLATFORM=offscreen $PY bench/firstframe.py build/default/bench/moltdesk-firstframe 5 \
        > "$work/frame.$rep" 2>&1 || true
    frame=$(grep -oE 'first frame: median [0-9.]+' "$work/frame.$rep" | grep -oE '[0-9.]+$' || echo failed)
    printf 'gui-firstframe\tmoltdesk\tframe %s\n' "$frame" >> "$results"
done
for f in "$work"/out.*; do  # what moltctl itself reported (uploaded/replaced/deleted/bytes)
    case $f in *.moltctl.*) $PY - "$f" >> "$results" <<'PY' ;;
import json, re, sys
name = sys.argv[1].rsplit("/", 1)[1].split(".")
text = open(sys.argv[1]).read()
try:
    doc = json.loads(text[text.index("{"):])
except ValueError:
    sys.exit(0)
def find(o):
    if isinstance(o, dict):
        if "bytesTransferred" in o or "copied" in o and "bytes" in o: return o
        for v in o.values():
            r = find(v)
            if r: return r
r = find(doc)
if r:
    keys = ("uploaded", "replaced", "deleted", "downloaded", "copied", "bytesTransferred", "bytes")
    print(f"{name[1]}\tmoltctl\treported " + " ".join(f"{k}={int(r[k])}" for k in keys if k in r))
PY
    esac
done
$PY bench/report.py "$results" "$reps" "$scale" > "${results%.tsv}.md"
cat "${results%.tsv}.md"
