"""Statutory rules of the admission procedure (DESIGN §3, brief §1.2)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coordination.calendar import add_working_days, is_working_day, months_between
from coordination.models import AdmissionCandidate, PartyMember

from .factories import make_candidate, make_member

pytestmark = pytest.mark.django_db

Stage = AdmissionCandidate.Stage


def test_working_days_skip_weekends_and_tet():
    # Tết 2026: 16-20 February (Mon-Fri) are holidays.
    assert not is_working_day(date(2026, 2, 17))
    assert not is_working_day(date(2026, 2, 21))  # Saturday
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    # 60 working days from 30/03/2026 skip 30/04, 01/05 and Hùng Kings' day.
    assert add_working_days(date(2026, 3, 30), 60) == date(2026, 6, 25)


def test_age_in_whole_months():
    assert months_between(date(2008, 5, 20), date(2026, 5, 19)) == 12 * 18 - 1
    assert months_between(date(2008, 5, 20), date(2026, 5, 20)) == 12 * 18


def test_member_status_is_derived_from_dates():
    m = make_member(admitted_on=date(2024, 3, 1), official_on=date(2025, 3, 1),
                    left_on=date(2026, 6, 1), left_reason="transferred")
    assert m.status_on(date(2024, 2, 29)) is None
    assert m.status_on(date(2024, 3, 1)) == "probationary"
    assert m.status_on(date(2025, 3, 1)) == "official"
    assert m.status_on(date(2026, 6, 1)) == "left"


def test_official_date_not_before_twelve_months():
    with pytest.raises(ValidationError) as info:
        make_member(admitted_on=date(2024, 3, 1), official_on=date(2025, 2, 28))
    assert "official_on" in info.value.message_dict


def test_citizen_id_is_12_digits_and_unique():
    with pytest.raises(ValidationError) as info:
        make_member(citizen_id="12345")
    assert "citizen_id" in info.value.message_dict
    m = make_member()
    with pytest.raises(ValidationError):
        make_member(citizen_id=m.citizen_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyMember.objects.create(
            family_name="A", given_name="B", date_of_birth=date(1990, 1, 1), gender="male",
            citizen_id=m.citizen_id, enterprise=m.enterprise, admitted_on=date(2020, 1, 1))


def test_people_are_sorted_the_vietnamese_way():
    from tests.enterprises.factories import EnterpriseFactory

    e = EnterpriseFactory()
    for family, middle, given in [("Đỗ", "Minh", "Đức"), ("Bùi", "Minh", "Dũng"),
                                  ("Lê", "Văn", "An"), ("Nguyễn", "Thị", "An")]:
        make_member(family_name=family, middle_name=middle, given_name=given, enterprise=e)
    assert [m.full_name for m in PartyMember.objects.all()] == [
        "Nguyễn Thị An", "Lê Văn An", "Bùi Minh Dũng", "Đỗ Minh Đức"]


def _through_assessment(**fields):
    return make_candidate(
        course_completed_on=date(2025, 3, 1), certificate_number="CN-01",
        application_on=date(2025, 4, 1), sponsorship_on=date(2025, 4, 15),
        verification_on=date(2025, 5, 15), assessment_on=date(2025, 6, 1), **fields)


def test_stage_follows_the_last_milestone():
    c = _through_assessment()
    assert c.stage == Stage.ASSESSMENT
    assert c.next_step() == (Stage.CELL_RESOLUTION, "cell_resolution_on")


def test_a_step_cannot_be_skipped_or_dated_before_the_previous():
    with pytest.raises(ValidationError) as info:
        make_candidate(application_on=date(2025, 4, 1))  # no course yet
    assert "application_on" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        make_candidate(course_completed_on=date(2025, 1, 5), certificate_number="X")
    assert "course_completed_on" in info.value.message_dict


def test_cell_resolution_needs_age_18_in_months():
    c = _through_assessment(date_of_birth=date(2007, 7, 2))
    c.cell_resolution_on, c.votes_for, c.cell_official_members = date(2025, 7, 1), 3, 3
    with pytest.raises(ValidationError) as info:
        c.full_clean()
    assert "17" in str(info.value.message_dict["cell_resolution_on"])
    c.cell_resolution_on = date(2025, 7, 2)
    c.full_clean()


def test_over_sixty_needs_an_override_reference():
    c = _through_assessment(date_of_birth=date(1965, 1, 1))
    c.cell_resolution_on, c.votes_for, c.cell_official_members = date(2025, 7, 1), 3, 3
    with pytest.raises(ValidationError) as info:
        c.full_clean()
    assert "age_override_reference" in info.value.message_dict
    c.age_override_reference = "123-QĐ/TU"
    c.full_clean()


def test_lower_secondary_education_is_required():
    c = _through_assessment(education_grade=8)
    c.cell_resolution_on, c.votes_for, c.cell_official_members = date(2025, 7, 1), 3, 3
    with pytest.raises(ValidationError) as info:
        c.full_clean()
    assert "education_grade" in info.value.message_dict


def test_certificate_is_valid_60_months():
    c = make_candidate(
        identified_on=date(2019, 1, 1), course_completed_on=date(2020, 6, 30),
        certificate_number="CN", application_on=date(2025, 1, 1),
        sponsorship_on=date(2025, 2, 1), verification_on=date(2025, 3, 1),
        assessment_on=date(2025, 4, 1))
    c.cell_resolution_on, c.votes_for, c.cell_official_members = date(2025, 7, 1), 3, 3
    with pytest.raises(ValidationError) as info:
        c.full_clean()
    assert "30/06/2025" in str(info.value.message_dict["cell_resolution_on"])
    c.cell_resolution_on = date(2025, 6, 30)
    c.full_clean()


@pytest.mark.parametrize(("votes", "members", "ok"), [(2, 3, True), (4, 6, True), (3, 5, False),
                                                     (6, 10, False), (7, 10, True)])
def test_votes_need_two_thirds_of_official_members(votes, members, ok):
    c = _through_assessment()
    c.cell_resolution_on, c.votes_for, c.cell_official_members = date(2025, 7, 1), votes, members
    if ok:
        c.full_clean()
    else:
        with pytest.raises(ValidationError) as info:
            c.full_clean()
        assert "votes_for" in info.value.message_dict


def test_deadlines_in_working_days_and_overdue():
    c = _through_assessment(cell_resolution_on=date(2025, 7, 1), votes_for=3,
                            cell_official_members=3)
    due = c.due_on()
    assert due == add_working_days(date(2025, 7, 1), 60)
    assert not c.is_overdue(due)
    assert c.is_overdue(due + timedelta(days=1))


def test_certificate_expiring_is_flagged_before_the_cell_resolution():
    c = make_candidate(identified_on=date(2020, 1, 1), course_completed_on=date(2021, 3, 1),
                       certificate_number="CN")
    assert c.certificate_expires_on == date(2026, 3, 1)
    assert c.certificate_expiring(date(2026, 1, 15))
    assert not c.certificate_expiring(date(2025, 6, 1))


def test_one_open_case_per_person():
    c = make_candidate()
    with pytest.raises(ValidationError):
        make_candidate(citizen_id=c.citizen_id)
    c.closed_on, c.closed_reason = date(2025, 3, 1), "withdrew"
    c.full_clean()
    c.save()
    make_candidate(citizen_id=c.citizen_id, identified_on=date(2025, 6, 1))


def test_milestones_and_admission_cannot_be_in_the_future():
    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        make_candidate(identified_on=tomorrow)
    assert "identified_on" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        make_member(admitted_on=tomorrow)
    assert "admitted_on" in info.value.message_dict
