"""Reads: the account's scope as on the pages (404 outside it), personal data
only for the roles that see it, masked in lists, every read of a person logged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from coordination.models import CoordinationPlan, mask_citizen_id
from core.models import PersonalDataAccess
from enterprises.models import Enterprise
from reports.models import Report
from tests.coordination.factories import approve, make_candidate, make_member, make_plan
from tests.enterprises.factories import make_enterprise, make_workforce

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(zone_a, zone_b):
    fdi = make_enterprise(zone_a, name="Công ty Vốn Ngoại", capital_source="fdi",
                          established_on=date(2020, 1, 1))
    local = make_enterprise(zone_a, name="Công ty Trong Nước", capital_source="nha_nuoc",
                            established_on=date(2020, 1, 1))
    other = make_enterprise(zone_b, name="Công ty Vùng B", capital_source="fdi",
                            established_on=date(2020, 1, 1))
    make_workforce(fdi, 300, as_of=date(2025, 6, 30), female_workers=200)
    make_workforce(fdi, 320, as_of=date(2025, 12, 31), female_workers=210)
    return {"fdi": fdi, "local": local, "other": other}


def test_an_enterprise_with_its_current_workforce(api, registry, iz_officer):
    fdi = registry["fdi"]
    body = api.as_(iz_officer).get(f"/api/v1/enterprises/{fdi.pk}/").json()
    assert body["tax_code"] == fdi.tax_code and body["zone_code"] == "AAA"
    assert body["current_workforce"] == {"as_of": "2025-12-31", "total_workers": 320,
                                         "female_workers": 210, "union_members": None,
                                         "youth_union_members": None}
    local = api.get(f"/api/v1/enterprises/{registry['local'].pk}/").json()
    assert local["current_workforce"] is None


def test_outside_the_zones_is_404_and_lists_leave_it_out(api, registry, iz_officer):
    client = api.as_(iz_officer)
    response = client.get(f"/api/v1/enterprises/{registry['other'].pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    ids = {row["id"] for row in client.get("/api/v1/enterprises/").json()["results"]}
    assert ids == {registry["fdi"].pk, registry["local"].pk}
    # Asking for the other zone by filter gives nothing either.
    zone_b = registry["other"].zone_id
    assert client.get("/api/v1/enterprises/", {"zone": zone_b}).json()["results"] == []


def test_pages_follow_a_stable_order_and_incremental_sync(api, registry, pc_officer):
    client = api.as_(pc_officer)
    Enterprise.objects.filter(pk=registry["other"].pk).update(
        updated_at=timezone.now() - timedelta(days=2))
    Enterprise.objects.filter(pk=registry["local"].pk).update(
        updated_at=timezone.now() - timedelta(days=1))
    first = client.get("/api/v1/enterprises/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    order = [row["id"] for row in first["results"] + second["results"]]
    assert order == [registry["other"].pk, registry["local"].pk, registry["fdi"].pk]
    assert second["next"] is None
    since = first["results"][1]["updated_at"]
    rows = client.get("/api/v1/enterprises/", {"updated_since": since}).json()["results"]
    assert [row["id"] for row in rows] == [registry["local"].pk, registry["fdi"].pk]


def test_the_iz_board_never_reads_personal_data(api, registry, iz_officer, iz_leader):
    member = make_member(registry["fdi"])
    candidate = make_candidate(registry["fdi"])
    for user in (iz_officer, iz_leader):
        client = api.as_(user)
        for url in ("/api/v1/members/", f"/api/v1/members/{member.pk}/",
                    "/api/v1/candidates/", f"/api/v1/candidates/{candidate.pk}/"):
            response = client.get(url)
            assert response.status_code == 403, (user, url)
            assert member.citizen_id not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_members_masked_in_lists_whole_on_their_record_and_logged(api, registry, pc_leader):
    member = make_member(registry["fdi"], family_name="Vừ", middle_name="Mí", given_name="Chứ")
    client = api.as_(pc_leader)
    rows = client.get("/api/v1/members/", {"zone": registry["fdi"].zone_id}).json()["results"]
    assert [(r["full_name"], r["citizen_id"]) for r in rows] == [
        ("Vừ Mí Chứ", mask_citizen_id(member.citizen_id))]
    assert rows[0]["status"] == "probationary"
    one = client.get(f"/api/v1/members/{member.pk}/").json()
    assert one["citizen_id"] == member.citizen_id
    logs = list(PersonalDataAccess.objects.order_by("pk").values_list(
        "user", "action", "record_type", "record_id", "detail"))
    assert logs == [
        (pc_leader.pk, "list", "coordination.partymember", None,
         f"api member zone={registry['fdi'].zone_id}"),
        (pc_leader.pk, "view", "coordination.partymember", member.pk, "api member")]


def test_candidates_are_logged_too(api, registry, pc_officer):
    candidate = make_candidate(registry["local"])
    client = api.as_(pc_officer)
    rows = client.get("/api/v1/candidates/").json()["results"]
    assert [r["citizen_id"] for r in rows] == [mask_citizen_id(candidate.citizen_id)]
    assert client.get(f"/api/v1/candidates/{candidate.pk}/").json()["citizen_id"] \
        == candidate.citizen_id
    assert list(PersonalDataAccess.objects.order_by("pk").values_list("action", "record_id")) \
        == [("list", None), ("view", candidate.pk)]


def test_an_empty_list_names_no_one_and_is_not_logged(api, pc_officer):
    assert api.as_(pc_officer).get("/api/v1/members/").json()["results"] == []
    assert not PersonalDataAccess.objects.exists()


def test_indicators_of_the_account_and_of_a_zone(api, registry, iz_officer, pc_officer,
                                                 zone_a, zone_b):
    def values(client, **query):
        body = client.get("/api/v1/indicators/", {"period": "2025", **query}).json()
        return {v["code"]: v["value"] for v in body["values"]}

    iz = values(api.as_(iz_officer))
    # Zone A: two enterprises operating at the end of 2025, one of them FDI.
    assert (iz["enterprises"], iz["enterprises_foreign"]) == (2, 1)
    pc = api.as_(pc_officer)
    assert (values(pc)["enterprises"], values(pc)["enterprises_foreign"]) == (3, 2)
    assert values(pc, zone=zone_b.pk)["enterprises"] == 1
    body = pc.get("/api/v1/indicators/", {"period": "2025-Q4"}).json()
    assert (body["period"], body["start"], body["end"]) == ("2025-Q4", "2025-10-01",
                                                            "2025-12-31")
    assert body["values"][0] == {"code": "enterprises", "label": "Tổng số doanh nghiệp",
                                 "kind": "stock", "value": 3}
    # Zone B is outside the IZ officer's zones.
    assert api.as_(iz_officer).get("/api/v1/indicators/",
                                   {"period": "2025", "zone": zone_b.pk}).status_code == 404
    pc = api.as_(pc_officer)
    zones = pc.get("/api/v1/indicators/", {"period": "2025", "by_zone": "true"}).json()
    per_zone = {z["zone"]: {v["code"]: v["value"] for v in z["values"]} for z in zones["by_zone"]}
    assert {zone: figures["enterprises"] for zone, figures in per_zone.items()} == {
        zone_a.pk: 2, zone_b.pk: 1}
    iz_zones = api.as_(iz_officer).get("/api/v1/indicators/",
                                       {"period": "2025", "by_zone": "1"}).json()["by_zone"]
    assert [z["zone"] for z in iz_zones] == [zone_a.pk]
    wrong = pc.get("/api/v1/indicators/", {"period": "2025-Q5"})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "period"


def test_plans_with_computed_actuals_and_no_drafts_for_the_iz_board(
        api, registry, pc_officer, pc_leader, iz_officer):
    plan = make_plan(2025, targets=[("enterprises", None, 10)])
    approve(plan, pc_leader)
    draft = make_plan(2026)
    pc_ids = [p["id"] for p in api.as_(pc_officer).get("/api/v1/plans/").json()["results"]]
    assert pc_ids == [plan.pk, draft.pk]
    body = api.as_(iz_officer).get("/api/v1/plans/").json()["results"]
    assert [p["id"] for p in body] == [plan.pk]
    target = body[0]["targets"][0]
    # The whole of 2025 has passed: 3 enterprises operate, against a target of 10.
    assert (target["indicator"], target["zone"], target["target_value"], target["actual"],
            target["state"]) == ("enterprises", None, 10, 3, "missed")
    assert api.get(f"/api/v1/plans/{draft.pk}/").status_code == 404
    assert CoordinationPlan.objects.count() == 2


def test_reports_metadata_and_download(api, zone_a, zone_b, iz_officer, pc_officer):
    def report(zone, personal):
        return Report.objects.create(
            kind=Report.Kind.ON_DEMAND, period="2025", zone=zone, personal=personal,
            status=Report.Status.READY, generated_at=timezone.now(),
            file=ContentFile(b"PK\x03\x04 workbook", name="r.xlsx"), size=13)

    mine, elsewhere, personal = report(zone_a, False), report(zone_b, False), report(None, True)
    client = api.as_(iz_officer)
    assert [r["id"] for r in client.get("/api/v1/reports/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/reports/{elsewhere.pk}/").status_code == 404
    row = client.get(f"/api/v1/reports/{mine.pk}/").json()
    assert row["download"] == f"/api/v1/reports/{mine.pk}/download/"
    download = client.post(row["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"PK\x03\x04 workbook"
    assert client.post(f"/api/v1/reports/{personal.pk}/download/").status_code == 404
    assert not PersonalDataAccess.objects.exists()
    pc = api.as_(pc_officer)
    assert pc.post(f"/api/v1/reports/{personal.pk}/download/").status_code == 200
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.record_id) == (pc_officer, "export", personal.pk)
