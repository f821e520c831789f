#!/usr/bin/env bash
# The whole suite, against the PostgreSQL and Redis started by with_services.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must point at PostgreSQL (run through scripts/with_services.sh)}"
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test

echo "== manage.py check --deploy (production settings)"
bash scripts/check_deploy.sh

echo "== lint (ruff)"
$BIN/ruff check --quiet .

echo "== layers (import-linter: apps import only the layers below them)"
$BIN/lint-imports --no-cache

echo "== migrations are up to date"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null

if [ "$#" -gt 0 ]; then
    echo "== pytest $*"
    exec $BIN/python -m pytest --create-db -n "${PYTEST_WORKERS:-2}" "$@"
fi

echo "== pytest (in parallel)"
$BIN/python -m pytest --create-db -n "${PYTEST_WORKERS:-2}" -m "not celery_worker"

# Tests driving real Celery workers and brokers run one at a time, after the rest:
# their workers and broker connections must not compete with the parallel run.
echo "== pytest (real Celery workers, one at a time)"
$BIN/python -m pytest --create-db -p no:xdist -m celery_worker
