#!/usr/bin/env bash
# `manage.py check --deploy` with the production settings must report nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
DJANGO_SETTINGS_MODULE=config.settings.production \
SECRET_KEY="check-deploy-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')" \
ALLOWED_HOSTS=kcn.example.vn \
DATABASE_URL="${DATABASE_URL:-sqlite:///tmp/check-deploy.sqlite3}" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
