"""Failed sign-ins lock in three tiers (accounts.lockout), each with its own
limit, and count against the address the bundled proxy reports."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from accounts.lockout import client_ip

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
OFFICE = "203.0.113.10"


def attempt(client, username, password, ip=OFFICE, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip,
                       **headers)


def fail(client, username, ip=OFFICE, **headers):
    response = attempt(client, username, "wrong-password", ip, **headers)
    assert response.status_code in (200, 429)
    return response


def signs_in(client, username, password, ip=OFFICE, **headers) -> bool:
    response = attempt(client, username, password, ip, **headers)
    assert response.status_code in (200, 302, 429)
    if response.status_code == 302:
        client.post(reverse("accounts:logout"))
        return True
    return False


def test_the_three_tiers_and_their_limits_come_from_the_settings(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], ["username"],
                                                ["ip_address"]]
    assert settings.LOCKOUT_TIER_LIMITS == {("username", "ip_address"): 5, ("username",): 10,
                                            ("ip_address",): 20}
    assert settings.AXES_HANDLER == "accounts.lockout.TieredLockoutHandler"


def test_a_username_from_one_address_locks_at_the_fifth_failure(client, pc_officer, password):
    for _ in range(4):
        fail(client, "pc_officer")
    assert signs_in(client, "pc_officer", password)  # 4 failures: still open
    for _ in range(5):
        fail(client, "pc_officer")
    locked = attempt(client, "pc_officer", password)
    assert locked.status_code == 429
    # The same account from another machine is not locked by this tier.
    assert signs_in(client, "pc_officer", password, ip="198.51.100.7")


def test_one_account_guessed_from_many_addresses_locks_at_the_tenth(client, pc_officer,
                                                                      password):
    for n in range(9):
        fail(client, "pc_officer", ip=f"192.0.2.{n + 1}")
    assert signs_in(client, "pc_officer", password, ip="198.51.100.1")
    fail(client, "pc_officer", ip="192.0.2.10")
    # Ten failures from ten addresses: locked wherever the next attempt comes from,
    # even with the right password.
    assert attempt(client, "pc_officer", password, ip="198.51.100.2").status_code == 429
    assert attempt(client, "pc_officer", password, ip=OFFICE).status_code == 429


def test_one_address_trying_many_accounts_locks_at_the_twentieth(client, pc_officer,
                                                                   pc_leader, password):
    for n in range(19):
        fail(client, f"guess{n}")
    assert signs_in(client, "pc_leader", password)
    fail(client, "guess19")
    # Twenty failures from one address, one per account: locked for every account
    # from that address, not from elsewhere.
    assert attempt(client, "pc_officer", password).status_code == 429
    assert signs_in(client, "pc_officer", password, ip="198.51.100.3")


def test_the_lockout_page_is_shown_when_a_tier_locks(client, pc_officer):
    for n in range(19):
        fail(client, f"guess{n}")
    response = fail(client, "guess19")
    assert response.status_code == 429
    assert "15 phút" in response.content.decode()


def test_a_successful_sign_in_forgets_only_its_own_mistakes(client, pc_officer, pc_leader,
                                                             password):
    # Guesses at other accounts from the office, and at this account from elsewhere.
    for n in range(15):
        fail(client, f"guess{n}")
    for n in range(5):
        fail(client, "pc_officer", ip=f"192.0.2.{n + 1}")
    for _ in range(4):
        fail(client, "pc_officer")
    assert signs_in(client, "pc_officer", password)
    assert not AccessAttempt.objects.filter(username="pc_officer", ip_address=OFFICE).exists()
    assert AccessAttempt.objects.filter(username="pc_officer").count() == 5
    assert AccessAttempt.objects.filter(ip_address=OFFICE).count() == 15
    # The guesses still count: five more at this account from anywhere lock it...
    for n in range(5):
        fail(client, "pc_officer", ip=f"192.0.2.{n + 20}")
    assert attempt(client, "pc_officer", password, ip="198.51.100.9").status_code == 429
    # ...and five more at other accounts lock the office address.
    for n in range(4):
        fail(client, f"other{n}")
    assert signs_in(client, "pc_leader", password)
    fail(client, "other4")
    assert attempt(client, "pc_leader", password).status_code == 429


def test_the_limits_are_configurable(client, pc_officer, password, settings):
    settings.LOCKOUT_TIER_LIMITS = {("username", "ip_address"): 5, ("username",): 3,
                                    ("ip_address",): 20}
    for n in range(2):
        fail(client, "pc_officer", ip=f"192.0.2.{n + 1}")
    assert signs_in(client, "pc_officer", password, ip="198.51.100.1")
    fail(client, "pc_officer", ip="192.0.2.3")
    assert attempt(client, "pc_officer", password, ip="198.51.100.1").status_code == 429


# --- The client's address ---------------------------------------------------------------------


def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(client, pc_officer, password,
                                                                settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        fail(client, "pc_officer", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
    # A new forged address each time did not escape the username + address tier.
    assert attempt(client, "pc_officer", password,
                   HTTP_X_FORWARDED_FOR="10.9.9.99").status_code == 429


def test_behind_the_proxy_the_address_it_appended_counts(client, pc_officer, password,
                                                         settings):
    settings.TRUSTED_PROXY_COUNT = 1
    nginx = "172.18.0.5"
    for n in range(5):
        # What nginx passes on: what the client sent, then the address nginx saw.
        fail(client, "pc_officer", ip=nginx, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, {OFFICE}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
    assert attempt(client, "pc_officer", password, ip=nginx,
                   HTTP_X_FORWARDED_FOR=f"10.9.9.99, {OFFICE}").status_code == 429
    # Another machine behind the same nginx is another address.
    assert signs_in(client, "pc_officer", password, ip=nginx,
                    HTTP_X_FORWARDED_FOR="198.51.100.4")


@pytest.mark.parametrize("count, forwarded, expected", [
    (0, "6.6.6.6", "172.18.0.5"),
    (0, None, "172.18.0.5"),
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
    (1, "not-an-address, 203.0.113.9", "203.0.113.9"),
    (1, None, "172.18.0.5"),
    (1, "nonsense", "172.18.0.5"),
    (1, "2001:DB8::1", "2001:db8::1"),
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    (2, "203.0.113.9", "172.18.0.5"),
])
def test_client_address(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.5", **headers)
    assert client_ip(request) == expected
