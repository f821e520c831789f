#!/usr/bin/env bash
# `manage.py check --deploy` with the production settings must report nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
# Settings as in production: generated secrets (the production settings refuse
# placeholders and short ones) and a PostgreSQL address (not connected to).
DJANGO_SETTINGS_MODULE=config.settings.production \
SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')" \
ALLOWED_HOSTS=kcn.example.vn \
DATABASE_URL="postgres://kcn:$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')@db:5432/kcn" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
