#!/usr/bin/env bash
# Run a command with throwaway PostgreSQL + Redis services (used by `make test` and CI).
#
#   scripts/with_services.sh CMD [ARGS...]
#
# Starts a private PostgreSQL cluster and a Redis server on free ports on 127.0.0.1
# inside a temporary directory, exports DATABASE_URL, CELERY_BROKER_URL, REDIS_URL
# and CHROMIUM_PATH, runs CMD, then stops both services, removes the temporary
# directory and exits with CMD's exit code. Works as root and as a normal user.
set -uo pipefail

PROG=with_services
CHROMIUM=/usr/bin/chromium

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { log "error: $*"; exit 1; }

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1

# --------------------------------------------------------------------------- deps
find_pg_bin() {
    local d best=""
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best=$d
    done
    printf '%s' "$best"
}

pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing_packages() {
    local pkgs=()
    [ -n "$(find_pg_bin)" ] || pkgs+=(postgresql)
    { command -v redis-server && command -v redis-cli; } >/dev/null 2>&1 || pkgs+=(redis-server)
    [ -x "$CHROMIUM" ] || pkgs+=(chromium)
    command -v msgfmt >/dev/null 2>&1 || pkgs+=(gettext)
    # The report tests open every generated workbook in LibreOffice.
    command -v soffice >/dev/null 2>&1 || pkgs+=(libreoffice-calc-nogui)
    # ... and every Word document in LibreOffice Writer.
    pkg_installed libreoffice-writer-nogui || pkg_installed libreoffice-writer \
        || pkgs+=(libreoffice-writer-nogui)
    if ! pkg_installed fonts-noto-core && ! pkg_installed fonts-dejavu-core \
        && [ ! -e /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] \
        && [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
        pkgs+=(fonts-noto-core)
    fi
    command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
    printf '%s\n' "${pkgs[@]}"
}

mapfile -t MISSING < <(missing_packages | sed '/^$/d')
if [ "${#MISSING[@]}" -gt 0 ]; then
    if [ "$IS_ROOT" -ne 1 ]; then
        log "missing system packages: ${MISSING[*]}"
        log "install them with:"
        echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${MISSING[*]}" >&2
        exit 2
    fi
    log "installing missing packages: ${MISSING[*]}"
    apt-get update || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${MISSING[@]}" \
        || die "apt-get install failed"
    mapfile -t MISSING < <(missing_packages | sed '/^$/d')
    [ "${#MISSING[@]}" -eq 0 ] || die "still missing after install: ${MISSING[*]}"
fi

PGBIN=$(find_pg_bin)
[ -n "$PGBIN" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"

if [ "$IS_ROOT" -eq 1 ]; then
    id -u postgres >/dev/null 2>&1 || die "running as root but system user 'postgres' does not exist"
fi

# Run a PostgreSQL server binary (as the postgres user when we are root).
as_pg() {
    if [ "$IS_ROOT" -eq 1 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# ------------------------------------------------------------------------ cleanup
TMP=""
PGDATA_DIR=""
PG_STARTED=0
REDIS_PID=""
CMD_PID=""
CLEANED=0

stop_services() {
    [ "$CLEANED" -eq 1 ] && return 0
    CLEANED=1
    local i pid
    if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill -TERM "$REDIS_PID" 2>/dev/null
        for i in $(seq 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$REDIS_PID" 2>/dev/null
        wait "$REDIS_PID" 2>/dev/null
    fi
    if [ "$PG_STARTED" -eq 1 ] && [ -f "$PGDATA_DIR/postmaster.pid" ]; then
        if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1; then
            pid=$(head -n1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null)
            if [ -n "$pid" ]; then
                kill -QUIT "$pid" 2>/dev/null; sleep 1; kill -KILL "$pid" 2>/dev/null
            fi
        fi
    fi
    if [ -n "$TMP" ] && [ -d "$TMP" ]; then
        rm -rf -- "$TMP"
    fi
    [ "$PG_STARTED" -eq 1 ] || [ -n "$REDIS_PID" ] && log "services stopped"
    return 0
}

on_exit() {
    local rc=$?
    trap - EXIT INT TERM HUP
    stop_services
    exit "$rc"
}

on_signal() {
    local sig=$1 code=$2 i
    trap '' INT TERM HUP
    if [ -n "$CMD_PID" ] && kill -0 "$CMD_PID" 2>/dev/null; then
        # On Ctrl-C the command usually got SIGINT from the terminal already:
        # give it a moment before forwarding, so it is not interrupted twice.
        if [ "$sig" = INT ]; then
            for i in $(seq 20); do kill -0 "$CMD_PID" 2>/dev/null || break; sleep 0.1; done
        fi
        kill -"$sig" "$CMD_PID" 2>/dev/null
        wait "$CMD_PID" 2>/dev/null
    fi
    exit "$code"
}

trap on_exit EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

# ---------------------------------------------------------------------- temp dir
TMP=$(mktemp -d "${TMPDIR:-/tmp}/with_services.XXXXXX") || die "mktemp failed"
PGROOT="$TMP/pg"
PGDATA_DIR="$PGROOT/data"
PGSOCK="$PGROOT/sock"
PGLOG="$PGROOT/postgres.log"
REDIS_DIR="$TMP/redis"
mkdir -p "$PGSOCK" "$REDIS_DIR" || die "cannot create directories in $TMP"
chmod 700 "$PGROOT"
if [ "$IS_ROOT" -eq 1 ]; then
    chmod 711 "$TMP"   # let the postgres user traverse to its own directory
    chown -R postgres:postgres "$PGROOT" || die "chown to postgres failed"
fi

# ------------------------------------------------------------------------- ports
read -r PG_PORT REDIS_PORT < <(python3 - <<'PY'
import socket
socks = []
for _ in range(2):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(*(s.getsockname()[1] for s in socks))
PY
)
[ -n "${PG_PORT:-}" ] && [ -n "${REDIS_PORT:-}" ] || die "could not find free TCP ports"

# -------------------------------------------------------------------- PostgreSQL
INITDB_LOG="$TMP/initdb.log"
if ! as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -A trust -U app -E UTF8 --locale=C.UTF-8 \
        >"$INITDB_LOG" 2>&1; then
    as_pg rm -rf -- "$PGDATA_DIR"
    if ! as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -A trust -U app -E UTF8 --locale=C \
            >>"$INITDB_LOG" 2>&1; then
        cat "$INITDB_LOG" >&2
        die "initdb failed"
    fi
fi

PG_STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -W \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -k '$PGSOCK' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1 || { cat "$PGLOG" >&2 2>/dev/null; die "pg_ctl start failed"; }

deadline=$((SECONDS + 30))
until "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U app -d postgres; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        tail -n 30 "$PGLOG" >&2 2>/dev/null
        die "PostgreSQL did not become ready on 127.0.0.1:$PG_PORT within 30 s"
    fi
    sleep 0.2
done

"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U app app || die "createdb app failed"

# ------------------------------------------------------------------------- Redis
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize no --maxmemory-policy noeviction --dir "$REDIS_DIR" \
    --logfile "$REDIS_DIR/redis.log" </dev/null >/dev/null 2>&1 &
REDIS_PID=$!

deadline=$((SECONDS + 15))
until [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; do
    if ! kill -0 "$REDIS_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
        tail -n 30 "$REDIS_DIR/redis.log" >&2 2>/dev/null
        die "Redis did not answer PING on 127.0.0.1:$REDIS_PORT within 15 s"
    fi
    sleep 0.1
done

log "services up: postgres 127.0.0.1:$PG_PORT, redis 127.0.0.1:$REDIS_PORT"

# ----------------------------------------------------------------------- command
export DATABASE_URL="postgres://app@127.0.0.1:$PG_PORT/app"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CHROMIUM_PATH="$CHROMIUM"

# Run in the background so INT/TERM sent to this script are handled promptly
# (and forwarded); keep stdin and restore default SIGINT/SIGQUIT for the command.
( trap - INT QUIT; exec "$@" ) <&0 &
CMD_PID=$!
wait "$CMD_PID"
RC=$?
CMD_PID=""
exit "$RC"
