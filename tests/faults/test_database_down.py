"""PostgreSQL unreachable: a clean Vietnamese error page, and /healthz says so.

The connection really goes to a TCP port that refuses it (no mock of the
database); the suite's own PostgreSQL is used again afterwards.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from enterprises.models import Enterprise
from tests.enterprises.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


def _leaks() -> list[str]:
    """What an error page must never show: internals, settings, the exception."""
    db = connection.settings_dict
    return [
        "Traceback", "OperationalError", "psycopg", "connection to server", "Connection refused",
        "DATABASES", "SECRET_KEY", settings.SECRET_KEY, f":{db['PORT']}", db["NAME"],
        "core/", ".py", "Exception",
    ]


def assert_clean_unavailable_page(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"].isdigit()
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert vi("The service is temporarily unavailable") in html
    assert vi("The data service is not answering. Please try again in a few minutes; nothing you "
              "saved before this page was lost.") in html
    for leak in _leaks():
        assert leak not in html, leak


def test_pages_answer_a_clean_503_while_the_database_is_down(database_cut, pc_officer):
    browser = Client(raise_request_exception=False)
    browser.force_login(pc_officer)
    anonymous = Client(raise_request_exception=False)
    with database_cut():
        # Session and account lookups fail before any view code runs.
        assert_clean_unavailable_page(browser.get(reverse("enterprises:enterprise_list")))
        assert_clean_unavailable_page(browser.get(reverse("core:home")))
        # Signing in needs the database too (account, lockout counters).
        assert_clean_unavailable_page(anonymous.post(
            reverse("accounts:login"), {"username": "pc_officer", "password": "whatever-123"}))
    # Back up: the same session works again, nothing was left broken.
    assert browser.get(reverse("enterprises:enterprise_list")).status_code == 200


def test_a_write_interrupted_by_the_outage_changes_nothing(database_cut, pc_officer, zone_a):
    browser = Client(raise_request_exception=False)
    browser.force_login(pc_officer)
    EnterpriseFactory(zone=zone_a)
    with database_cut():
        response = browser.post(reverse("enterprises:enterprise_create"), {"name": "Công ty Mới"})
        assert_clean_unavailable_page(response)
    assert Enterprise.objects.count() == 1


def test_healthz_marks_the_database_down_with_503(database_cut):
    with database_cut():
        response = Client(raise_request_exception=False).get(reverse("healthz"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body == {"status": "error", "database": "error", "broker": "ok", "worker": None}


def test_healthz_recovers_when_the_database_is_back(database_cut):
    client = Client(raise_request_exception=False)
    with database_cut():
        assert client.get(reverse("healthz")).status_code == 503
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_other_server_errors_keep_the_plain_500_page(pc_officer, monkeypatch):
    """Only database outages are 503; a bug is a 500 with the generic page."""
    from enterprises import views

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail of a bug")

    monkeypatch.setattr(views, "_enterprise_filter", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(pc_officer)
    response = browser.get(reverse("enterprises:enterprise_list"))
    assert response.status_code == 500
    html = response.content.decode()
    assert vi("Something went wrong on the server") in html
    assert "secret detail" not in html and "RuntimeError" not in html
    assert "Retry-After" not in response
