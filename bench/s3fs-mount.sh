#!/bin/bash
# The seed's own sync (rsync -r --no-times --delete per prefix, then date -Iseconds > .last-sync) against
# moltctl mount-mode sync, both through one s3fs FUSE mount of the test server's development bucket
# (root, /dev/fuse, Debian s3fs). Small tree (gen_tree.py 600 0 0: 425 files under clawdbot/ and skills/).
set -e
SRC=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/moltdesk-s3fs-bench.XXXXXX)
M=${MOLTCTL:-$SRC/build/default/app/moltctl/moltctl}
python3 $SRC/tests/support/s3server/s3server.py start $W/s3 >/dev/null
S=$W/s3/server.json; EP=$(jq -r .endpoint $S)
python3 $SRC/tests/support/gen_tree.py $W/tree 600 0 0 >/dev/null
mkdir -p $W/tree/clawdbot; [ -f $W/tree/clawdbot/clawdbot.json ] || echo '{}' > $W/tree/clawdbot/clawdbot.json
ls $W/tree
R=$W/root; MP=$R/data/moltbot-development; mkdir -p $MP
AWSACCESSKEYID=$(jq -r .users.dev.accessKeyId $S) AWSSECRETACCESSKEY=$(jq -r .users.dev.secret $S) s3fs moltbot-data-development $MP -o url=$EP,use_path_request_style,sigv4,endpoint=auto
sleep 1
seed() { rsync -r --no-times --delete $W/tree/clawdbot/ $MP/clawdbot/ && rsync -r --no-times --delete $W/tree/skills/ $MP/skills/ && date -Iseconds > $MP/.last-sync; }
N=$(find $W/tree/clawdbot $W/tree/skills -type f | wc -l); echo "files: $N"
/usr/bin/time -f "seed initial %e s" bash -c "$(declare -f seed); W=$W MP=$MP seed"
for i in 1 2 3; do /usr/bin/time -f "seed no-op %e s" bash -c "$(declare -f seed); W=$W MP=$MP seed"; done
cat > $W/profile.json <<P
{"environments":["development"],"includeLegacy":false,"storage":{"type":"mount","root":"$R"},
 "syncSets":[{"local":"$W/tree/clawdbot","prefix":"clawdbot/"},{"local":"$W/tree/skills","prefix":"skills/"}]}
P
M=$SRC/build/default/app/moltctl/moltctl
XDG_CACHE_HOME=$W/cache /usr/bin/time -f "moltctl first (re-writes what rsync wrote) %e s" $M --profile $W/profile.json sync development | tail -1
for i in 1 2 3; do XDG_CACHE_HOME=$W/cache /usr/bin/time -f "moltctl no-op %e s" $M --profile $W/profile.json sync development | tail -1; done
fusermount -u $MP
python3 $SRC/tests/support/s3server/s3server.py stop $W/s3 >/dev/null
rm -rf "$W"
