#!/bin/sh
# Container entrypoint for web, worker, beat and migrate: optionally wait for
# the database, then run the given command as PID 1 (signals reach it).
#
#   WAIT_FOR_DB=1          wait for the database before starting (default)
#   WAIT_FOR_DB_TIMEOUT=60 seconds to wait before giving up
#
# Compose already starts these services only after the db healthcheck passes
# and migrate has finished; the wait covers a database restart or a managed
# database that is slow to accept connections.
set -eu

if [ "${WAIT_FOR_DB:-1}" = "1" ] && [ -n "${DATABASE_URL:-}" ]; then
    python - <<'PY'
import os
import sys
import time

from django.db import connections
from django.db.utils import OperationalError

timeout = int(os.environ.get("WAIT_FOR_DB_TIMEOUT", "60"))
deadline = time.monotonic() + timeout
while True:
    try:
        connections["default"].ensure_connection()
        break
    except OperationalError:
        if time.monotonic() >= deadline:
            print(f"entrypoint: database not reachable after {timeout} s", file=sys.stderr)
            sys.exit(1)
        time.sleep(2)
connections["default"].close()
PY
fi

exec "$@"
