"""CSRF is enforced on every URL: a POST without a token is refused with the Vietnamese page.

The URLs come from the resolver (every app, the accounts pages and the admin
login), so new forms are covered without touching this file. The check runs
before any view, so placeholder ids are enough to reach it.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import ImportRun
from enterprises.models import Enterprise

from .routes import all_routes, dummy_kwargs

pytestmark = pytest.mark.django_db

NAMESPACES = ("enterprises", "coordination", "surveys", "reports", "core", "accounts")
ROUTES = all_routes(NAMESPACES)


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


def assert_csrf_page(response):
    assert response.status_code == 403
    html = response.content.decode()
    assert vi("The form has expired") in html
    assert vi("The form has expired") != "The form has expired"  # really Vietnamese
    assert "CSRF verification failed" not in html and "Forbidden" not in html  # not Django's page


def test_every_app_url_is_covered():
    names = {str(route) for route in ROUTES}
    for expected in ("accounts:login", "accounts:logout", "enterprises:enterprise_create",
                     "core:import_upload", "coordination:member_create"):
        assert expected in names


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_post_without_token_is_refused(pc_officer, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pc_officer)
    url = reverse(route.name, kwargs=dummy_kwargs(route))
    assert_csrf_page(client.post(url, {"name": "Công ty X", "q": "x"}))


def test_login_without_token_is_refused_and_does_not_count_as_a_failure(pc_officer, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"),
                           {"username": "pc_officer", "password": password})
    assert_csrf_page(response)
    assert "_auth_user_id" not in client.session


def test_admin_login_without_token_is_refused(administrator, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "admin", "password": password})
    assert_csrf_page(response)


def test_logout_without_token_keeps_the_session(pc_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pc_officer)
    assert_csrf_page(client.post(reverse("accounts:logout")))
    assert client.get(reverse("core:home")).status_code == 200


def test_a_wrong_token_is_refused_and_nothing_is_written(pc_officer, zone_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pc_officer)
    client.get(reverse("enterprises:enterprise_create"))  # sets the CSRF cookie
    response = client.post(reverse("enterprises:enterprise_create"), {
        "csrfmiddlewaretoken": "x" * 64, "name": "Công ty X", "tax_code": "0100233488",
        "zone": zone_a.pk,
    })
    assert_csrf_page(response)
    assert not Enterprise.objects.exists()


def test_the_same_post_with_its_token_reaches_the_view(pc_officer):
    """The 403s above come from the CSRF check, not from the views."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(pc_officer)
    page = client.get(reverse("core:import_upload", args=["enterprises"]))
    token = page.context["csrf_token"]
    response = client.post(reverse("core:import_upload", args=["enterprises"]),
                           {"csrfmiddlewaretoken": str(token), "as_of": "01/01/2026"})
    assert response.status_code == 200  # the form again, with "this field is required"
    assert vi("The form has expired") not in response.content.decode()
    assert not ImportRun.objects.exists()
