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

# A script that stops half-way leaves a MISSED line for each bar it did not
# judge (checked at the end against the list of bars), so nothing is
# reported as met unless it was measured.
step() { "$@" || echo "bench: '$*' stopped with status $?" | tee -a "$BENCH_DIR/stopped"; }

section "1 + 4. pages vs the admin changelist; queries per page"
step $PY bench/pages.py "${BENCH_PAGES_N:-30}"

section "3. importing 5,000 enterprises"
step $PY bench/imports.py

section "2. build_report"
if [ "${BENCH_SKIP_DOUBLE:-0}" = 1 ]; then
    step $PY bench/report.py
else
    $PY -c 'import sys; sys.path.insert(0, "bench"); import common as c; c.create_database(c.DOUBLE_DB, template=c.EMPTY_DB)'
    step $PY bench/seed.py bench_double double
    step $PY bench/report.py --double
fi

section "summary"
$PY bench/common.py
BARS="enterprise_list_vs_admin dashboard_cached_vs_admin dashboard_uncached_vs_admin
    queries_per_page import_5000_enterprises_vs_django_import_export
    web_import_5000_slowest_request_vs_timeout build_report_vs_bare_openpyxl
    build_report_peak_memory build_report_memory_flat_at_double_data"
for bar in $BARS; do
    grep -q "^$bar: " "$BENCH_SUMMARY" \
        || echo "$bar: ratio=n/a (goal see bench/README.md) MISSED  not measured" >>"$BENCH_SUMMARY"
done
cat "$BENCH_SUMMARY"
if grep -q " MISSED " "$BENCH_SUMMARY" || [ -s "$BENCH_DIR/stopped" ]; then
    echo "bench: FAILED: a bar was missed or not measured (MISSED above)."
    exit 1
fi
echo "bench: every bar met."
