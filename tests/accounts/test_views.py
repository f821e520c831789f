"""Login, logout, password change, lockout and session lifetime."""

import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'lang="vi"' in content
    assert "Đăng nhập" in content


def test_login_then_home_then_logout(client, pc_officer, password):
    response = client.post(
        reverse("accounts:login"), {"username": "pc_officer", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert pc_officer.full_name in home.content.decode()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_wrong_password_says_so_in_vietnamese_and_keeps_username(client, pc_officer):
    response = client.post(
        reverse("accounts:login"), {"username": "pc_officer", "password": "wrong"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "tên đăng nhập và mật khẩu" in content.lower()
    assert 'value="pc_officer"' in content


def test_home_requires_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_lockout_is_per_username_and_ip_not_per_office(client, pc_officer, pc_leader, password):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "pc_officer", "password": "wrong"})
    locked = client.post(url, {"username": "pc_officer", "password": password})
    assert locked.status_code == 429
    assert "15 phút" in locked.content.decode()
    # A colleague behind the same office IP still signs in.
    ok = client.post(url, {"username": "pc_leader", "password": password})
    assert ok.status_code == 302


def test_password_change(client, pc_officer, password):
    client.force_login(pc_officer)
    new = "Mat-khau-moi-2026!"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    pc_officer.refresh_from_db()
    assert pc_officer.check_password(new)


def test_password_change_rejects_weak_password_in_vietnamese(client, pc_officer, password):
    client.force_login(pc_officer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in response.content.decode()


def test_session_has_an_absolute_lifetime(client, pc_officer, settings):
    client.force_login(pc_officer)
    session = client.session
    session["login_at"] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("core:home")).status_code == 302


def test_session_idles_out_after_30_minutes(client, pc_officer, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client.force_login(pc_officer)
    client.get(reverse("core:home"))
    expiry = client.session.get_expiry_age()
    assert expiry == 30 * 60


def test_login_sets_login_time(client, pc_officer, password):
    client.post(reverse("accounts:login"), {"username": "pc_officer", "password": password})
    assert abs(client.session["login_at"] - time.time()) < 60
