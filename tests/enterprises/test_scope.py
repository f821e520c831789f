"""Who may open which registry URL: every role × every URL, htmx included.

DESIGN §1: anonymous → login page; no permission → 403; an object outside
the account's zones → 404 (never disclosed), for reads and writes alike.
A refused write changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, MassOrganization, PartyOrganization, WorkforceRecord
from tests.conftest import make_zone_a, make_zone_b, module_data

from .factories import make_enterprise, make_massorg, make_partyorg

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "pc_officer", "pc_leader", "iz_officer", "iz_leader", "administrator")


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: str  # a url name; its arguments come from the ``world`` fixture
    args: tuple = ()
    data: dict = field(default_factory=dict)
    htmx: bool = False
    query: dict = field(default_factory=dict)
    # Expected status per role, in the order of ROLES.
    expected: tuple = ()


WORKFORCE = {"workforce-as_of": "01/06/2025", "workforce-total_workers": "120"}
MASSORG = {"massorg-kind": "women", "massorg-established_on": "08/03/2020"}
DISSOLVE = {"dissolved_on": "30/06/2025"}
PARTYORG = {"name": "Chi bộ Mới", "kind": "chi_bo_co_so", "enterprise": "ent_a",
            "established_on": "03/02/2024"}

#                 anonymous  pc_off  pc_lead  iz_off  iz_lead  admin
READ = (302, 200, 200, 200, 200, 403)
READ_OUT = (302, 200, 200, 404, 200, 403)
EDIT_GET = (302, 200, 403, 200, 403, 403)
EDIT_GET_OUT = (302, 200, 403, 404, 403, 403)
EDIT_POST = (302, 302, 403, 302, 403, 403)
EDIT_POST_OUT = (302, 302, 403, 404, 403, 403)
HTMX_POST = (302, 200, 403, 200, 403, 403)
HTMX_POST_OUT = (302, 200, 403, 404, 403, 403)
PARTY_GET = (302, 200, 403, 403, 403, 403)
PARTY_POST = (302, 302, 403, 403, 403, 403)

CASES = [
    Case("list", "get", "enterprises:enterprise_list", expected=READ),
    Case("list htmx", "get", "enterprises:enterprise_list", htmx=True, expected=READ),
    Case("zones", "get", "enterprises:zone_list", expected=READ),
    Case("detail in scope", "get", "enterprises:enterprise_detail", ("ent_a",), expected=READ),
    Case("detail out of scope", "get", "enterprises:enterprise_detail", ("ent_b",),
         expected=READ_OUT),
    Case("detail unknown", "get", "enterprises:enterprise_detail", (999999,),
         expected=(302, 404, 404, 404, 404, 403)),
    Case("create form", "get", "enterprises:enterprise_create", expected=EDIT_GET),
    Case("update form", "get", "enterprises:enterprise_update", ("ent_a",), expected=EDIT_GET),
    Case("update form out of scope", "get", "enterprises:enterprise_update", ("ent_b",),
         expected=EDIT_GET_OUT),
    Case("update post out of scope", "post", "enterprises:enterprise_update", ("ent_b",),
         data={"name": "Đổi tên"}, expected=(302, 200, 403, 404, 403, 403)),
    Case("workforce post", "post", "enterprises:workforce_create", ("ent_a",), WORKFORCE,
         expected=EDIT_POST),
    Case("workforce post out of scope", "post", "enterprises:workforce_create", ("ent_b",),
         WORKFORCE, expected=EDIT_POST_OUT),
    Case("workforce htmx", "post", "enterprises:workforce_create", ("ent_a",), WORKFORCE,
         htmx=True, expected=HTMX_POST),
    Case("workforce htmx out of scope", "post", "enterprises:workforce_create", ("ent_b",),
         WORKFORCE, htmx=True, expected=HTMX_POST_OUT),
    Case("workforce get", "get", "enterprises:workforce_create", ("ent_a",),
         expected=(302, 405, 403, 405, 403, 403)),
    Case("mass org post", "post", "enterprises:massorg_create", ("ent_a",), MASSORG,
         expected=EDIT_POST),
    Case("mass org htmx", "post", "enterprises:massorg_create", ("ent_a",), MASSORG, htmx=True,
         expected=HTMX_POST),
    Case("mass org htmx out of scope", "post", "enterprises:massorg_create", ("ent_b",),
         MASSORG, htmx=True, expected=HTMX_POST_OUT),
    Case("mass org dissolve", "post", "enterprises:massorg_dissolve", ("ent_a", "union_a"),
         DISSOLVE, expected=EDIT_POST),
    Case("mass org dissolve out of scope", "post", "enterprises:massorg_dissolve",
         ("ent_b", "union_b"), DISSOLVE, htmx=True, expected=HTMX_POST_OUT),
    Case("export", "post", "enterprises:enterprise_export", expected=READ),
    Case("party org list", "get", "enterprises:partyorg_list", expected=READ),
    Case("party org detail in scope", "get", "enterprises:partyorg_detail", ("org_a",),
         expected=READ),
    Case("party org detail out of scope", "get", "enterprises:partyorg_detail", ("org_b",),
         expected=READ_OUT),
    Case("party org create form", "get", "enterprises:partyorg_create", expected=PARTY_GET),
    Case("party org create for an enterprise out of scope", "get",
         "enterprises:partyorg_create", query={"enterprise": "ent_b"},
         expected=PARTY_GET),
    Case("party org create", "post", "enterprises:partyorg_create", data=PARTYORG,
         expected=PARTY_POST),
    Case("party org update form", "get", "enterprises:partyorg_update", ("org_a",),
         expected=PARTY_GET),
    Case("party org update", "post", "enterprises:partyorg_update", ("org_a",),
         data={**PARTYORG, "name": "Chi bộ Đổi tên"}, expected=PARTY_POST),
    Case("party org dissolve", "post", "enterprises:partyorg_dissolve", ("org_a",), DISSOLVE,
         expected=PARTY_POST),
]


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The world of the table's requests, written once for the module rather
    than for each (a test's writes are rolled back after it: tests/conftest.py's
    module_data)."""
    with module_data(django_db_blocker):
        zone_a, zone_b = make_zone_a(), make_zone_b()
        yield {"zone_a": zone_a, "zone_b": zone_b, "world": _build_world(zone_a, zone_b)}


