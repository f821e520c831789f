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

echo "== migrations are up to date"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null

echo "== pytest"
$BIN/python -m pytest --create-db -n "${PYTEST_WORKERS:-2}" "$@"
