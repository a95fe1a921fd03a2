#!/usr/bin/env bash
# The container's start-up restore, as the seed's start-moltbot.sh does it (Phase 2 fix), with the
# root directory made a parameter so a test can run it against a mount-mode bucket:
#   seed-restore.sh ROOT HOME    (ENVIRONMENT in the environment, as the worker passes it)
# BACKUP_DIR comes from ENVIRONMENT; restore only when the backup's .last-sync is newer than the
# local one (compared with `date -d`), decided before copying; copy .last-sync last.
set -euo pipefail
ROOT=$1
HOME_DIR=$2
CONFIG_DIR="$HOME_DIR/.clawdbot"
if [ -n "${ENVIRONMENT:-}" ]; then
    BACKUP_DIR="$ROOT/data/moltbot-$ENVIRONMENT"
else
    BACKUP_DIR="$ROOT/data/moltbot"
fi
echo "Backup directory: $BACKUP_DIR"
should_restore() {
    [ -f "$BACKUP_DIR/.last-sync" ] || return 1
    [ -f "$CONFIG_DIR/.last-sync" ] || return 0
    local remote local_
    remote=$(date -d "$(cat "$BACKUP_DIR/.last-sync")" +%s)
    local_=$(date -d "$(cat "$CONFIG_DIR/.last-sync")" +%s)
    [ "$remote" -gt "$local_" ]
}
if should_restore; then
    if [ -f "$BACKUP_DIR/clawdbot/clawdbot.json" ]; then
        echo "Restoring from R2 backup at $BACKUP_DIR/clawdbot..."
        mkdir -p "$CONFIG_DIR"
        cp -a "$BACKUP_DIR/clawdbot/." "$CONFIG_DIR/"
        if [ -d "$BACKUP_DIR/skills" ]; then
            mkdir -p "$HOME_DIR/clawd/skills"
            cp -a "$BACKUP_DIR/skills/." "$HOME_DIR/clawd/skills/"
        fi
        cp -f "$BACKUP_DIR/.last-sync" "$CONFIG_DIR/.last-sync"
        echo "Restored config from R2 backup"
    else
        echo "R2 not mounted, starting fresh"
    fi
else
    echo "Local data is current"
fi
