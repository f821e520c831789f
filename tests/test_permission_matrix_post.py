"""The permission matrix for writes and for the Django admin.

``test_permission_matrix`` pins the answer of every URL to a GET, per role and
per side of the zone line. Here every URL also gets a POST (empty and with
the CSRF check on), and a POST may never be answered more generously than
the GET: a role refused on GET (403) is refused on POST (403, or 405 when the
URL takes no POST), an object out of scope stays 404, an anonymous request
goes to the sign-in page; and nothing is written by a refused POST.

The Django admin is walked too: every registered model's list and add page,
for every role.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import reverse

from .test_permission_matrix import (  # noqa: F401 - fixtures
    EXPECTED,
    ROLES,
    administrator,
    iz_leader,
    iz_officer,
    matrix_data,
    pc_leader,
    pc_officer,
    project_urls,
    url_for,
    world,
    zone_a,
    zone_b,
)

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "core", "enterprises", "coordination", "surveys", "reports", "api")


def _snapshot() -> dict:
    """Row counts of every table of the project, the change-history tables
    included (every change of a record with history adds a row there).

    One query for all of them (a count per model would be some 70 queries,
    twice for each of the table's 1,000-odd POSTs); every row of the table
    is counted, whatever a model's default manager would leave out."""
    tables = sorted({model._meta.db_table for app in OUR_APPS
                     for model in apps.get_app_config(app).get_models(include_auto_created=True)})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(
            f"SELECT %s, COUNT(*) FROM {quote(table)}" for table in tables), tables)
        return dict(cursor.fetchall())


def _post(client: Client, users: dict, role: str, url: str) -> int:
    client.logout()
    if role != "anon":
        client.force_login(users[role])
    response = client.post(url, {})
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return 302
    return response.status_code


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_post_is_never_answered_more_generously_than_a_get(world, name):  # noqa: F811
    pattern = project_urls()[name]
    client = Client(enforce_csrf_checks=False)
    for side, answers in EXPECTED[name].items():
        for role, got_on_get in zip(ROLES, answers, strict=True):
            if got_on_get not in (302, 403, 404) or (got_on_get == 302 and role != "anon"):
                continue
            url = url_for(name, pattern, world, side, role)
            before = _snapshot()
            got = _post(client, world["users"], role, url)
            allowed = {302: {302}, 403: {403, 405}, 404: {404, 405}}[got_on_get]
            assert got in allowed, (name, side, role, got_on_get, got)
            assert _snapshot() == before, (name, side, role, "a refused POST wrote")


@pytest.mark.parametrize("name", ["coordination:candidate_close", "enterprises:enterprise_update",
                                  "coordination:member_subject_file"])
def test_a_post_without_the_csrf_token_is_refused(world, name):  # noqa: F811
    pattern = project_urls()[name]
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["pc_officer"])
    before = _snapshot()
    response = client.post(url_for(name, pattern, world, "in", "pc_officer"), {})
    assert response.status_code == 403
    assert _snapshot() == before


# --- the Django admin ---------------------------------------------------------------------

# Models whose rows name people: only accounts that see personal data may open them.
PERSONAL = {"coordination.partymember", "coordination.admissioncandidate",
            "coordination.recognition", "coordination.recognitionvote"}


def _admin_pages():
    for model in admin.site._registry:
        opts = model._meta
        yield opts.label_lower, reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


@pytest.mark.parametrize(("label", "url"), sorted(_admin_pages()))
def test_the_admin_answers_by_the_policy(world, label, url):  # noqa: F811
    client = Client()
    # Nobody who is not staff gets in: to the admin's sign-in page.
    for role in ("anon", "pc_officer", "pc_leader", "iz_officer", "iz_leader"):
        client.logout()
        if role != "anon":
            client.force_login(world["users"][role])
        response = client.get(url)
        assert response.status_code == 302, (label, role)
        assert "/admin/login/" in response["Location"], (label, role)
    # The administrator (staff, no personal data) never opens a list of people.
    client.force_login(world["users"]["admin"])
    response = client.get(url)
    if label in PERSONAL:
        assert response.status_code == 403, label
    else:
        assert response.status_code in (200, 403), label
        if response.status_code == 200:
            content = response.content.decode()
            for key in ("member", "candidate"):
                person = world["objects"]["in"][key]
                assert person.citizen_id not in content, (label, key)


def test_an_export_file_goes_to_its_owner_only(world):  # noqa: F811
    """Each account has one finished enterprise export (built for every zone):
    another account's answers 404 whatever the role; the owner gets it while
    it may see that list (403: the administrator may not) and every zone in
    it (404: the IZ officer works on zone A only)."""
    users, own = world["users"], world["own"]
    mine = {"pc_officer": 200, "pc_leader": 200, "iz_officer": 404, "iz_leader": 200,
            "admin": 403}
    client = Client()
    for role, user in users.items():
        client.force_login(user)
        for owner in users:
            url = reverse("core:export_download", args=[own[owner]["export_job"].pk])
            got = client.post(url).status_code
            assert got == (mine[role] if owner == role else 404), (role, owner, got)