@pytest.fixture
def zone_a(shared_world, db):
    return shared_world["zone_a"]


@pytest.fixture
def zone_b(shared_world, db):
    return shared_world["zone_b"]


@pytest.fixture
def world(shared_world, db):
    return shared_world["world"]


def _build_world(zone_a, zone_b):
    ent_a = make_enterprise(zone_a, name="Công ty Khu A")
    ent_b = make_enterprise(zone_b, name="Công ty Khu B")
    return {
        "ent_a": ent_a,
        "ent_b": ent_b,
        "union_a": make_massorg(ent_a, established_on=date(2015, 1, 1)),
        "union_b": make_massorg(ent_b, established_on=date(2015, 1, 1)),
        "org_a": make_partyorg("Chi bộ Công ty Khu A", enterprise=ent_a),
        "org_b": make_partyorg("Chi bộ Công ty Khu B", enterprise=ent_b),
    }


def _resolve(value, world):
    if isinstance(value, str) and value in world:
        return world[value].pk
    return value


def _counts():
    return tuple(model.objects.count() for model in (Enterprise, WorkforceRecord,
                                                     MassOrganization, PartyOrganization))


def _snapshot():
    return (
        _counts(),
        list(Enterprise.objects.order_by("pk").values_list("name", "zone")),
        list(PartyOrganization.objects.order_by("pk").values_list("name", "dissolved_on")),
        list(MassOrganization.objects.order_by("pk").values_list("kind", "dissolved_on")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_access(request, client, world, case, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse(case.url, args=[_resolve(arg, world) for arg in case.args])
    query = {key: _resolve(value, world) for key, value in case.query.items()}
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    data = {key: _resolve(value, world) for key, value in case.data.items()}
    headers = {"HX-Request": "true"} if case.htmx else {}
    before = _snapshot()

    response = getattr(client, case.method)(url, data, headers=headers)

    expected = case.expected[ROLES.index(role)]
    if role == "anonymous" and case.htmx and expected == 302:
        # An htmx request sends the whole page to the login form.
        assert response.status_code == 204, (case.name, response.status_code)
        assert response["HX-Redirect"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, (case.name, role, response.status_code)
    if expected == 302 and role == "anonymous" and not case.htmx:
        assert response["Location"].startswith(reverse("accounts:login"))
    if role == "anonymous" or expected in (403, 404, 405):
        assert _snapshot() == before, "a refused request changed something"
    if case.method == "post" and expected in (200, 302) and role != "anonymous" \
            and case.name not in ("update post out of scope", "export"):
        assert _snapshot() != before, "an allowed write changed nothing"
    if case.name == "export":  # a POST only so that no other site can log one
        assert _snapshot() == before, "an export changed the registry"


def test_every_registry_url_is_covered():
    """A new URL of the app must be added to the table above."""
    from enterprises.urls import urlpatterns

    covered = {case.url.split(":")[1] for case in CASES}
    assert {pattern.name for pattern in urlpatterns} <= covered


@pytest.mark.parametrize(("role", "sees_zone_b"),
                         [("iz_officer", False), ("iz_leader", True), ("pc_officer", True)])
def test_lists_show_only_what_is_in_scope(request, client, world, zone_b, role, sees_zone_b):
    client.force_login(request.getfixturevalue(role))
    pages = {
        reverse("enterprises:enterprise_list"): "Công ty Khu B",
        reverse("enterprises:zone_list"): zone_b.name,
        reverse("enterprises:partyorg_list"): "Chi bộ Công ty Khu B",
    }
    for url, text in pages.items():
        assert (text in client.get(url).content.decode()) is sees_zone_b, url
