# The two commands: `make run` (the app with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test venv messages lint check-deploy makemessages clean openapi

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)."; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || { echo "$(PYTHON) is not Python 3.11."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/dev.txt
	@touch $@ $(VENV)/.base-installed

messages:
	@command -v msgfmt >/dev/null 2>&1 || { echo "gettext is needed to compile translations: apt-get install gettext"; exit 2; }
	$(MANAGE) compilemessages --ignore=$(VENV) -v0

## make openapi: writes docs/openapi.yaml again (generated against PostgreSQL, whose
## integer ranges the schema states; tests/api/test_schema.py fails when it is stale).
openapi: $(VENV)/.dev-installed messages
	bash scripts/with_services.sh $(MANAGE) spectacular --lang vi --validate --fail-on-warn --file docs/openapi.yaml

## make run: SQLite, demo data, web + Celery worker + beat without Redis.
run: $(VENV)/.base-installed messages
	@mkdir -p var/celery/queue var/celery/processed var/celery/control var/media
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo --if-empty
	@echo ""
	@echo "Serving http://127.0.0.1:8000  (Ctrl-C stops the web server, the worker and beat)"
	$(BIN)/honcho -f Procfile.dev start

## make test: starts throwaway PostgreSQL and Redis, runs the whole suite.
test: $(VENV)/.dev-installed messages
	bash scripts/with_services.sh bash scripts/run_tests.sh $(ARGS)

check-deploy: $(VENV)/.base-installed
	bash scripts/check_deploy.sh

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

makemessages: $(VENV)/.base-installed
	$(MANAGE) makemessages -l vi -l en --ignore=$(VENV) --ignore=var --no-obsolete
	$(MANAGE) makemessages -d djangojs -l vi -l en --ignore=$(VENV) --ignore=var --ignore=static/vendor

clean:
	rm -rf var/celery var/db.sqlite3

# --- Measuring and operations (not part of `make test`) -------------------------------
.PHONY: bench load backup restore

$(VENV)/.bench-installed: requirements/bench.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/bench.txt
	@touch $@

## make bench: the quality bars of DESIGN §6 on the large demo data, one line each
## (throwaway PostgreSQL + Redis; see bench/README.md).
bench: $(VENV)/.bench-installed messages
	bash scripts/with_services.sh bash bench/run.sh

## make load: locust against gunicorn + PostgreSQL + Redis + a Celery worker on
## localhost, 50 users for LOAD_DURATION (default 5m).
load: $(VENV)/.bench-installed messages
	bash scripts/with_services.sh bash scripts/load.sh

## make backup: pg_dump -Fc of DATABASE_URL (and the media folder) into var/backups/.
backup:
	bash scripts/backup.sh

## make restore FILE=var/backups/<stamp>.dump: pg_restore into DATABASE_URL
## (asks first; FORCE=1 does not ask).
restore:
	bash scripts/restore.sh $(FILE)
