#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into DATABASE_URL (make restore).
#
#   scripts/restore.sh [FILE.dump]     default: the newest dump in BACKUP_DIR
#
# pg_restore --clean --if-exists replaces what the dump holds, in one
# transaction: if anything fails, the database is left as it was. Objects are
# restored without their original owner and grants (--no-owner --no-acl), so a
# dump restores into a database of another user. The media archive written
# beside the dump (<stamp>.media.tar.gz), if any, replaces MEDIA_ROOT.
#
# Asks for confirmation, unless FORCE=1 (required without a terminal).
#
# Environment (read from ./.env too): DATABASE_URL (required), MEDIA_ROOT
# (default: var/media), BACKUP_DIR (default: var/backups), FORCE.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/backup.sh
. scripts/backup.sh

load_env
url=$(database_url) || exit 2
BACKUP_DIR=${BACKUP_DIR:-var/backups}
MEDIA_ROOT=${MEDIA_ROOT:-var/media}
PG_RESTORE=$(pg_tool pg_restore) || exit 2

dump=${1:-}
if [ -z "$dump" ]; then
    dump=$(ls -1t "$BACKUP_DIR"/*.dump 2>/dev/null | head -n1 || true)
    [ -n "$dump" ] || { log "error: no .dump file in $BACKUP_DIR (give one: make restore FILE=...)"; exit 2; }
fi
[ -f "$dump" ] || { log "error: no such file: $dump"; exit 2; }
"$PG_RESTORE" --list "$dump" >/dev/null || { log "error: $dump is not a pg_dump custom-format file"; exit 2; }
media="${dump%.dump}.media.tar.gz"
[ -f "$media" ] || media=""

target=$(describe_url "$url")
if [ "${FORCE:-0}" != 1 ]; then
    if [ ! -t 0 ]; then
        log "error: no terminal to confirm on; set FORCE=1 to restore $dump into $target"
        exit 2
    fi
    echo "This replaces the data of $target with $dump" >&2
    [ -n "$media" ] && echo "and the media folder $MEDIA_ROOT with $media" >&2
    read -r -p "Type 'yes' to go on: " answer
    [ "$answer" = yes ] || { log "nothing changed"; exit 1; }
fi

log "restoring $dump into $target"
"$PG_RESTORE" --clean --if-exists --no-owner --no-acl --single-transaction \
    --exit-on-error --no-password --dbname="$url" "$dump"

if [ -n "$media" ]; then
    log "restoring $media into $MEDIA_ROOT"
    parent=$(dirname -- "$MEDIA_ROOT")
    mkdir -p "$parent"
    staging=$(mktemp -d "$parent/.restore.XXXXXX")
    trap 'rm -rf -- "$staging"' EXIT
    tar -C "$staging" -xzf "$media"
    # The archive holds one folder (the media folder's name when backed up).
    extracted=$(find "$staging" -mindepth 1 -maxdepth 1 -type d | head -n1)
    if [ -n "$extracted" ]; then
        old="$staging/previous"
        [ -e "$MEDIA_ROOT" ] && mv -- "$MEDIA_ROOT" "$old"
        mv -- "$extracted" "$MEDIA_ROOT"
    fi
fi

log "done"
