#!/usr/bin/env bash
# The bench (make bench): runs inside scripts/with_services.sh, which provides a
# throwaway PostgreSQL (DATABASE_URL) and Redis. See bench/README.md.
#
#   BENCH_PAGES_N         requests per page timed (default 30)
#   BENCH_REPORT_REPEAT   build_report runs, best taken (default 2)
#   BENCH_IMPORT_REPEAT   imports of each side, best taken (default 1)
#   BENCH_SKIP_DOUBLE=1   skip the 2x data (saves the time of seeding it)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run through scripts/with_services.sh (make bench)}"

PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.local
export DEBUG=False DEMO_DATA_ALLOWED=True
export ALLOWED_HOSTS=127.0.0.1,localhost,testserver
export BENCH_BASE_DATABASE_URL=$DATABASE_URL
BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
export BENCH_DIR MEDIA_ROOT=$BENCH_DIR/media BENCH_SUMMARY=$BENCH_DIR/summary.txt
trap 'rm -rf -- "$BENCH_DIR"' EXIT
mkdir -p "$MEDIA_ROOT"
: >"$BENCH_SUMMARY"

started=$SECONDS
section() { printf '\n== %s (%ds)\n' "$*" "$((SECONDS - started))"; }

$PY bench/common.py

section "databases: migrate, then the small and the large demo data"
$PY manage.py migrate --noinput -v0
$PY -c 'import sys; sys.path.insert(0, "bench"); import common as c; c.create_database(c.EMPTY_DB, template=c.LARGE_DB); c.create_database(c.SMALL_DB, template=c.LARGE_DB)'
$PY bench/seed.py bench_small small
$PY bench/seed.py app large

section "1 + 4. pages vs the admin changelist; queries per page"
$PY bench/pages.py "${BENCH_PAGES_N:-30}"

section "3. importing 5,000 enterprises"
$PY bench/imports.py

section "2. build_report"
if [ "${BENCH_SKIP_DOUBLE:-0}" = 1 ]; then
    $PY bench/report.py
else
    $PY -c 'import sys; sys.path.insert(0, "bench"); import common as c; c.create_database(c.DOUBLE_DB, template=c.EMPTY_DB)'
    $PY bench/seed.py bench_double double
    $PY bench/report.py --double
fi

section "summary"
$PY bench/common.py
cat "$BENCH_SUMMARY"
if grep -q " MISSED " "$BENCH_SUMMARY"; then
    echo "bench: some goals were missed (see MISSED above)."
fi
