#!/usr/bin/env bash
# The whole suite, against the PostgreSQL and Redis started by with_services.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must point at PostgreSQL (run through scripts/with_services.sh)}"
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test

# Each phase says how long it took, and the run its total, when it ends.
STARTED=$SECONDS
PHASE_STARTED=$SECONDS
PHASE=""
phase() {
    [ -n "$PHASE" ] && echo "-- $PHASE: $(elapsed $PHASE_STARTED)"
    PHASE=$1
    PHASE_STARTED=$SECONDS
    echo "== $1"
}
elapsed() {
    local s=$((SECONDS - $1))
    printf '%d m %02d s' $((s / 60)) $((s % 60))
}
trap '[ -n "$PHASE" ] && echo "-- $PHASE: $(elapsed $PHASE_STARTED)"; echo "-- in all: $(elapsed $STARTED)"' EXIT

phase "manage.py check --deploy (production settings)"
bash scripts/check_deploy.sh

phase "lint (ruff)"
$BIN/ruff check --quiet .

phase "layers (import-linter: apps import only the layers below them)"
$BIN/lint-imports --no-cache

phase "migrations are up to date"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null

if [ "$#" -gt 0 ]; then
    phase "pytest $*"
    $BIN/python -m pytest --create-db -n "${PYTEST_WORKERS:-2}" "$@"
    exit
fi

phase "pytest (in parallel)"
$BIN/python -m pytest --create-db -n "${PYTEST_WORKERS:-2}" -m "not celery_worker" \
    --durations=20

# The modules whose expectations depend on today's date run again with the
# clock moved (tests/conftest.py reads TEST_TODAY): the first day of a year,
# a leap day and the last day of a year.
DATE_SENSITIVE="tests/coordination/plans tests/coordination/test_models.py
    tests/coordination/test_services.py tests/core/test_data_review.py
    tests/core/test_notifications.py tests/reports/test_dashboard.py
    tests/reports/test_dashboard_queries.py tests/core/test_periods.py
    tests/reports/test_report_services.py
    tests/surveys/test_services.py tests/reports/test_grouped_indicators.py
    tests/coordination/test_dossier.py"
for day in 2027-01-01 2028-02-29 2027-12-31; do
    phase "pytest of the date-sensitive modules on $day"
    # shellcheck disable=SC2086
    # The databases the main run made (and kept: --reuse-db) serve again.
    TEST_TODAY=$day $BIN/python -m pytest -n "${PYTEST_WORKERS:-2}" -q \
        -m "not celery_worker and not e2e" $DATE_SENSITIVE
done

# Tests driving real Celery workers and brokers run one at a time, after the rest:
# their workers and broker connections must not compete with the parallel run.
phase "pytest (real Celery workers, one at a time)"
$BIN/python -m pytest --create-db -p no:xdist -m celery_worker
