"""A change of what an account may do, of its password or of its two-step
sign-in ends its sessions at once: the other ones when the person made the
change, all of them when an administrator did."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import grants, mfa
from accounts.models import User
from tests.enterprises.factories import ZoneFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SECURITY = reverse("accounts:security")
LOGIN = reverse("accounts:login")


def browser(user) -> Client:
    """A new browser signed in as ``user`` with the password."""
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def browser_with_code(user, code) -> Client:
    """A new browser signed in as ``user`` with the password and ``code``."""
    client = browser(user)
    response = client.post(reverse("accounts:two_step"), {"code": code})
    assert response.status_code == 302
    return client


def signed_in(client) -> bool:
    response = client.get(SECURITY)
    if response.status_code == 302:
        assert response["Location"].startswith(LOGIN)
        return False
    assert response.status_code == 200
    return True


def app_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def turn_on(client, user) -> list[str]:
    client.get(reverse("accounts:two_step_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_step_setup"), {"code": app_code(device)})
    codes = re.findall(r"<li class=\"col\">([^<]+)</li>", response.content.decode())
    assert mfa.is_enabled(user) and len(codes) == 10
    return codes


# --- Changes by the person: the current session goes on, the others end -------------------


def test_a_new_password_ends_the_other_sessions(pc_officer):
    here, elsewhere = browser(pc_officer), browser(pc_officer)
    new = "Mat-khau-moi-2026!"
    response = here.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)


def test_turning_two_step_on_ends_the_other_sessions(iz_officer):
    here, elsewhere = browser(iz_officer), browser(iz_officer)
    turn_on(here, iz_officer)
    assert signed_in(here)
    assert not signed_in(elsewhere)


def test_new_backup_codes_end_the_other_sessions(iz_officer):
    here = browser(iz_officer)
    codes = turn_on(here, iz_officer)
    elsewhere = browser_with_code(iz_officer, codes[0])
    assert signed_in(elsewhere)
    here.post(reverse("accounts:two_step_codes"), {"password": PASSWORD, "code": codes[1]})
    assert signed_in(here)
    assert not signed_in(elsewhere)


def test_turning_two_step_off_ends_the_other_sessions(iz_officer):
    here = browser(iz_officer)
    codes = turn_on(here, iz_officer)
    elsewhere = browser_with_code(iz_officer, codes[0])
    assert signed_in(elsewhere)
    here.post(reverse("accounts:two_step_disable"), {"password": PASSWORD, "code": codes[1]})
    assert not mfa.is_enabled(iz_officer)
    assert signed_in(here)
    assert not signed_in(elsewhere)


# --- Changes by an administrator: every session of the account ends ------------------------


def test_an_administrator_resetting_two_step_ends_all_its_sessions(client, administrator,
                                                                    iz_officer):
    first = browser(iz_officer)
    codes = turn_on(first, iz_officer)
    second = browser_with_code(iz_officer, codes[0])
    assert signed_in(second)
    client.force_login(administrator)
    client.post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_two_step", "_selected_action": [iz_officer.pk]})
    assert not mfa.is_enabled(iz_officer)
    assert not signed_in(first)
    assert not signed_in(second)
    assert signed_in(client)


def test_an_administrator_setting_a_password_ends_all_its_sessions(client, administrator,
                                                                   iz_officer):
    """(An account with personal data gets its new password only once a leader
    approves: tests/accounts/test_separation.py.)"""
    first, second = browser(iz_officer), browser(iz_officer)
    client.force_login(administrator)
    new = "Mat-khau-moi-2026!"
    response = client.post(reverse("admin:auth_user_password_change", args=[iz_officer.pk]),
                           {"password1": new, "password2": new})
    assert response.status_code == 302
    iz_officer.refresh_from_db()
    assert iz_officer.check_password(new)
    assert not signed_in(first)
    assert not signed_in(second)
    assert signed_in(client)


def admin_form(user, **changes) -> dict:
    data = {"username": user.username, "full_name": user.full_name, "title": user.title,
            "email": user.email, "phone": user.phone, "organization": user.organization,
            "role": user.role, "zones": [z.pk for z in user.zones.all()], "is_active": "on",
            "_save": "Save"}
    if user.all_zones:
        data["all_zones"] = "on"
    data.update(changes)
    return data


@pytest.mark.parametrize("change", ["role", "organization", "zones", "all_zones"])
def test_an_administrator_changing_what_the_account_may_do_ends_its_sessions(
        client, administrator, iz_officer, zone_b, change):
    changes = {
        "role": {"role": User.Role.LEADER},
        # (Into the Party Committee: only once a leader approves, test_separation.py.)
        "organization": {"organization": "", "role": "", "zones": []},
        "zones": {"zones": [zone.pk for zone in iz_officer.zones.all()] + [zone_b.pk]},
        "all_zones": {"all_zones": "on"},
    }[change]
    first, second = browser(iz_officer), browser(iz_officer)
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[iz_officer.pk])
    response = client.post(url, admin_form(iz_officer, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not signed_in(first)
    assert not signed_in(second)


def test_an_administrator_changing_only_personal_details_ends_nothing(client, administrator,
                                                                      iz_officer):
    session = browser(iz_officer)
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[iz_officer.pk])
    response = client.post(url, admin_form(iz_officer, full_name="Trần Thị Mới",
                                           phone="0912345678"))
    assert response.status_code == 302
    iz_officer.refresh_from_db()
    assert iz_officer.full_name == "Trần Thị Mới"
    assert signed_in(session)


@pytest.mark.parametrize("change", ["zone_added", "zone_removed", "zone_side", "staff",
                                    "superuser", "role"])
def test_any_path_that_changes_the_access_ends_the_sessions(iz_officer, zone_a, change):
    """Not only the admin: a command, an import or the shell too."""
    session = browser(iz_officer)
    user = User.objects.get(pk=iz_officer.pk)
    if change == "zone_added":
        user.zones.add(ZoneFactory(code="NEW"))
    elif change == "zone_removed":
        user.zones.remove(zone_a)
    elif change == "zone_side":
        ZoneFactory(code="NEW").accounts.add(user)
    elif change == "staff":
        User.objects.filter(pk=user.pk).update(is_staff=True)
    elif change == "superuser":
        # As an approved request does it (accounts.grants).
        with grants.permitted("test: approved"):
            User.objects.filter(pk=user.pk).update(is_superuser=True)
    else:
        user.role = User.Role.LEADER
        user.save()
    assert not signed_in(session)


def test_a_change_to_one_account_leaves_the_others_signed_in(pc_officer, pc_leader):
    officer, leader = browser(pc_officer), browser(pc_leader)
    pc_leader.role = User.Role.OFFICER
    pc_leader.save()
    assert not signed_in(leader)
    assert signed_in(officer)


def test_signing_in_again_after_a_promotion_asks_for_two_step(iz_leader, settings):
    """A read-only IZ leader made an officer: the old session ends, and the new
    one must set up two-step sign-in before anything else."""
    settings.MFA_REQUIRED = True
    session = browser(iz_leader)
    assert session.get("/enterprises/").status_code == 200
    User.objects.filter(pk=iz_leader.pk).update(role=User.Role.OFFICER)
    assert not signed_in(session)
    again = browser(iz_leader)
    response = again.get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_step_setup"))
