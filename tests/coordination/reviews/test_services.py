"""The reviews' rules, in the services and the database: periods, finishing
with frozen figures, immutability and reopening, the targets made the next
plan's, commendations, and the Word report's generation.

Expected figures are those of the world in ``conftest`` (worked out by hand
there)."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from kombu.exceptions import OperationalError

from coordination.models import CoordinationPlan, PlanTarget
from coordination.reviews import rules, services
from coordination.reviews.models import Commendation, Review, ReviewTarget
from core.periods import Period
from tests.coordination.factories import make_member, make_plan

from .conftest import review_data

pytestmark = pytest.mark.django_db


# --- Periods ------------------------------------------------------------------------------


def test_a_year_of_the_regulation_runs_from_its_signing_day():
    assert rules.regulation_year(date(2025, 9, 24), 1) == Period.span(date(2025, 9, 24),
                                                                      date(2026, 9, 23))
    assert rules.regulation_year(date(2025, 9, 24), 2) == Period.span(date(2026, 9, 24),
                                                                      date(2027, 9, 23))
    # Signed on 29 February: its anniversaries fall on 28 February.
    assert rules.regulation_year(date(2024, 2, 29), 1) == Period.span(date(2024, 2, 29),
                                                                      date(2025, 2, 27))
    assert rules.since_signing(date(2025, 9, 24), date(2026, 12, 7)).days == 440


def test_build_report_periods_read_a_span_of_days():
    period = Period.parse("24/09/2025-23/09/2026")
    assert (period.start, period.end, period.kind) == (date(2025, 9, 24), date(2026, 9, 23),
                                                       "span")
    assert Period.parse(period.code) == period
    assert period.previous() == Period.span(date(2024, 9, 24), date(2025, 9, 23))
    for bad in ("24/09/2026-23/09/2025", "31/02/2026-01/03/2026", "01/01/2020-01/01/2025"):
        with pytest.raises(ValueError):
            Period.parse(bad)


@pytest.mark.parametrize(("fields", "field"), [
    ({"period_end": date(2025, 9, 1)}, "period_end"),
    ({"period_start": date(2020, 1, 1), "period_end": date(2025, 1, 1)}, "period_end"),
    ({"period_kind": "quarter", "period_start": date(2026, 7, 1),
      "period_end": date(2026, 9, 1)}, "period_start"),
])
def test_a_wrong_period_is_refused_on_its_field(world, fields, field):
    with pytest.raises(ValidationError) as caught:
        services.review_create(data=review_data(world["regulation"], **fields))
    assert field in caught.value.message_dict


def test_a_calendar_period_is_kept_with_its_kind(world):
    review = services.review_create(data=review_data(
        world["regulation"], number="", period_kind="quarter", period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30)))
    assert review.period == Period.parse("2026-Q3")


def test_the_database_refuses_what_the_rules_refuse(world):
    base = review_data(world["regulation"], number="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(**{**base, "period_end": date(2025, 1, 1)})
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(**{**base, "period_start": date(2015, 1, 1)})
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(**{**base, "status": "finished"})  # without finished_at
    Review.objects.create(**{**base, "number": "7-BC/ĐUK"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(**{**base, "number": "7-BC/ĐUK"})
    # Blank numbers are not duplicates.
    Review.objects.create(**base)
    Review.objects.create(**base)
    with pytest.raises(ValidationError):
        Review(**{**base, "number": "7-BC/ĐUK"}).full_clean()


# --- Finishing: the figures frozen --------------------------------------------------------


def test_finishing_freezes_the_figures_of_the_period(finished, zone_a, zone_b):
    frozen = finished.figures
    assert finished.status == "finished" and finished.finished_at is not None
    assert frozen["period"]["start"] == "2025-09-24" and frozen["period"]["end"] == "2026-09-23"
    assert frozen["previous"]["start"] == "2024-09-24"
    province, before = frozen["province"], frozen["previous_values"]
    assert (province["enterprises"], before["enterprises"]) == (3, 2)
    assert (province["members"], before["members"]) == (2, 1)
    assert (province["members_new"], before["members_new"]) == (1, 0)
    assert province["party_orgs"] == 1 and province["enterprises_with_party_org"] == 1
    zones = {z["code"]: z["values"] for z in frozen["zones"]}
    assert zones["AAA"]["enterprises"] == 2 and zones["AAA"]["members"] == 2
    assert zones["BBB"]["enterprises"] == 1 and zones["BBB"]["members"] == 0
    # In the tests' eager mode the Word report is written once the finish commits.
    assert finished.document_status == "pending"


def test_figures_and_report_do_not_change_when_the_data_does(world, finished, zone_a,
                                                               django_capture_on_commit_callbacks):
    services.review_document_retry(review=finished)  # nothing: it is pending already
    with django_capture_on_commit_callbacks(execute=True):
        services.review_document_generate(review_id=finished.pk)
    finished.refresh_from_db()
    frozen, document = finished.figures, finished.document.read()
    # New facts inside the period (a member admitted, an enterprise founded).
    make_member(world["nam_phong"], admitted_on=date(2026, 3, 1))
    from tests.enterprises.factories import EnterpriseFactory

    EnterpriseFactory(zone=zone_a, established_on=date(2026, 2, 1))
    finished.refresh_from_db()
    assert finished.figures == frozen
    assert finished.figures["province"]["members"] == 2
    finished.document.open("rb")
    assert finished.document.read() == document
    # Written again from the review, the report is the same document.
    from coordination.reviews.documents import render_review
    from tests.coordination.reviews.test_documents import document_xml

    assert document_xml(render_review(finished)) == document_xml(document)


def test_a_review_is_finished_once_its_period_is_over_and_it_is_signed(world):
    future = services.review_create(data=review_data(
        world["regulation"], number="", period_start=date(2026, 9, 24),
        period_end=date(2027, 9, 23)))
    with pytest.raises(ValidationError) as caught:
        services.review_finish(review=future)
    assert "23/09/2027" in " ".join(caught.value.messages)
    unsigned = services.review_create(data=review_data(
        world["regulation"], number="16", signer_name="", iz_signer_name="", results=""))
    with pytest.raises(ValidationError) as caught:
        services.review_finish(review=unsigned)
    assert len(caught.value.messages) == 3
    # Issued by the Party Committee alone, no IZ Board signer is needed.
    alone = services.review_create(data=review_data(
        world["regulation"], number="17", joint=False, iz_signer_name=""))
    assert services.review_finish(review=alone).is_finished


def test_a_finished_review_no_longer_changes(world, finished, pc_officer):
    with pytest.raises(ValidationError):
        services.review_update(actor=pc_officer, review=finished, data={"results": "Khác"})
    with pytest.raises(ValidationError):
        services.review_target_create(review=finished, data={
            "indicator": "members", "zone": None, "target_value": 3, "note": ""})
    with pytest.raises(ValidationError):
        services.review_target_delete(target=finished.targets.get())
    with pytest.raises(ValidationError):
        services.commendation_delete(commendation=finished.commendations.first())
    with pytest.raises(ValidationError):
        services.review_finish(review=finished)


def test_reopening_takes_a_reason_and_drops_the_frozen_figures(world, finished, pc_officer,
                                                               pc_leader, iz_officer):
    for someone in (pc_leader, iz_officer):
        with pytest.raises(PermissionDenied):
            services.review_reopen(actor=someone, review=finished, reason="Sai số")
    with pytest.raises(ValidationError) as caught:
        services.review_reopen(actor=pc_officer, review=finished, reason="  ")
    assert "reason" in caught.value.message_dict
    review = services.review_reopen(actor=pc_officer, review=finished,
                                    reason="Sai tên người ký")
    assert (review.status, review.figures, review.document_status) == ("draft", {}, "")
    services.review_update(actor=pc_officer, review=review, data={"signer_name": "Vũ Minh"})
    # Facts added meanwhile count when it is finished again.
    make_member(world["nam_phong"], admitted_on=date(2026, 3, 1))
    again = services.review_finish(actor=pc_officer, review=review)
    assert again.figures["province"]["members"] == 3
    assert again.history.filter(reopen_reason="Sai tên người ký").exists()


def test_only_party_committee_officers_write_reviews(world, pc_leader, iz_officer, iz_leader):
    for someone in (pc_leader, iz_officer, iz_leader):
        with pytest.raises(PermissionDenied):
            services.review_create(actor=someone, data=review_data(world["regulation"]))


# --- Targets for the next period -------------------------------------------------------------


def test_the_agreed_targets_start_the_next_years_draft_plan(finished, pc_officer, zone_a):
    plan, added, updated = services.review_targets_to_plan(actor=pc_officer, review=finished)
    assert (plan.year, plan.status, added, updated) == (2027, "draft", 1, 0)
    assert list(plan.targets.values_list("indicator", "zone", "target_value", "note")) == [
        ("members_new", None, 12, "Công nhân")]
    # Again: nothing new, nothing changed.
    assert services.review_targets_to_plan(actor=pc_officer, review=finished)[1:] == (0, 0)


def test_the_targets_go_into_an_existing_draft_not_an_approved_plan(world, draft, pc_officer,
                                                                   zone_a):
    plan = make_plan(2027, targets=[("members_new", None, 5), ("party_orgs_new", zone_a, 2)])
    services.review_target_create(review=draft, data={
        "indicator": "members_new", "zone": None, "target_value": 12, "note": ""})
    services.review_target_create(review=draft, data={
        "indicator": "party_orgs_new", "zone": None, "target_value": 4, "note": ""})
    with pytest.raises(ValidationError):  # agreed once finished
        services.review_targets_to_plan(actor=pc_officer, review=draft)
    review = services.review_finish(review=draft)
    _plan, added, updated = services.review_targets_to_plan(actor=pc_officer, review=review)
    assert (added, updated) == (1, 1)
    assert sorted(PlanTarget.objects.filter(plan=plan).values_list(
        "indicator", "zone", "target_value"), key=str) == sorted([
        ("members_new", None, 12), ("party_orgs_new", None, 4),
        ("party_orgs_new", zone_a.pk, 2)], key=str)
    plan.status, plan.approved_by, plan.approved_at = "approved", pc_officer, review.finished_at
    plan.save()
    with pytest.raises(ValidationError) as caught:
        services.review_targets_to_plan(actor=pc_officer, review=review)
    assert "2027" in caught.value.messages[0]
    assert CoordinationPlan.objects.count() == 1


def test_a_target_is_an_indicator_a_plan_may_use(draft):
    with pytest.raises(ValidationError):
        services.review_target_create(review=draft, data={
            "indicator": "enterprises_without_party_org", "zone": None, "target_value": 3,
            "note": ""})
    with pytest.raises(ValidationError):
        services.review_target_create(review=draft, data={
            "indicator": "members", "zone": None, "target_value": 0, "note": ""})
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewTarget.objects.create(review=draft, indicator="members", target_value=0)


# --- Commendations ------------------------------------------------------------------------


def test_a_commendation_names_one_collective_or_one_member(world, draft):
    base = {"award": "certificate", "awarded_by": "Ban Thường vụ", "proposed_by": "both",
            "reason": "Thành tích"}
    with pytest.raises(ValidationError):
        services.commendation_create(review=draft, data={
            **base, "recipient": "collective", "enterprise": world["song_hong"],
            "party_organization": world["cell"], "member": None})
    with pytest.raises(ValidationError):
        services.commendation_create(review=draft, data={
            **base, "recipient": "individual", "member": None, "enterprise": None,
            "party_organization": None})
    with pytest.raises(IntegrityError), transaction.atomic():
        Commendation.objects.create(review=draft, recipient="collective", **base)
    # An individual one keeps only the member.
    made = services.commendation_create(review=draft, data={
        **base, "recipient": "individual", "member": world["veteran"],
        "enterprise": world["song_hong"], "party_organization": None})
    assert (made.member, made.enterprise) == (world["veteran"], None)


# --- The Word report ----------------------------------------------------------------------


def test_the_report_is_written_once_however_often_the_task_runs(finished):
    first = services.review_document_generate(review_id=finished.pk)
    assert first.document_status == "ready" and first.document.name.endswith(".docx")
    assert services.review_document_generate(review_id=finished.pk) is None
    finished.refresh_from_db()
    assert finished.document.name == first.document.name


def test_without_a_broker_the_report_is_written_in_the_request(finished):
    with mock.patch("coordination.tasks.review_document_generate.apply_async",
                    side_effect=OperationalError("no broker")):
        assert services.review_document_enqueue(review_id=finished.pk) is False
    finished.refresh_from_db()
    assert finished.document_status == "ready"


def test_a_failure_is_recorded_and_can_be_retried(finished, pc_officer,
                                                  django_capture_on_commit_callbacks):
    with mock.patch("coordination.reviews.documents.render_review",
                    side_effect=RuntimeError("boom")):
        assert services.review_document_generate(review_id=finished.pk) is None
    finished.refresh_from_db()
    assert finished.document_status == "failed" and "RuntimeError" in finished.document_error
    with django_capture_on_commit_callbacks(execute=True):
        services.review_document_retry(actor=pc_officer, review=finished)
    finished.refresh_from_db()
    assert finished.document_status == "ready"
