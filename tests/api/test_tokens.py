"""API tokens: an account's role and zones, shown once, stored hashed, expiring,
revocable, last use recorded; every refusal a problem-details 401."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiToken
from tests.enterprises.factories import make_enterprise

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"


def _bearer(client, secret):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get(URL)


def test_only_the_hash_of_the_secret_is_kept(iz_officer, administrator):
    created = services.token_create(actor=administrator, account=iz_officer, name="BQL")
    token = ApiToken.objects.get()
    assert created.secret.startswith(f"kcn_{token.prefix}_")
    assert token.secret_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in str(ApiToken.objects.values().get())
    assert token.created_by == administrator
    assert token.expires_on == timezone.localdate() + timedelta(days=365)


def test_only_an_administrator_creates_or_revokes_a_token(iz_officer, pc_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.token_create(actor=pc_officer, account=iz_officer, name="BQL")
    token = services.token_create(actor=None, account=iz_officer, name="BQL").token
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=iz_officer, token=token)


def test_a_token_acts_as_its_account(api, zone_a, zone_b, iz_officer):
    inside = make_enterprise(zone_a, name="Công ty Trong Vùng")
    make_enterprise(zone_b, name="Công ty Ngoài Vùng")
    response = api.as_(iz_officer).get(URL)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [inside.pk]


@pytest.mark.parametrize("case", ["unknown", "revoked", "expired", "inactive", "malformed"])
def test_a_token_that_does_not_work_is_a_401_problem(api, iz_officer, administrator, case):
    created = services.token_create(actor=administrator, account=iz_officer, name="BQL",
                                    expires_on=timezone.localdate())
    secret = created.secret
    if case == "unknown":
        secret = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    elif case == "revoked":
        services.token_revoke(actor=administrator, token=created.token)
    elif case == "inactive":
        iz_officer.is_active = False
        iz_officer.save()
    elif case == "malformed":
        secret = "kcn_only-two-parts"
    if case == "expired":
        with time_machine.travel(timezone.now() + timedelta(days=1)):
            response = _bearer(api, secret)
    else:
        response = _bearer(api, secret)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    body = response.json()
    assert body["status"] == 401 and body["type"].endswith("/unauthenticated")


def test_the_expiry_day_itself_still_works(api, iz_officer):
    created = services.token_create(actor=None, account=iz_officer, name="BQL",
                                    expires_on=timezone.localdate())
    assert _bearer(api, created.secret).status_code == 200


def test_the_last_use_is_written_at_most_once_a_minute(api, iz_officer):
    created = services.token_create(actor=None, account=iz_officer, name="BQL")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _bearer(api, created.secret)
    created.token.refresh_from_db()
    assert created.token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        _bearer(api, created.secret)
    created.token.refresh_from_db()
    assert created.token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        _bearer(api, created.secret)
    created.token.refresh_from_db()
    assert created.token.last_used_at == start + timedelta(seconds=61)


def test_revoking_keeps_the_history(iz_officer, administrator):
    token = services.token_create(actor=administrator, account=iz_officer, name="BQL").token
    services.token_revoke(actor=administrator, token=token)
    first = ApiToken.objects.get().revoked_at
    services.token_revoke(actor=administrator, token=token)
    assert ApiToken.objects.get().revoked_at == first
    assert token.history.count() == 2


def test_the_admin_shows_the_secret_once_and_revokes(client, administrator, iz_officer):
    client.force_login(administrator)
    add = reverse("admin:api_apitoken_add")
    assert client.get(add).status_code == 200
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(add, {"account": iz_officer.pk, "name": "Hệ thống BQL",
                                 "expires_on": expires})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    body = response.content.decode()
    start = body.index('data-testid="api-token-secret"')
    secret = body[body.index(">", start) + 1:body.index("</code>", start)]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.secret_hash
    assert (token.account, token.name, token.created_by) == (iz_officer, "Hệ thống BQL",
                                                             administrator)
    # Never again: neither on the list nor on the token's page.
    for url in (reverse("admin:api_apitoken_changelist"),
                reverse("admin:api_apitoken_change", args=[token.pk])):
        page = client.get(url)
        assert page.status_code == 200 and secret not in page.content.decode()
    client.post(reverse("admin:api_apitoken_changelist"),
                {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_other_roles_cannot_open_the_tokens_admin(client, pc_officer):
    client.force_login(pc_officer)
    response = client.get(reverse("admin:api_apitoken_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
