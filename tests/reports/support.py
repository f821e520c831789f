"""Helpers shared by the report tests: media folders, workbooks read back,
Celery brokers and real workers.

Imported by name from the ``test_report_*`` and ``test_build_report`` modules and
``tests/e2e/test_reports.py``; report data is in ``tests.reports.factories``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import lxml.html
import pytest
from django.db import connection
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def media_folder(settings, tmp_path) -> Path:
    """Report files go to a fresh folder (for a ``media`` fixture); returns it."""
    folder = tmp_path / "media"
    folder.mkdir()
    settings.MEDIA_ROOT = str(folder)
    return folder


def report_files(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "reports").rglob("*.xlsx"))


# --- Workbooks read back -------------------------------------------------------------------


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def values(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]



# --- Celery brokers and a real worker ---------------------------------------------------------


def _reset_pools(app) -> None:
    # Only forget them: kombu keeps one pool per URL and hands it out again.
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def celery_broker(url: str):
    """Send tasks through ``url`` for real (not eagerly) inside the block."""
    from config.celery_app import app

    saved_env = os.environ.get("CELERY_BROKER_URL")
    saved_url = app.conf.get("broker_url")
    saved_eager = app.conf.task_always_eager
    os.environ["CELERY_BROKER_URL"] = url
    app.conf["broker_url"] = url
    app.conf.task_always_eager = False
    _reset_pools(app)
    try:
        yield app
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        app.conf["broker_url"] = saved_url
        app.conf.task_always_eager = saved_eager
        _reset_pools(app)


@contextmanager
def broker_down(settings):
    """The broker is a real, unreachable Redis address inside the block."""
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    with celery_broker(UNREACHABLE_BROKER) as app:
        yield app


def isolated_broker_url() -> str:
    """The test Redis, on a database of this pytest worker's own, so that
    another test's worker never takes these tasks (nor this one theirs)."""
    base = os.environ.get("CELERY_BROKER_URL", "")
    if not base.startswith("redis://"):
        pytest.fail("CELERY_BROKER_URL must point at the Redis started by with_services.sh")
    number = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    return f"{base.rsplit('/', 1)[0]}/{9 + number % 7}"


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@contextmanager
def worker_starter(settings, tmp_path):
    """Yields ``start()``, which starts a real Celery worker (solo pool) on the
    isolated broker and returns the process; all are stopped at the end."""
    processes = []

    def start():
        env = {**os.environ, "DATABASE_URL": _database_url(),
               "DJANGO_SETTINGS_MODULE": "config.settings.test",
               "CELERY_BROKER_URL": isolated_broker_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
        log = (tmp_path / f"worker{len(processes)}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        proc.log_path = Path(log.name)
        processes.append((proc, log))
        return proc

    try:
        yield start
    finally:
        for proc, log in processes:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()


def worker_log(proc) -> str:
    return proc.log_path.read_text(errors="replace")[-4000:]


# --- reading the dashboard and the workbook -----------------------------------------

HOME = "/"


def page(client, user, **params):
    client.force_login(user)
    response = client.get(HOME, params)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def chart_data(doc, chart_id: str):
    scripts = doc.xpath(f'//script[@id="chart-{chart_id}-data"]')
    return json.loads(scripts[0].text) if scripts else None


def table(ws, first_header: str = "STT") -> tuple[list, list[list]]:
    """The header row (the first row starting with ``first_header``) and the rows
    below it up to the first blank row."""
    rows = values(ws)
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    body = []
    for row in rows[start + 1:]:
        if all(value is None for value in row):
            break
        body.append(row)
    return rows[start], body


def plan_tables(data):
    ws = workbook(data)["Kế hoạch"]
    header, targets = table(ws)
    rows = values(ws)
    task_start = next(i for i, row in enumerate(rows) if row[1] == "Nội dung")
    return header, targets, rows[task_start], rows[task_start + 1:]
