import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"


def test_healthz_reports_the_last_worker_heartbeat(client):
    WorkerHeartbeat.objects.create(name="worker", seen_at=timezone.now())
    body = client.get(reverse("healthz")).json()
    assert body["worker"]["seconds_ago"] < 60


def test_healthz_says_when_the_broker_is_down(client):
    from config.celery_app import app

    # A port where nothing listens.
    old = app.conf.broker_url, app.conf.broker_write_url
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url, app.conf.broker_write_url = old
    assert response.status_code == 503
    assert response.json() == {
        "status": "error", "database": "ok", "broker": "error", "worker": None,
    }


def test_healthz_is_not_cached(client):
    response = client.get(reverse("healthz"))
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
