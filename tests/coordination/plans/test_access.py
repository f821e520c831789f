"""Committee and plan pages: who may open each one, as anonymous and as every
role, objects of other zones and drafts included.

The plans, tasks, committees and accounts the table asks about are written
once for the module (tests/conftest.py's module_data); each test's requests,
the POSTs among them, are rolled back after it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from coordination.models import PlanTask
from tests.conftest import make_role_users, make_zone_a, make_zone_b, module_data

from .conftest import make_committees, make_plan_data

pytestmark = pytest.mark.django_db

Status = PlanTask.Status
ROLES = ("pc_officer", "pc_leader", "iz_officer", "iz_leader", "administrator")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="module")
def table_data(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        zone_a, zone_b = make_zone_a(), make_zone_b()
        roles = make_role_users(zone_a)
        plan_data = make_plan_data(roles["pc_officer"], roles["pc_leader"], roles["iz_officer"],
                                   zone_a, zone_b)
        yield {"roles": roles, "data": {**plan_data, "committees": make_committees()}}


@pytest.fixture
def roles(table_data, db):
    return table_data["roles"]


@pytest.fixture
def data(table_data, db):
    return table_data["data"]


OK, REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404
PC_ONLY = {"pc_officer": OK, "pc_leader": FORBIDDEN, "iz_officer": FORBIDDEN,
           "iz_leader": FORBIDDEN, "administrator": FORBIDDEN}
EVERYONE = {"pc_officer": OK, "pc_leader": OK, "iz_officer": OK, "iz_leader": OK,
            "administrator": FORBIDDEN}
PC_SEES = {**EVERYONE, "iz_officer": MISSING, "iz_leader": MISSING}


def _target(data, zone=None):
    return data["draft"].targets.get()


# (name, method, how to get the URL's argument from plan_data, expected per role)
CASES = [
    ("plan_list", "get", None, EVERYONE),
    ("plan_detail", "get", lambda d: d["current"].pk, EVERYONE),
    ("plan_detail", "get", lambda d: d["past"].pk, EVERYONE),
    ("plan_detail", "get", lambda d: d["draft"].pk, PC_SEES),
    ("plan_create", "get", None, PC_ONLY),
    ("plan_update", "get", lambda d: d["draft"].pk, PC_ONLY),
    ("plan_approve", "post", lambda d: d["draft"].pk,
     {**PC_ONLY, "pc_officer": FORBIDDEN, "pc_leader": REDIRECT}),
    ("plan_close", "post", lambda d: d["current"].pk,
     {**PC_ONLY, "pc_officer": FORBIDDEN, "pc_leader": REDIRECT}),
    ("plan_copy", "post", lambda d: d["draft"].pk, {**PC_ONLY, "pc_officer": REDIRECT}),
    ("target_create", "get", lambda d: d["draft"].pk, PC_ONLY),
    ("target_update", "get", lambda d: _target(d).pk, PC_ONLY),
    ("target_delete", "post", lambda d: _target(d).pk, {**PC_ONLY, "pc_officer": REDIRECT}),
    ("task_create", "get", lambda d: d["current"].pk, PC_ONLY),
    ("task_list", "get", None, EVERYONE),
    ("task_detail", "get", lambda d: d["tasks"]["pc"].pk, EVERYONE),
    ("task_detail", "get", lambda d: d["draft"].tasks.get().pk, PC_SEES),
    ("task_update", "get", lambda d: d["tasks"]["iz"].pk, PC_ONLY),
    ("task_delete", "post", lambda d: d["draft"].tasks.get().pk,
     {**PC_ONLY, "pc_officer": REDIRECT}),
    # Progress: IZ officers work the IZ Board's tasks, and only those.
    ("task_progress", "post", lambda d: d["tasks"]["iz"].pk,
     {**PC_ONLY, "pc_officer": REDIRECT, "iz_officer": REDIRECT}),
    ("task_progress", "post", lambda d: d["tasks"]["both"].pk,
     {**PC_ONLY, "pc_officer": REDIRECT, "iz_officer": REDIRECT}),
    ("task_progress", "post", lambda d: d["tasks"]["pc"].pk,
     {**PC_ONLY, "pc_officer": REDIRECT, "iz_officer": MISSING}),
    ("task_progress", "post", lambda d: d["draft"].tasks.get().pk,
     {**PC_ONLY, "pc_officer": REDIRECT, "iz_officer": MISSING}),
    ("committee_list", "get", None, EVERYONE),
    ("committee_detail", "get", lambda d: d["committees"]["current"].pk, EVERYONE),
    ("committee_create", "get", None, PC_ONLY),
    ("committee_update", "get", lambda d: d["committees"]["past"].pk, PC_ONLY),
]


def _url(name, arg, data):
    return reverse(f"coordination:{name}", args=[arg(data)] if arg else [])


@pytest.mark.parametrize(("name", "method", "arg", "expected"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_access_per_role(client, roles, data, name, method, arg, expected):
    url = _url(name, arg, data)
    body = {"status": Status.IN_PROGRESS, "result": "Đang làm"} if name == "task_progress" \
        else {}
    response = getattr(client, method)(url, body)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"], \
        "anonymous"
    for role in ROLES:
        client.force_login(roles[role])
        response = getattr(client, method)(url, body)
        assert response.status_code == expected[role], (role, response.status_code)
        if response.status_code == REDIRECT:
            assert "/accounts/login/" not in response["Location"]
        client.logout()
