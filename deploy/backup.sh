#!/usr/bin/env bash
# Back up the compose stack: the PostgreSQL database (pg_dump custom format)
# and the media volume (uploaded and generated files), into ./backups/.
#
#   deploy/backup.sh              database + media
#   deploy/backup.sh --db-only    database only
#
# Environment:
#   BACKUP_DIR   where to write (default: ./backups, relative to the project)
#   KEEP_DAYS    delete backups older than this many days (default: 30; 0 keeps all)
#
# Nightly from the host's crontab, e.g.:
#   30 1 * * *  cd /srv/kcn-phoi-hop && deploy/backup.sh >>backups/backup.log 2>&1
# Copy ./backups to another machine too: a backup on the same disk is not a backup.
# Restore: see docs/deployment.md, "Backups and restore".
set -euo pipefail

cd "$(dirname "$0")/.."

BACKUP_DIR=${BACKUP_DIR:-./backups}
KEEP_DAYS=${KEEP_DAYS:-30}
WITH_MEDIA=1
case "${1:-}" in
    "") ;;
    --db-only) WITH_MEDIA=0 ;;
    *) echo "usage: $0 [--db-only]" >&2; exit 2 ;;
esac

log() { printf '%s backup: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"; }

umask 077
mkdir -p "$BACKUP_DIR"
stamp=$(date +%Y%m%d-%H%M%S)
db_file="$BACKUP_DIR/db-$stamp.dump"
media_file="$BACKUP_DIR/media-$stamp.tar.gz"

# On failure, remove half-written files (completed ones were already renamed).
cleanup() { rm -f -- "$db_file.partial" "$media_file.partial"; }
trap cleanup EXIT

# --- Database: custom format (compressed, restorable table by table with pg_restore).
log "dumping the database to $db_file"
docker compose exec -T db sh -c 'exec pg_dump -Fc -U "$POSTGRES_USER" -d "$POSTGRES_DB"' \
    >"$db_file.partial"
# A dump pg_restore cannot list is unusable: fail loudly instead of keeping it.
docker compose exec -T db pg_restore --list <"$db_file.partial" >/dev/null
mv "$db_file.partial" "$db_file"

# --- Media volume: tar from a throwaway container that mounts the volume.
if [ "$WITH_MEDIA" -eq 1 ]; then
    log "archiving the media volume to $media_file"
    docker compose run --rm --no-deps -T --entrypoint tar web \
        -C /app/var -czf - media >"$media_file.partial"
    gzip -t "$media_file.partial"
    mv "$media_file.partial" "$media_file"
fi

# --- Retention.
if [ "$KEEP_DAYS" -gt 0 ]; then
    find "$BACKUP_DIR" -maxdepth 1 -type f \
        \( -name 'db-*.dump' -o -name 'media-*.tar.gz' -o -name '*.partial' \) \
        -mtime +"$KEEP_DAYS" -delete
fi

log "done"
