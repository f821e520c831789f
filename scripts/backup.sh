#!/usr/bin/env bash
# Back up the database of DATABASE_URL (pg_dump custom format) and the media
# folder (uploads, generated reports) into var/backups/ (make backup).
#
#   scripts/backup.sh              database + media
#   scripts/backup.sh --db-only    database only
#
# Writes BACKUP_DIR/<stamp>.dump and, beside it, BACKUP_DIR/<stamp>.media.tar.gz,
# and prints the dump's path as the last line. Restore with scripts/restore.sh.
#
# Environment (read from ./.env too, like the application; the environment wins):
#   DATABASE_URL   postgres://user:password@host:port/name (required)
#   MEDIA_ROOT     the media folder (default: var/media)
#   BACKUP_DIR     where to write (default: var/backups)
#   KEEP_DAYS      delete backups older than this many days (default: 0 = keep all)
#
# The same rules as deploy/backup.sh (the docker compose stack): files are
# written as .partial and renamed once checked (a dump pg_restore cannot list is
# refused), readable by their owner only (they hold personal data). Copy them to
# another machine: a backup on the same disk is not a backup.
set -euo pipefail

# --- Helpers shared with scripts/restore.sh (which sources this file) -----------------

log() { printf '%s %s: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$(basename -- "$0" .sh)" "$*" >&2; }

# DATABASE_URL and MEDIA_ROOT from ./.env when the environment does not set them.
load_env() {
    local line key value
    [ -f .env ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line#export }
        case "$line" in DATABASE_URL=*|MEDIA_ROOT=*) ;; *) continue ;; esac
        key=${line%%=*}
        value=${line#*=}
        value=${value%\"}; value=${value#\"}; value=${value%\'}; value=${value#\'}
        [ -n "${!key:-}" ] || export "$key=$value"
    done <.env
}

# DATABASE_URL as a libpq URI; refuses anything but PostgreSQL.
database_url() {
    local url=${DATABASE_URL:-}
    if [ -z "$url" ]; then
        log "error: DATABASE_URL is not set (postgres://user:password@host:port/name)"
        return 2
    fi
    case "$url" in
        postgres://*|postgresql://*) ;;
        pgsql://*|psql://*|postgis://*) url="postgresql://${url#*://}" ;;
        *) log "error: DATABASE_URL is not a PostgreSQL database: ${url%%://*}://..."; return 2 ;;
    esac
    printf '%s' "$url"
}

# user@host:port/name of a URL, without its password.
describe_url() {
    local rest=${1#*://}
    case "$rest" in *@*) local user=${rest%%@*}; rest="${user%%:*}@${rest#*@}" ;; esac
    printf '%s' "${rest%%\?*}"
}

# The newest PostgreSQL client tool NAME (a server's own binaries first).
pg_tool() {
    local found="" dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
        [ -x "$dir/$1" ] && found="$dir/$1"
    done
    [ -n "$found" ] || found=$(command -v "$1" 2>/dev/null || true)
    if [ -z "$found" ]; then
        log "error: $1 not found (apt-get install postgresql-client)"
        return 2
    fi
    printf '%s' "$found"
}

# Sourced by restore.sh: the helpers only.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    return 0
fi

# --- Backup ------------------------------------------------------------------------------

cd "$(dirname "$0")/.."

WITH_MEDIA=1
case "${1:-}" in
    "") ;;
    --db-only) WITH_MEDIA=0 ;;
    *) echo "usage: $0 [--db-only]" >&2; exit 2 ;;
esac

load_env
url=$(database_url) || exit 2
BACKUP_DIR=${BACKUP_DIR:-var/backups}
MEDIA_ROOT=${MEDIA_ROOT:-var/media}
KEEP_DAYS=${KEEP_DAYS:-0}
PG_DUMP=$(pg_tool pg_dump) || exit 2
PG_RESTORE=$(pg_tool pg_restore) || exit 2

umask 077
mkdir -p "$BACKUP_DIR"
stamp=$(date +%Y%m%d-%H%M%S)
[ -e "$BACKUP_DIR/$stamp.dump" ] && stamp="$stamp-$$"
db_file="$BACKUP_DIR/$stamp.dump"
media_file="$BACKUP_DIR/$stamp.media.tar.gz"

cleanup() { rm -f -- "$db_file.partial" "$media_file.partial"; }
trap cleanup EXIT

log "dumping $(describe_url "$url") to $db_file"
"$PG_DUMP" --format=custom --no-password --dbname="$url" --file="$db_file.partial"
"$PG_RESTORE" --list "$db_file.partial" >/dev/null
mv -- "$db_file.partial" "$db_file"

if [ "$WITH_MEDIA" -eq 1 ]; then
    if [ -d "$MEDIA_ROOT" ]; then
        log "archiving $MEDIA_ROOT to $media_file"
        # Import uploads are never backed up: they hold full citizen IDs, are
        # deleted once applied or after IMPORT_UPLOAD_RETENTION_DAYS, and nothing
        # needs them after a restore.
        tar -C "$(dirname -- "$MEDIA_ROOT")" --exclude="$(basename -- "$MEDIA_ROOT")/imports" \
            -czf "$media_file.partial" "$(basename -- "$MEDIA_ROOT")"
        gzip -t "$media_file.partial"
        mv -- "$media_file.partial" "$media_file"
    else
        log "no media folder at $MEDIA_ROOT: database only"
    fi
fi

if [ "$KEEP_DAYS" -gt 0 ]; then
    find "$BACKUP_DIR" -maxdepth 1 -type f \
        \( -name '*.dump' -o -name '*.media.tar.gz' -o -name '*.partial' \) \
        -mtime +"$KEEP_DAYS" -delete
fi

log "done"
echo "$db_file"
