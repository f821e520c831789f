"""The IZ Board's sync: enterprises upserted by tax code with dated workforce
records, by the Excel import's rules, all or nothing, idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from api.models import IdempotentAnswer
from core.models import PersonalDataAccess
from enterprises.models import Enterprise, WorkforceRecord
from tests.enterprises.factories import make_enterprise, make_workforce, valid_tax_code

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/sync/"


def item(n: int, zone: str = "AAA", **fields) -> dict:
    return {"tax_code": valid_tax_code(9000 + n), "name": f"Công ty TNHH Đồng bộ {n}",
            "zone": zone, "legal_form": "tnhh_1tv", "capital_source": "fdi", **fields}


def post(api, items, **headers):
    return api.post(URL, {"items": items}, format="json", **headers)


def test_new_enterprises_with_their_workforce(api, zone_a, iz_officer):
    items = [item(1, workforce=[{"as_of": "2026-06-30", "total_workers": 120,
                                 "female_workers": 70, "union_members": 100}]),
             item(2, zone="Khu công nghiệp An Bình", established_on="2020-05-01"),
             item(3, workforce=[{"as_of": "2025-12-31", "total_workers": 50},
                                {"as_of": "2026-06-30", "total_workers": 55}])]
    response = post(api.as_(iz_officer), items)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (3, 0, 0)
    first = Enterprise.objects.get(tax_code=items[0]["tax_code"])
    assert body["items"][0] == {"index": 0, "tax_code": first.tax_code, "id": first.pk,
                                "status": "new", "changes": []}
    assert (first.zone, first.legal_form, first.capital_source) == (zone_a, "tnhh_1tv", "fdi")
    record = first.workforce_records.get()
    assert (record.as_of, record.total_workers, record.female_workers, record.union_members,
            record.youth_union_members) == (date(2026, 6, 30), 120, 70, 100, None)
    assert Enterprise.objects.get(tax_code=items[1]["tax_code"]).established_on == date(2020, 5, 1)
    third = Enterprise.objects.get(tax_code=items[2]["tax_code"])
    assert list(third.workforce_records.order_by("as_of").values_list("as_of", "total_workers")) \
        == [(date(2025, 12, 31), 50), (date(2026, 6, 30), 55)]
    # The change history names the token's account.
    assert first.history.get().history_user == iz_officer


def test_the_same_request_again_changes_nothing_then_updates(api, zone_a, iz_officer):
    items = [item(1, workforce=[{"as_of": "2026-06-30", "total_workers": 120}])]
    post(api.as_(iz_officer), items)
    again = post(api, items).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert WorkforceRecord.objects.count() == 1
    changed = [item(1, name="Công ty TNHH Đồng bộ Mới",
                    workforce=[{"as_of": "2026-12-31", "total_workers": 130}])]
    body = post(api, changed).json()
    assert (body["created"], body["updated"], body["items"][0]["status"]) == (0, 1, "updated")
    enterprise = Enterprise.objects.get()
    assert enterprise.name == "Công ty TNHH Đồng bộ Mới"
    assert enterprise.workforce_records.count() == 2


def test_an_absent_field_changes_nothing(api, zone_a, iz_officer):
    post(api.as_(iz_officer), [item(1, sector="Dệt may", phone="0228 3000000")])
    post(api, [item(1)])
    enterprise = Enterprise.objects.get()
    assert (enterprise.sector, enterprise.phone) == ("Dệt may", "0228 3000000")


def test_all_or_nothing_and_every_error_named_by_item_and_field(api, zone_a, iz_officer):
    items = [item(1), item(2, tax_code="0101234567"),
             item(3, workforce=[{"as_of": "2026-06-30", "total_workers": 10},
                                {"as_of": "2026-09-30", "total_workers": 10,
                                 "female_workers": 11}]),
             item(4, zone="ZZZ"), item(1)]
    response = post(api.as_(iz_officer), items)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    errors = {entry["index"]: [(e["field"], e["message"]) for e in entry["errors"]]
              for entry in body["items"]}
    assert errors == {
        1: [("tax_code", "Mã số thuế 0101234567 sai chữ số kiểm tra.")],
        2: [("workforce[1].female_workers", "Số lao động nữ không được lớn hơn tổng số lao động.")],
        3: [("zone", "Không có khu công nghiệp 'ZZZ' (ghi mã hoặc tên khu).")],
        4: [("tax_code", "Trùng mã số thuế với dòng 0.")],
    }
    assert not Enterprise.objects.exists()


def test_errors_in_english_with_accept_language(api, zone_a, iz_officer):
    response = post(api.as_(iz_officer), [item(1, tax_code="0101234567")],
                    HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 422
    assert response["Content-Language"] == "en"
    assert response.json()["items"][0]["errors"] == [
        {"field": "tax_code", "message": "Tax code 0101234567 has a wrong check digit."}]
    assert response.json()["title"] == "Some items were refused; nothing was written."


def test_a_malformed_body_is_a_400_naming_the_fields(api, iz_officer):
    response = post(api.as_(iz_officer), [{"tax_code": "0600000000", "legal_form": "x",
                                           "workforce": [{"total_workers": -1}]}])
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"items[0].name", "items[0].zone", "items[0].legal_form",
                      "items[0].capital_source", "items[0].workforce[0].as_of",
                      "items[0].workforce[0].total_workers"}


def test_another_zone_is_refused_and_an_existing_one_is_not_revealed(
        api, zone_a, zone_b, iz_officer):
    elsewhere = make_enterprise(zone_b, name="Công ty Vùng Khác")
    response = post(api.as_(iz_officer), [
        item(1, zone="BBB"),
        item(2, tax_code=elsewhere.tax_code)])
    assert response.status_code == 422
    errors = {entry["index"]: entry["errors"] for entry in response.json()["items"]}
    assert errors[0] == [{"field": "zone", "message":
                          "Khu công nghiệp BBB nằm ngoài phạm vi được phân công cho "
                          "tài khoản."}]
    # The neutral refusal: nothing says where the enterprise is.
    assert errors[1][0]["field"] == "tax_code"
    assert "BBB" not in errors[1][0]["message"] and elsewhere.name not in str(errors)
    assert PersonalDataAccess.objects.filter(action="refused", user=iz_officer).count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Công ty Vùng Khác"


def test_only_accounts_that_import_may_sync(api, zone_a, iz_leader, pc_leader):
    for user in (iz_leader, pc_leader):
        response = post(api.as_(user), [item(1)])
        assert response.status_code == 403
        assert response.json()["type"].endswith("/forbidden")
    assert not Enterprise.objects.exists()


def test_the_same_key_and_body_gets_the_same_answer_and_writes_once(api, zone_a, iz_officer):
    items = [item(1, workforce=[{"as_of": "2026-06-30", "total_workers": 120}])]
    first = post(api.as_(iz_officer), items, HTTP_IDEMPOTENCY_KEY="sync-2026-12-01")
    assert first.status_code == 200
    history = Enterprise.history.count()
    # Meanwhile someone renames it: replaying the key must not undo that.
    Enterprise.objects.update(name="Đổi tên")
    second = post(api, items, HTTP_IDEMPOTENCY_KEY="sync-2026-12-01")
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Enterprise.history.count() == history
    assert Enterprise.objects.get().name == "Đổi tên"
    other = post(api, [item(2)], HTTP_IDEMPOTENCY_KEY="sync-2026-12-01")
    assert other.status_code == 409
    assert other.json()["type"].endswith("/conflict")
    assert Enterprise.objects.count() == 1


def test_a_refused_request_is_replayed_as_refused(api, zone_a, iz_officer):
    items = [item(1, zone="ZZZ")]
    first = post(api.as_(iz_officer), items, HTTP_IDEMPOTENCY_KEY="k1")
    second = post(api, items, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == second.status_code == 422
    assert second["Content-Type"] == "application/problem+json"
    assert second.json() == first.json()


def test_a_key_is_kept_24_hours_and_per_account(api, zone_a, iz_officer, pc_officer):
    post(api.as_(iz_officer), [item(1)], HTTP_IDEMPOTENCY_KEY="k")
    # Another account's same key is its own.
    assert post(api.as_(pc_officer), [item(2)], HTTP_IDEMPOTENCY_KEY="k").status_code == 200
    IdempotentAnswer.objects.filter(account=iz_officer).update(
        created_at=timezone.now() - timedelta(hours=25))
    response = post(api.as_(iz_officer), [item(3)], HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 200 and response.json()["created"] == 1


def test_a_dry_run_writes_nothing(api, zone_a, iz_officer):
    response = api.as_(iz_officer).post(URL + "?dry_run=true", {"items": [item(1)]},
                                        format="json")
    assert response.status_code == 200 and response.json()["created"] == 1
    assert not Enterprise.objects.exists()


@override_settings(API_MAX_ITEMS=2)
def test_items_per_request_are_limited(api, zone_a, iz_officer):
    response = post(api.as_(iz_officer), [item(1), item(2), item(3)])
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "items",
                                          "message": "Tối đa 2 mục mỗi yêu cầu."}]


@override_settings(API_MAX_BODY_BYTES=200)
def test_a_body_too_large_is_a_413(api, zone_a, iz_officer):
    response = post(api.as_(iz_officer), [item(1), item(2)])
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_that_is_not_json_is_a_415(api, iz_officer):
    response = api.as_(iz_officer).post(URL, "tax_code=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["status"] == 415


def test_workforce_figures_make_the_enterprise_new_to_the_incremental_sync(
        api, zone_a, iz_officer):
    enterprise = make_enterprise(zone_a, name="Công ty Cũ")
    Enterprise.objects.update(updated_at=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    client = api.as_(iz_officer)
    assert client.get("/api/v1/enterprises/", {"updated_since": since}).json()["results"] == []
    make_workforce(enterprise, 200, as_of=date(2026, 6, 30))
    rows = client.get("/api/v1/enterprises/", {"updated_since": since}).json()["results"]
    assert [(r["id"], r["current_workforce"]["total_workers"]) for r in rows] == [
        (enterprise.pk, 200)]
