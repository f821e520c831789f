"""Fixtures and helpers shared by the report tests (no tests here).

Imported by name from the ``test_report_*`` modules and ``tests/e2e/test_reports.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from reports.models import Report
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory, WorkforceFactory

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


def make_report(*, kind=Report.Kind.QUARTERLY, period="2026-Q1", zone=None, personal=True,
                status=Report.Status.READY, figures=None, content=b"PK\x03\x04 test workbook",
                generated_at=None, **fields) -> Report:
    """A report row as the services leave it, without building a workbook."""
    report = Report.objects.create(kind=kind, period=period, zone=zone, personal=personal,
                                   status=Report.Status.PENDING, **fields)
    if status == Report.Status.READY:
        report.file.save(f"{period}.xlsx", ContentFile(content), save=False)
        report.size = len(content)
        report.figures = {"enterprises": 12, "members": 30} if figures is None else figures
        report.generated_at = generated_at or timezone.now()
        report.progress = 100
    elif status == Report.Status.FAILED:
        report.error = "The generation failed (RuntimeError)."
    report.status = status
    report.save()
    return report


def some_data(zone_a, zone_b) -> None:
    """A few enterprises with workers and party organizations, so figures are not all 0."""
    for i, zone in enumerate([zone_a, zone_a, zone_b]):
        enterprise = EnterpriseFactory(zone=zone, established_on=date(2015, 1, 1 + i))
        WorkforceFactory(enterprise=enterprise, as_of=date(2025, 1, 1), total_workers=100 * (i + 1),
                         female_workers=50)
    PartyOrganizationFactory(enterprise=EnterpriseFactory(zone=zone_a), zone=zone_a,
                             established_on=date(2020, 1, 1))


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
