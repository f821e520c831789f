"""Two-step sign-in: a code from an authenticator app after the password."""

import re
import time

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:two_step_setup")
VERIFY = reverse("accounts:two_step")
SECURITY = reverse("accounts:security")


def vi(text):
    with translation.override("vi"):
        return translation.gettext(text)


def code_for(device, *, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def sign_in(client, user, next_url=HOME):
    return client.post(f"{LOGIN}?next={next_url}", {"username": user.username,
                                                    "password": PASSWORD, "next": next_url})


def enable(client, user) -> tuple[TOTPDevice, list[str]]:
    """Turn it on through the pages, as a person would; returns the device and codes."""
    client.force_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    codes = [li.strip() for li in re.findall(
        r"<li class=\"col\">([^<]+)</li>", response.content.decode())]
    device.refresh_from_db()
    return device, codes


def test_setting_it_up_shows_a_qr_code_and_confirms_with_a_code(client, iz_officer):
    client.force_login(iz_officer)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and 'data-testid="secret"' in page
    device = TOTPDevice.objects.get(user=iz_officer)
    assert not device.confirmed
    # The key shown for typing by hand is the device's own secret.
    import base64
    shown = re.search(r'data-testid="secret">([^<]+)<', page).group(1).replace(" ", "")
    assert base64.b32decode(shown + "=" * (-len(shown) % 8)) == device.bin_key

    wrong = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert vi("This code is not right. Check the time on the phone, then enter the 6 digits "
              "the app shows now.") in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and mfa.is_enabled(iz_officer) is False

    time.sleep(1.1)  # a wrong code locks the device for a second
    done = client.post(SETUP, {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed and mfa.is_enabled(iz_officer)
    codes = re.findall(r"<li class=\"col\">([^<]+)</li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=iz_officer).count() == 10
    assert client.get(HOME).status_code == 200  # this session is fully signed in


def test_with_it_on_the_password_alone_reaches_nothing(client, iz_officer):
    device, _codes = enable(client, iz_officer)
    client.logout()
    response = sign_in(client, iz_officer, next_url="/enterprises/")
    assert response.status_code == 302
    # Every page sends to the second step, keeping where the person was going.
    for url in (HOME, "/enterprises/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    htmx = client.get("/enterprises/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == VERIFY

    wrong = client.post(VERIFY, {"code": "12345", "next": "/enterprises/"})
    assert wrong.status_code == 200 and client.get(HOME).status_code == 302
    # Wait out the throttle the wrong code started, then the right code gets in.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    right = client.post(VERIFY, {"code": code_for(device, offset=1), "next": "/enterprises/"})
    assert right.status_code == 302 and right["Location"] == "/enterprises/"
    assert client.get(HOME).status_code == 200


def test_a_backup_code_works_once(client, iz_officer):
    _device, codes = enable(client, iz_officer)
    client.logout()
    sign_in(client, iz_officer)
    assert client.post(VERIFY, {"code": codes[0].upper()})["Location"] == HOME
    client.logout()
    sign_in(client, iz_officer)
    refused = client.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 200
    assert StaticToken.objects.filter(device__user=iz_officer).count() == 9


def test_wrong_codes_are_throttled_even_the_right_one_waits(client, iz_officer):
    device, _codes = enable(client, iz_officer)
    client.logout()
    sign_in(client, iz_officer)
    for _ in range(3):
        client.post(VERIFY, {"code": "999999" if code_for(device) != "999999" else "888888"})
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert re.search(vi("Too many wrong codes: wait %(seconds)s seconds, then try again.")
                     .replace("%(seconds)s", r"\d+"), response.content.decode())
    assert client.get(HOME).status_code == 302


def test_an_open_redirect_is_not_followed(client, iz_officer):
    device, _codes = enable(client, iz_officer)
    client.logout()
    sign_in(client, iz_officer)
    # A time step already used (by the setup) is refused: the next one is accepted.
    response = client.post(VERIFY, {"code": code_for(device, offset=1),
                                    "next": "https://evil.example/"})
    assert response["Location"] == HOME


@pytest.mark.parametrize("fixture, forced", [("pc_officer", True), ("pc_leader", True),
                                             ("administrator", True), ("iz_officer", True),
                                             ("iz_leader", False)])
def test_where_required_the_account_sets_it_up_before_anything_else(
        client, request, settings, fixture, forced):
    settings.MFA_REQUIRED = True
    user = request.getfixturevalue(fixture)
    sign_in(client, user)
    response = client.get("/enterprises/")
    if forced:
        assert response.status_code == 302 and response["Location"].startswith(SETUP)
        page = client.get(response["Location"]).content.decode()
        assert 'data-testid="required"' in page
    else:
        assert response.status_code in (200, 403)


def test_the_obligation_is_checked_on_every_request_not_only_at_sign_in(client, iz_officer,
                                                                        settings):
    """A session that began when two-step sign-in was not required owes it as
    soon as it is; one held at set-up is let go when it no longer is."""
    settings.MFA_REQUIRED = False
    sign_in(client, iz_officer)
    assert client.get("/enterprises/").status_code == 200
    settings.MFA_REQUIRED = True
    response = client.get("/enterprises/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    assert client.session[mfa.SESSION_KEY] == mfa.SETUP
    settings.MFA_REQUIRED = False
    assert client.get("/enterprises/").status_code == 200
    assert client.session[mfa.SESSION_KEY] == mfa.DONE


def test_a_session_past_its_second_step_is_not_checked_again(client, iz_officer, settings,
                                                             django_assert_num_queries):
    enable(client, iz_officer)
    settings.MFA_REQUIRED = True
    request = RequestFactory().get("/")
    request.session = client.session
    assert request.session.get(mfa.SESSION_KEY) == mfa.DONE  # the session row is read here
    request.user = iz_officer
    with django_assert_num_queries(0):
        assert mfa.pending(request) == mfa.DONE


def wrong(code: str) -> str:
    """A 6-digit code that is not ``code``."""
    return "000000" if code != "000000" else "111111"


def test_turning_it_off_needs_the_password_and_a_code(client, iz_officer):
    device, codes = enable(client, iz_officer)
    url = reverse("accounts:two_step_disable")
    assert 'data-testid="identity-form"' in client.get(url).content.decode()
    refused = client.post(url, {"password": "not-the-password", "code": codes[0]})
    assert vi("This password is not right.") in refused.content.decode()
    assert mfa.is_enabled(iz_officer)
    # The password was wrong: the backup code was not even tried, and still works.
    assert StaticToken.objects.filter(device__user=iz_officer, token=codes[0]).exists()
    refused = client.post(url, {"password": PASSWORD, "code": wrong(code_for(device, offset=1))})
    assert vi("This code is not right. Enter the 6 digits your authenticator app shows now, "
              "or one of your backup codes.") in refused.content.decode()
    assert mfa.is_enabled(iz_officer)
    time.sleep(1.1)  # a wrong code locks the devices for a second
    done = client.post(url, {"password": PASSWORD, "code": codes[1]}, follow=True)
    assert vi("Two-step sign-in is off.") in done.content.decode()
    assert not mfa.is_enabled(iz_officer)
    assert not StaticToken.objects.filter(device__user=iz_officer).exists()


def test_a_required_account_cannot_turn_it_off(client, pc_officer, settings):
    device, codes = enable(client, pc_officer)
    settings.MFA_REQUIRED = True
    response = client.post(reverse("accounts:two_step_disable"),
                           {"password": PASSWORD, "code": codes[0]}, follow=True)
    assert mfa.is_enabled(pc_officer)
    assert vi("Two-step sign-in is required for your account. To move it to another phone, "
              "set it up again.") in response.content.decode()


def test_new_backup_codes_need_the_password_and_a_code(client, iz_officer):
    _device, codes = enable(client, iz_officer)
    url = reverse("accounts:two_step_codes")
    refused = client.post(url, {"password": "not-the-password", "code": codes[0]})
    assert refused.status_code == 200 and 'data-testid="backup-codes"' not in refused.content.decode()
    assert set(StaticToken.objects.filter(device__user=iz_officer)
               .values_list("token", flat=True)) == set(codes)
    response = client.post(url, {"password": PASSWORD, "code": codes[0]})
    new = re.findall(r"<li class=\"col\">([^<]+)</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(codes)
    assert set(StaticToken.objects.filter(device__user=iz_officer)
               .values_list("token", flat=True)) == set(new)


# --- Moving it to another phone ------------------------------------------------------------

CHANGE = reverse("accounts:two_step_change")


def test_a_signed_in_session_alone_cannot_replace_the_authenticator(client, iz_officer):
    device, _codes = enable(client, iz_officer)
    for response in (client.get(f"{SETUP}?new=1"), client.get(SETUP)):
        assert response.status_code == 302 and response["Location"] == CHANGE
    assert not TOTPDevice.objects.filter(user=iz_officer, confirmed=False).exists()
    # Even with a new app already scanned (a set-up left half-way), its code is refused.
    stray = mfa.start_setup(iz_officer)
    response = client.post(SETUP, {"code": code_for(stray)})
    assert response.status_code == 302 and response["Location"] == CHANGE
    assert list(TOTPDevice.objects.filter(user=iz_officer, confirmed=True)) == [device]


def test_replacing_it_needs_the_password_and_a_current_code(client, iz_officer):
    old, codes = enable(client, iz_officer)
    assert 'data-testid="identity-form"' in client.get(CHANGE).content.decode()
    refused = client.post(CHANGE, {"password": "not-the-password", "code": codes[0]})
    assert refused.status_code == 200
    assert vi("This password is not right.") in refused.content.decode()
    refused = client.post(CHANGE, {"password": PASSWORD, "code": wrong(code_for(old, offset=1))})
    assert refused.status_code == 200
    assert vi("This code is not right. Enter the 6 digits your authenticator app shows now, "
              "or one of your backup codes.") in refused.content.decode()
    assert client.get(SETUP)["Location"] == CHANGE  # still not allowed

    time.sleep(1.1)  # the wrong code locks the devices for a second
    confirmed = client.post(CHANGE, {"password": PASSWORD, "code": codes[0]})
    assert confirmed.status_code == 302 and confirmed["Location"] == f"{SETUP}?new=1"
    assert client.get(confirmed["Location"]).status_code == 200
    new = TOTPDevice.objects.get(user=iz_officer, confirmed=False)
    done = client.post(SETUP, {"code": code_for(new)})
    assert done.status_code == 200 and 'data-testid="backup-codes"' in done.content.decode()
    assert list(TOTPDevice.objects.filter(user=iz_officer)) == [new]
    new.refresh_from_db()
    assert new.confirmed
    # Once used, the confirmation is gone: the next replacement asks again.
    assert client.get(f"{SETUP}?new=1")["Location"] == CHANGE


def test_a_current_code_from_the_old_app_also_confirms(client, iz_officer):
    old, _codes = enable(client, iz_officer)
    response = client.post(CHANGE, {"password": PASSWORD, "code": code_for(old, offset=1)})
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?new=1"


def test_a_code_from_an_app_not_yet_confirmed_does_not_confirm(client, iz_officer):
    _old, _codes = enable(client, iz_officer)
    stray = mfa.start_setup(iz_officer)
    response = client.post(CHANGE, {"password": PASSWORD, "code": code_for(stray)})
    assert response.status_code == 200
    assert client.get(SETUP)["Location"] == CHANGE


def test_a_backup_code_does_not_hold_up_the_app(client, iz_officer):
    """Only the device a code is meant for counts a failure: a backup code is
    not tried (and failed) on the app first."""
    old, codes = enable(client, iz_officer)
    client.logout()
    sign_in(client, iz_officer)
    assert client.post(VERIFY, {"code": codes[0]})["Location"] == HOME
    old.refresh_from_db()
    assert old.throttling_failure_count == 0
    response = client.post(CHANGE, {"password": PASSWORD, "code": code_for(old, offset=1)})
    assert response.status_code == 302


def test_the_confirmation_lapses_after_ten_minutes(client, iz_officer):
    _old, codes = enable(client, iz_officer)
    client.post(CHANGE, {"password": PASSWORD, "code": codes[0]})
    assert client.get(SETUP).status_code == 200
    session = client.session
    session[mfa.CONFIRMED_KEY] = time.time() - mfa.CONFIRMED_SECONDS - 1
    session.save()
    assert client.get(SETUP)["Location"] == CHANGE


def test_wrong_passwords_there_count_towards_the_sign_in_lockout(client, iz_officer):
    _old, codes = enable(client, iz_officer)
    for _ in range(4):
        assert client.post(CHANGE, {"password": "guess", "code": codes[0]}).status_code == 200
    locked = client.post(CHANGE, {"password": "guess", "code": codes[0]})
    assert locked.status_code == 429
    # Locked there, locked at the sign-in page too: even the right password is refused.
    client.logout()
    assert sign_in(client, iz_officer).status_code == 429


def test_wrong_codes_there_are_throttled(client, iz_officer):
    old, _codes = enable(client, iz_officer)
    for _ in range(3):
        client.post(CHANGE, {"password": PASSWORD, "code": wrong(code_for(old, offset=1))})
    response = client.post(CHANGE, {"password": PASSWORD, "code": code_for(old, offset=1)})
    assert response.status_code == 200
    assert re.search(vi("Too many wrong codes: wait %(seconds)s seconds, then try again.")
                     .replace("%(seconds)s", r"\d+"), response.content.decode())
    assert client.get(SETUP)["Location"] == CHANGE


def test_the_security_page_says_the_state(client, iz_officer):
    client.force_login(iz_officer)
    assert vi("Off") in client.get(SECURITY).content.decode()
    enable(client, iz_officer)
    page = client.get(SECURITY).content.decode()
    assert 'data-testid="codes-left"' in page and "10" in page


def test_an_administrator_reset_sends_the_person_to_set_it_up_again(client, pc_officer,
                                                                     settings):
    enable(client, pc_officer)
    mfa.reset(pc_officer)
    settings.MFA_REQUIRED = True
    client.logout()
    sign_in(client, pc_officer)
    assert client.get(HOME)["Location"].startswith(SETUP)


def test_an_administrator_resets_it_from_the_accounts_page(client, administrator,
                                                            iz_officer):
    enable(client, iz_officer)
    client.force_login(administrator)
    response = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_two_step", "_selected_action": [iz_officer.pk]}, follow=True)
    assert response.status_code == 200
    assert not mfa.is_enabled(iz_officer)
    assert not StaticToken.objects.filter(device__user=iz_officer).exists()
    # No admin page shows the devices and their secrets.
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
