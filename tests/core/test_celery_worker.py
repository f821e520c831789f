"""A real Celery worker consumes a task through the real Redis broker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from core.models import WorkerHeartbeat
from core.tasks import heartbeat

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def worker():
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.fail("CELERY_BROKER_URL must point at the Redis started by with_services.sh")
    env = {**os.environ, "DATABASE_URL": _database_url(),
           "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_worker_consumes_a_task_sent_through_redis(worker, settings):
    from config.celery_app import app

    app.conf.task_always_eager = False
    try:
        result = heartbeat.apply_async(kwargs={"name": "through-redis"})
    finally:
        app.conf.task_always_eager = True
    assert result.id
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if WorkerHeartbeat.objects.filter(name="through-redis").exists():
            break
        if worker.poll() is not None:
            pytest.fail("worker exited:\n" + worker.stdout.read().decode())
        time.sleep(0.3)
    else:
        pytest.fail("the worker did not run the task within 60 s")
    assert WorkerHeartbeat.objects.get(name="through-redis").seen_at is not None


def test_celery_settings_are_the_reliable_ones():
    from config.celery_app import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.timezone == "Asia/Ho_Chi_Minh"
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


@pytest.mark.django_db
def test_heartbeat_schedule_exists_after_migrations(beat_schedules):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="Worker heartbeat")
    assert task.task == "core.tasks.heartbeat"
    assert task.enabled
