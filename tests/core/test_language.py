"""Vietnamese by default, whatever the browser says; English when chosen."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login_label(language: str) -> str:
    with translation.override(language):
        return translation.gettext("Sign in")


def test_an_english_browser_still_gets_vietnamese(client):
    assert login_label("vi") != login_label("en")
    response = client.get(LOGIN, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "vi"
    assert login_label("vi") in response.content.decode()
    assert '<html lang="vi"' in response.content.decode()


def test_the_language_switch_chooses_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    response = client.get(LOGIN)
    assert response["Content-Language"] == "en"
    assert login_label("en") in response.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": LOGIN})
    assert client.get(LOGIN)["Content-Language"] == "vi"


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies["lang"] = "fr"
    assert client.get(LOGIN, headers={"Accept-Language": "en"})["Content-Language"] == "vi"
