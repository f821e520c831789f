# syntax=docker/dockerfile:1
#
# Production image: gunicorn (web), Celery worker and Celery beat all run from it.
#   docker compose build        (see docker-compose.yml and docs/deployment.md)
#
# Stage 1 compiles psycopg2 from source (gcc + libpq-dev), compiles the
# translations (gettext) and collects the static files. Stage 2 only carries
# the virtualenv, the code and the results, plus libpq5 at runtime.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --------------------------------------------------------------------- build
FROM ${PYTHON_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so code changes do not reinstall them.
# requirements/production.txt is the pinned lock (psycopg2 built from source).
RUN python -m venv /opt/venv
COPY requirements/production.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

WORKDIR /app
COPY . /app

# Translations (*.mo are not in git) and static files (WhiteNoise manifest).
# The SECRET_KEY here is a random throwaway needed only to load the settings
# for these two commands (they refuse weak ones); it is not kept in the image.
RUN export DJANGO_SETTINGS_MODULE=config.settings.production \
           SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
           STATIC_ROOT=/app/staticfiles \
    && python manage.py compilemessages --ignore=.venv -v0 \
    && python manage.py collectstatic --noinput -v0 \
    && python -m compileall -q /app \
    && chmod 0755 /app/deploy/entrypoint.sh /app/deploy/backup.sh

# ------------------------------------------------------------------- runtime
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1000 app \
    && useradd --uid 1000 --gid app --home-dir /home/app --create-home \
               --shell /usr/sbin/nologin app

COPY --from=build /opt/venv /opt/venv
# Code and collected static files stay owned by root: the app user can read
# them but not change them. Only var/media (a volume) is writable.
COPY --from=build /app /app

# The media volume is initialised from this directory on first use, so it
# inherits the app user's ownership.
RUN mkdir -p /app/var/media \
    && chown -R app:app /app/var \
    && chmod 0750 /app/var /app/var/media

WORKDIR /app
USER app
EXPOSE 8000

ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
