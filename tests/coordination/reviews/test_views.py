"""The reviews' pages: the period chosen four ways on the form, finishing
and downloading through the web, what each role sees (individual
commendations only with personal-data access, logged), the regulation's
section, and query counts that do not grow with the data."""

from __future__ import annotations

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.reviews import services
from coordination.reviews.models import Review
from core.models import PersonalDataAccess
from tests.coordination.factories import make_member
from tests.enterprises.factories import EnterpriseFactory

from .conftest import review_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def _as(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return _as


def by_testid(response, name) -> list:
    return lxml.html.fromstring(response.content.decode()).xpath(f'//*[@data-testid="{name}"]')


def form_data(regulation, **fields) -> dict:
    data = {"kind": "interim", "regulation": regulation.pk, "subject": "", "number": "",
            "place": "Nam Định", "dated": "", "joint": "on",
            "signer_on_behalf": "T/M BAN THƯỜNG VỤ", "signer_title": "", "signer_name": "",
            "iz_signer_on_behalf": "", "iz_signer_title": "", "iz_signer_name": "",
            "recipients": "", "situation": "", "results": "", "shortcomings": "",
            "lessons": "", "next_tasks": "", "proposals": "", "period_mode": "regulation_year",
            "regulation_year": "1", "since_end": "", "calendar_period": "", "span_start": "",
            "span_end": ""}
    data.update(fields)
    return data


@pytest.mark.parametrize(("fields", "start", "end", "subject"), [
    ({}, "2025-09-24", "2026-09-23",
     "Sơ kết một năm thực hiện Quy chế phối hợp số 01-QC/ĐUK-BQL"),
    ({"regulation_year": "2", "kind": "final"}, "2026-09-24", "2027-09-23",
     "Tổng kết hai năm thực hiện Quy chế phối hợp số 01-QC/ĐUK-BQL"),
    ({"period_mode": "since_signing", "since_end": "30/11/2026"}, "2025-09-24", "2026-11-30",
     "Sơ kết thực hiện Quy chế phối hợp số 01-QC/ĐUK-BQL (từ 24/09/2025 đến 30/11/2026)"),
    ({"period_mode": "since_signing"}, "2025-09-24", "2026-12-07", None),
    ({"period_mode": "calendar", "calendar_period": "2026-h1"}, "2026-01-01", "2026-06-30",
     "Sơ kết thực hiện Quy chế phối hợp số 01-QC/ĐUK-BQL 6 tháng đầu năm 2026"),
    ({"period_mode": "span", "span_start": "01/10/2025", "span_end": "31/03/2026"},
     "2025-10-01", "2026-03-31", None),
])
def test_the_period_is_chosen_four_ways(as_user, regulation, pc_officer, fields, start, end,
                                        subject):
    response = as_user(pc_officer).post(reverse("coordination:review_create"),
                                        form_data(regulation, **fields))
    assert response.status_code == 302, response.content.decode()[:3000]
    review = Review.objects.get()
    assert (review.period_start.isoformat(), review.period_end.isoformat()) == (start, end)
    if subject:
        assert review.subject == subject
    assert review.period_kind == ("half" if fields.get("period_mode") == "calendar" else "span")


@pytest.mark.parametrize(("fields", "field"), [
    ({"period_mode": "calendar", "calendar_period": "2026-Q5"}, "calendar_period"),
    ({"period_mode": "calendar", "calendar_period": "01/01/2026-31/03/2026"},
     "calendar_period"),
    ({"period_mode": "span", "span_start": "01/10/2026", "span_end": "01/09/2026"},
     "span_end"),
    ({"period_mode": "span", "span_start": "01/01/2020", "span_end": "01/01/2026"},
     "period_mode"),
    ({"period_mode": "since_signing", "since_end": "01/01/2025"}, "since_end"),
])
def test_a_wrong_period_is_said_on_the_form_which_keeps_what_was_typed(
        as_user, regulation, pc_officer, fields, field):
    response = as_user(pc_officer).post(reverse("coordination:review_create"),
                                        form_data(regulation, results="Đã viết", **fields))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert "Đã viết" in response.content.decode()
    assert not Review.objects.exists()


def test_finishing_on_the_page_then_downloading(as_user, world, pc_officer, iz_officer,
                                                django_capture_on_commit_callbacks):
    review = services.review_create(data=review_data(world["regulation"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(pc_officer).post(reverse("coordination:review_finish",
                                                    args=[review.pk]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_finished and review.document_status == "ready"
    # The page shows the frozen figures and the download; the fragment stops polling.
    page = as_user(iz_officer).get(review.get_absolute_url())
    values = {row.get("data-code"): row.xpath('.//*[@data-testid="figure-value"]')[0].text
              for row in by_testid(page, "figure-row")}
    assert values["members"] == "2" and values["enterprises"] == "3"
    assert by_testid(page, "download-document")
    fragment = as_user(iz_officer).get(reverse("coordination:review_document_status",
                                               args=[review.pk]), headers={"HX-Request": "true"})
    assert "hx-trigger" not in fragment.content.decode()
    download = as_user(iz_officer).post(reverse("coordination:review_document",
                                                args=[review.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith(
        "attachment;")
    # Nothing of it changes any more through the web either.
    response = as_user(pc_officer).get(reverse("coordination:review_update", args=[review.pk]))
    assert response.status_code == 302


def test_a_pending_report_is_polled(as_user, finished, pc_leader):
    page = as_user(pc_leader).get(finished.get_absolute_url())
    section = by_testid(page, "review-document")[0]
    assert section.get("data-status") == "pending" and section.get("hx-trigger") == "every 2s"


def test_individual_commendations_are_named_only_to_those_who_see_personal_data(
        as_user, world, finished, pc_leader, iz_officer, iz_leader):
    name = world["veteran"].full_name
    for user in (iz_officer, iz_leader):
        page = as_user(user).get(finished.get_absolute_url())
        assert name not in page.content.decode()
        assert by_testid(page, "hidden-individuals")
        assert "Công ty TNHH May Sông Hồng" in page.content.decode()
    assert not PersonalDataAccess.objects.exists()
    page = as_user(pc_leader).get(finished.get_absolute_url())
    assert name in page.content.decode()
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.action, row.record_type) == (pc_leader, "list",
                                                       "coordination.partymember")


def test_the_regulation_page_lists_its_reviews(as_user, world, finished, draft, pc_officer,
                                               iz_officer):
    other = services.review_create(data=review_data(world["regulation"], number="",
                                                    subject="Bản nháp"))
    page = as_user(pc_officer).get(reverse("coordination:regulation"))
    assert len(by_testid(page, "review-row")) == 2 and by_testid(page, "add-review")
    page = as_user(iz_officer).get(reverse("coordination:regulation"))
    assert len(by_testid(page, "review-row")) == 1 and not by_testid(page, "add-review")
    assert "Bản nháp" not in page.content.decode() and other.pk


def test_a_commendation_is_proposed_by_tax_code_or_citizen_id(as_user, world, draft,
                                                              pc_officer):
    url = reverse("coordination:review_commendation_create", args=[draft.pk])
    base = {"award": "certificate", "awarded_by": "Ban Thường vụ", "proposed_by": "both",
            "reason": "Thành tích"}
    client = as_user(pc_officer)
    response = client.post(url, {**base, "recipient": "collective", "tax_code": "0000"})
    assert response.status_code == 200 and response.context["form"].errors["tax_code"]
    response = client.post(url, {**base, "recipient": "collective",
                                 "tax_code": world["nam_phong"].tax_code})
    assert response.status_code == 302
    response = client.post(url, {**base, "recipient": "individual",
                                 "citizen_id": world["newcomer"].citizen_id})
    assert response.status_code == 302
    assert sorted((c.recipient, c.enterprise_id, c.member_id)
                  for c in draft.commendations.all()) == [
        ("collective", world["nam_phong"].pk, None),
        ("individual", None, world["newcomer"].pk)]


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(as_user, world, finished, pc_officer,
                                                iz_officer, zone_a):
    draft = services.review_create(data=review_data(world["regulation"], number="2"))
    urls = [reverse("coordination:review_list"), finished.get_absolute_url(),
            draft.get_absolute_url(), reverse("coordination:regulation")]
    clients = {"pc": pc_officer, "iz": iz_officer}
    small = {(who, url): _queries(as_user(user), url) for who, user in clients.items()
             for url in urls if not (who == "iz" and url == draft.get_absolute_url())}
    for i in range(5):
        review = services.review_create(data=review_data(world["regulation"],
                                                         number=f"x{i}"))
        services.review_target_create(review=review, data={
            "indicator": "members", "zone": zone_a, "target_value": 3, "note": ""})
        services.review_finish(review=review)
        services.review_target_create(review=draft, data={
            "indicator": ["members", "members_new", "party_orgs", "party_orgs_new",
                          "candidates_open"][i], "zone": None, "target_value": 3, "note": ""})
        services.commendation_create(review=draft, data={
            "recipient": "collective", "enterprise": EnterpriseFactory(zone=zone_a),
            "party_organization": None, "member": None, "award": "certificate",
            "awarded_by": "Ban Thường vụ", "proposed_by": "both", "reason": "Tốt"})
        make_member(world["song_hong"])
    large = {key: _queries(as_user(clients[key[0]]), key[1]) for key in small}
    assert large == small
