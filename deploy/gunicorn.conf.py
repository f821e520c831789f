"""Gunicorn settings for the web service (docker-compose.yml).

    gunicorn --config deploy/gunicorn.conf.py

Tunables come from the environment:
    WEB_CONCURRENCY  worker processes (default: 2 x CPU cores + 1)
    GUNICORN_BIND    listen address (default: 0.0.0.0:8000)
    LOG_LEVEL        shared with Django (default: INFO)
"""

import os


def _cores() -> int:
    # CPUs this container may use (respects --cpuset-cpus, not CPU quotas:
    # set WEB_CONCURRENCY when the container is limited with --cpus).
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: nginx buffers slow clients, so each worker handles one request.
# Every worker keeps its own database connection (CONN_MAX_AGE); keep
# workers x web replicas + Celery concurrency below PostgreSQL max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores() + 1)
worker_class = "sync"

# Spreadsheet imports and report rendering can take a while; nginx waits a
# little longer (proxy_read_timeout 65s) so gunicorn's timeout wins.
timeout = 60
graceful_timeout = 30
keepalive = 5

# The application is loaded once, in the master, before the workers are
# forked: a worker recycled below starts in milliseconds instead of importing
# Django again (about a second of CPU each). A new release is deployed by
# restarting the container (docker-compose up), not by HUP, which would not
# load new code into a preloaded master.
preload_app = True

# Recycle workers now and then to cap slow memory growth. Workers share the
# requests evenly, so they reach the limit together: the jitter (half the
# limit) spreads their restarts, which would otherwise all fall in the same
# few seconds and stall the site (measured under make load: 40 -> 12
# requests/s for three seconds each time all five restarted).
max_requests = 1000
max_requests_jitter = 500

# Heartbeat files in memory, not on the container's overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs go to stdout/stderr, collected by Docker.
# Access log: path only (%(U)s), no query string and no referer, because query
# strings can carry personal data (e.g. the admin's ?q= search on names).
# %(h)s is nginx's address; nginx's own log has the client address.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()

# X-Forwarded-Proto is read by Django (SECURE_PROXY_SSL_HEADER), not by
# gunicorn; the web port is reachable only through nginx / the host proxy.
