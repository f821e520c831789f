#!/usr/bin/env bash
# make load: 50 simulated officers for LOAD_DURATION against the production
# set-up on localhost: gunicorn (deploy/gunicorn.conf.py) + PostgreSQL + Redis +
# a Celery worker. Runs inside scripts/with_services.sh (throwaway PostgreSQL
# and Redis). The scenario is bench/load/locustfile.py.
#
#   LOAD_DURATION   how long locust runs (default 5m; locust syntax: 90s, 3m, 1h)
#   LOAD_USERS      concurrent users (default 50)
#   LOAD_SIZE       demo data: large (default) or small
#   WEB_CONCURRENCY gunicorn workers (default: deploy/gunicorn.conf.py's 2 x cores + 1)
#
# Users start one a second, so that their logins (about half a second of
# password hashing each) do not pile up; once all have started, locust's
# figures are reset (--reset-stats) and the run goes on for LOAD_DURATION:
# the table is the steady state of LOAD_USERS users. Every request of the
# whole run is also tallied by the locustfile, and a failure anywhere, the
# ramp-up included, fails the run.
#
# Prints requests/s, p50 and p95 per page and in total, and the failures; exits
# non-zero when any request failed (any 4xx/5xx, any request sent to the
# sign-in or two-step page), when p95 is 300 ms or more, or when the web
# server's or the worker's log holds a traceback.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run through scripts/with_services.sh (make load)}"

BIN=.venv/bin
DURATION=${LOAD_DURATION:-5m}
USERS=${LOAD_USERS:-50}
SIZE=${LOAD_SIZE:-large}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/load.XXXXXX")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The application as deployed, over plain HTTP on localhost: DEBUG off, but the
# development settings module (production insists on HTTPS cookies).
export DJANGO_SETTINGS_MODULE=config.settings.local DEBUG=False DEMO_DATA_ALLOWED=True
export ALLOWED_HOSTS=127.0.0.1,localhost LOG_LEVEL=WARNING
export MEDIA_ROOT=$WORK/media STATIC_ROOT=$WORK/static
mkdir -p "$MEDIA_ROOT" "$STATIC_ROOT"

GUNICORN_PID="" WORKER_PID=""
stop() {
    local pid
    for pid in $GUNICORN_PID $WORKER_PID; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $GUNICORN_PID $WORKER_PID; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf -- "$WORK"
}
trap stop EXIT

echo "== load: $($BIN/python bench/common.py)"
echo "== demo data ($SIZE)"
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py seed_demo --size "$SIZE"
$BIN/python manage.py collectstatic --noinput -v0

# The reports that seeding queued would keep the worker busy building them for
# the whole run; this run measures the pages, so they are dropped.
$BIN/celery -A config purge -f >/dev/null
# At a lower priority than gunicorn, as docker-compose.yml gives the worker a
# quarter of the web server's CPU weight (cpu_shares).
nice -n 10 $BIN/celery -A config worker --concurrency=1 --loglevel=WARNING --without-gossip \
    --without-mingle >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

GUNICORN_BIND=127.0.0.1:$PORT $BIN/gunicorn --config deploy/gunicorn.conf.py \
    --access-logfile "$WORK/access.log" --error-logfile "$WORK/gunicorn.log" &
GUNICORN_PID=$!
health() {
    $BIN/python -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "http://127.0.0.1:$PORT/healthz"
}
for _ in $(seq 100); do
    health >/dev/null 2>&1 && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 1; }
    sleep 0.3
done
health

# The demo accounts' password, from the module that creates them (unless given).
LOAD_PASSWORD="${LOAD_PASSWORD:-$($BIN/python manage.py shell -v0 -c 'from accounts.demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')}"
export LOAD_PASSWORD

SPAWN_RATE=1
# locust's run time counts from the first user: the ramp-up, then DURATION.
RUN_SECONDS=$($BIN/python - "$DURATION" "$USERS" "$SPAWN_RATE" <<'PY'
import math
import re
import sys

duration, users, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
units = {"s": 1, "m": 60, "h": 3600}
parts = re.findall(r"(\d+)([smh])", duration)
if not parts or "".join(n + u for n, u in parts) != duration:
    sys.exit(f"LOAD_DURATION: {duration!r} is not like 90s, 5m or 1h30m")
print(sum(int(n) * units[u] for n, u in parts) + math.ceil(users / rate) + 2)
PY
)
echo "== locust: $USERS users for $DURATION after a ramp-up of $SPAWN_RATE a second, against gunicorn on 127.0.0.1:$PORT"
status=0
LOAD_WHOLE_RUN=$WORK/whole_run.json $BIN/locust -f bench/load/locustfile.py --headless \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --reset-stats \
    --run-time "${RUN_SECONDS}s" --host "http://127.0.0.1:$PORT" --csv "$WORK/load" \
    --only-summary --stop-timeout 30 >"$WORK/locust.log" 2>&1 || status=$?

$BIN/python - "$WORK/load_stats.csv" "$WORK/load_failures.csv" "$WORK/whole_run.json" <<'PY' || status=1
import csv
import json
import sys

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
print(f"{'request':44} {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
for row in rows:
    name = row["Name"] if row["Name"] != "Aggregated" else "TOTAL"
    print(f"{(row['Type'] + ' ' + name)[:44]:44} {row['Request Count']:>7} {row['Failure Count']:>5} "
          f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7} "
          f"{float(row['Max Response Time']):7.0f}")
total = next(r for r in rows if r["Name"] == "Aggregated")
failures = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
for row in failures:
    print(f"FAILED {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error'][:200]}")
try:
    whole = json.load(open(sys.argv[3], encoding="utf-8"))
except (OSError, ValueError):
    whole = None
    print("FAILED: the whole run's tally was not written (locust did not end normally)")
else:
    for error, count in whole["errors"].items():
        print(f"FAILED {count}x (whole run) {error}")
    print(f"whole run, ramp-up included: {whole['requests']} requests, "
          f"{whole['failures']} failed")
print(f"load: {float(total['Requests/s']):.1f} requests/s, p50 {total['50%']} ms, "
      f"p95 {total['95%']} ms, {total['Failure Count']} failed of {total['Request Count']} "
      "with every user started (goal: 0 failed, p95 < 300 ms)")
if (int(total["Failure Count"]) or float(total["95%"]) >= 300
        or not int(total["Request Count"]) or whole is None or whole["failures"]):
    sys.exit(1)
PY

for log in gunicorn worker; do
    if grep -q "Traceback" "$WORK/$log.log"; then
        echo "== the $log log holds a traceback:"; grep -B2 -A12 "Traceback" "$WORK/$log.log" | head -60
        echo "load: FAILED: a traceback in the $log log"
        status=1
    fi
done
if [ "$status" -ne 0 ]; then
    tail -n 20 "$WORK/locust.log"
    echo "load: FAILED (status $status): failed requests, p95 over the goal, or an error above"
fi
exit "$status"
