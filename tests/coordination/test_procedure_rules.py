"""The admission procedure's rules (DESIGN §3), with dates worked out by hand
from the official calendar, not by the code under test.

Days off used below (the government's calendar, as the pinned ``holidays``
package lists it):
- Tết 2026: Monday 16/02 to Friday 20/02/2026;
- Hùng Kings 2026: Sunday 26/04, observed Monday 27/04; 30/04 and 01/05/2026;
- National Day 2026: 01/09 and 02/09, plus Monday 31/08/2026 taken off in
  exchange for Saturday 22/08/2026, which is worked.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coordination import services
from coordination.calendar import add_months, add_working_days, is_working_day
from coordination.models import AdmissionCandidate, RecognitionVote, two_thirds
from coordination.selectors import recognition_state
from enterprises.models import PartyOrganization
from tests.enterprises.factories import PartyOrganizationFactory, make_enterprise

from .factories import make_candidate, make_member

pytestmark = pytest.mark.django_db
Stage = AdmissionCandidate.Stage


# --- Working days -----------------------------------------------------------------------


def test_a_substituted_saturday_is_worked_and_its_monday_is_not():
    assert is_working_day(date(2026, 8, 22))       # Saturday, worked
    assert not is_working_day(date(2026, 8, 31))   # Monday, off in exchange
    assert not is_working_day(date(2026, 8, 29))   # an ordinary Saturday


def test_sixty_working_days_across_a_substituted_saturday_and_national_day():
    # From Wed 01/07/2026: July 2–31 = 22 days; August 3–28 = 20 days plus
    # Saturday 22/08 = 21 (43); 31/08, 01/09, 02/09 off; 03–04/09 (45),
    # 07–11 (50), 14–18 (55), 21–25 (60): Friday 25/09/2026.
    assert add_working_days(date(2026, 7, 1), 60) == date(2026, 9, 25)


def test_thirty_working_days_across_tet():
    # From Fri 30/01/2026: 02–06/02 (5), 09–13 (10), Tết 16–20 off, 23–27 (15),
    # 02–06/03 (20), 09–13 (25), 16–20 (30): Friday 20/03/2026.
    assert add_working_days(date(2026, 1, 30), 30) == date(2026, 3, 20)


def test_sixty_working_days_across_hung_kings_and_30_4_1_5():
    # From Wed 01/04/2026: 02–03/04 (2), 06–10 (7), 13–17 (12), 20–24 (17),
    # 27/04 off (observed), 28–29 (19), 30/04 and 01/05 off, 04–08/05 (24),
    # 11–15 (29), 18–22 (34), 25–29 (39), 01–05/06 (44), 08–12 (49),
    # 15–19 (54), 22–26 (59), Monday 29/06/2026 (60).
    assert add_working_days(date(2026, 4, 1), 60) == date(2026, 6, 29)


def _at_cell_resolution(on: date, **fields) -> AdmissionCandidate:
    """A case waiting for its decision since a cell resolution on ``on``."""
    candidate = make_candidate(identified_on=date(2025, 1, 10), undated_steps=[
        "course_completed_on", "application_on", "sponsorship_on", "verification_on",
        "assessment_on"], **fields)
    return services.candidate_advance(candidate=candidate, on=on, votes_for=4,
                                      cell_official_members=6)


def test_the_decision_deadline_and_its_one_extension():
    candidate = _at_cell_resolution(date(2026, 7, 1))
    assert candidate.due_on() == date(2026, 9, 25)
    assert candidate.is_overdue(date(2026, 9, 28)) and not candidate.is_overdue(date(2026, 9, 25))
    with pytest.raises(ValidationError):
        services.candidate_extend_decision(candidate=candidate, days=31, reason="Chờ thẩm tra")
    with pytest.raises(ValidationError) as info:
        services.candidate_extend_decision(candidate=candidate, days=30, reason="")
    assert "decision_extension_reason" in info.value.message_dict
    candidate = services.candidate_extend_decision(candidate=candidate, days=30,
                                                   reason="Chờ kết quả thẩm tra bổ sung")
    # 30 more working days after Fri 25/09: 28–30/09 (3), 01–02/10 (5), 05–09 (10),
    # 12–16 (15), 19–23 (20), 26–30 (25), 02–06/11 (30): Friday 06/11/2026.
    assert candidate.due_on() == date(2026, 11, 6)
    with pytest.raises(ValidationError):
        services.candidate_extend_decision(candidate=candidate, days=5, reason="Lần hai")


def test_the_ceremony_runs_from_the_day_the_decision_was_received():
    candidate = _at_cell_resolution(date(2026, 7, 1))
    candidate = services.candidate_advance(
        candidate=candidate, on=date(2026, 8, 10), decision_number="12-QĐ/ĐUK",
        decision_body="Ban Thường vụ Đảng ủy Khối", decision_received_on=date(2026, 8, 14))
    # From Fri 14/08/2026: 17–21/08 (5), Saturday 22/08 worked (6), 24–28 (11),
    # 31/08–02/09 off, 03–04/09 (13), 07–11 (18), 14–18 (23), 21–25 (28),
    # 28/09 (29), Tuesday 29/09/2026 (30).
    assert candidate.due_on() == date(2026, 9, 29)
    with pytest.raises(ValidationError) as info:
        services.candidate_update(candidate=candidate, data={
            "decision_received_on": date(2026, 8, 9)})
    assert "decision_received_on" in info.value.message_dict


# --- The conditions at the cell resolution --------------------------------------------------

CELL_DAY = date(2026, 3, 10)


def _resolution_errors(**fields) -> dict:
    data = {"date_of_birth": date(1995, 7, 15), "votes_for": 4, "cell_official_members": 6,
            "course_completed_on": date(2025, 3, 1), **fields}
    candidate = make_candidate(identified_on=date(2020, 1, 10), admit=False, undated_steps=[
        "application_on", "sponsorship_on", "verification_on", "assessment_on"],
        certificate_number="CN-1", **{k: v for k, v in data.items()
                                      if k in ("date_of_birth", "course_completed_on")})
    for name in ("votes_for", "cell_official_members", "age_override_reference"):
        if name in data:
            setattr(candidate, name, data[name])
    candidate.cell_resolution_on = CELL_DAY
    try:
        candidate.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


@pytest.mark.parametrize(("born", "refused"), [
    (date(2008, 3, 10), False),   # 18 years exactly on the day
    (date(2008, 3, 11), True),    # one day less
    (date(1966, 3, 10), False),   # 60 years 0 months
])
def test_age_at_the_cell_resolution(born, refused):
    errors = _resolution_errors(date_of_birth=born)
    assert ("cell_resolution_on" in errors or "age_override_reference" in errors) == refused


def test_over_sixty_by_one_month_needs_the_override():
    errors = _resolution_errors(date_of_birth=date(1966, 2, 10))  # 60 years 1 month
    assert "age_override_reference" in errors
    assert not _resolution_errors(date_of_birth=date(1966, 2, 10),
                                  age_override_reference="15-QĐ/TU")


def test_born_on_29_february_is_18_on_28_february():
    """Civil Code art. 148: a period ending on a day the month lacks ends on its last day."""
    candidate = make_candidate(admit=False, date_of_birth=date(2008, 2, 29))
    assert candidate.age_in_months(date(2026, 2, 27)) == 17 * 12 + 11
    assert candidate.age_in_months(date(2026, 2, 28)) == 18 * 12


@pytest.mark.parametrize(("completed", "refused"), [
    (date(2021, 3, 10), False),   # 60 months to the day: still valid
    (date(2021, 3, 9), True),     # 60 months and one day
])
def test_the_course_certificate_is_valid_60_months(completed, refused):
    errors = _resolution_errors(course_completed_on=completed)
    assert ("cell_resolution_on" in errors) == refused


@pytest.mark.parametrize(("votes", "members", "passes"), [
    (2, 3, True), (4, 6, True), (3, 5, False), (6, 10, False), (7, 10, True),
])
def test_two_thirds(votes, members, passes):
    assert two_thirds(votes, members) == passes
    errors = _resolution_errors(votes_for=votes, cell_official_members=members)
    assert ("votes_for" in errors) == (not passes)


# --- Step 9 only where it applies -------------------------------------------------------------


@pytest.mark.parametrize(("kind", "under_committee", "applies"), [
    (PartyOrganization.Kind.GRASSROOTS_CELL, False, False),
    (PartyOrganization.Kind.GRASSROOTS_COMMITTEE, False, True),
    (PartyOrganization.Kind.SUBORDINATE_CELL, True, True),
])
def test_the_committee_resolution_follows_the_organization(zone_a, kind, under_committee,
                                                           applies):
    enterprise = make_enterprise(zone_a)
    parent = PartyOrganizationFactory(enterprise=enterprise, name="Đảng bộ Công ty",
                                      kind=PartyOrganization.Kind.GRASSROOTS_COMMITTEE) \
        if under_committee else None
    organization = PartyOrganizationFactory(enterprise=enterprise, name="Chi bộ phụ trách",
                                            kind=kind, parent=parent)
    candidate = _at_cell_resolution(date(2026, 7, 1), enterprise=enterprise,
                                    responsible_organization=organization)
    assert candidate.committee_step_applies == applies
    assert (Stage.COMMITTEE_RESOLUTION in [s for s, _f in candidate.steps()]) == applies
    assert candidate.next_step()[0] == (Stage.COMMITTEE_RESOLUTION if applies else Stage.DECISION)
    if not applies:
        with pytest.raises(ValidationError) as info:
            services.candidate_update(candidate=candidate, data={
                "committee_resolution_on": date(2026, 7, 20)})
        assert "committee_resolution_on" in info.value.message_dict


# --- Steps done without a known date ------------------------------------------------------------


def test_an_undated_step_is_done_and_never_given_a_date():
    candidate = make_candidate(identified_on=date(2025, 1, 10))
    candidate = services.candidate_advance(candidate=candidate, on=None, undated=True)
    assert candidate.course_completed_on is None
    assert candidate.undated_steps == ["course_completed_on"]
    assert candidate.stage == Stage.COURSE and candidate.next_step()[0] == Stage.APPLICATION
    with pytest.raises(ValidationError):  # the first step and the ceremony always have a date
        services.candidate_update(candidate=candidate, data={"undated_steps": [
            "course_completed_on", "identified_on"]})


# --- Sponsors ----------------------------------------------------------------------------------


def test_sponsors_are_official_members_on_the_day(zone_a):
    enterprise = make_enterprise(zone_a)
    official = make_member(enterprise, given_name="Một", admitted_on=date(2020, 3, 1),
                           official_on=date(2021, 3, 1))
    probationary = make_member(enterprise, given_name="Hai", admitted_on=date(2025, 1, 5))
    candidate = make_candidate(enterprise, identified_on=date(2025, 1, 10), undated_steps=[
        "course_completed_on", "application_on"])
    with pytest.raises(ValidationError) as info:
        services.candidate_advance(candidate=candidate, on=date(2025, 4, 15),
                                   sponsor_kind="members", sponsor_1=official,
                                   sponsor_2=probationary)
    assert "sponsor_2" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.candidate_advance(candidate=candidate, on=date(2025, 4, 15),
                                   sponsor_kind="members", sponsor_1=official, sponsor_2=official)
    assert "sponsor_2" in info.value.message_dict
    candidate = services.candidate_advance(candidate=candidate, on=date(2025, 4, 15),
                                           sponsor_kind="youth_union", sponsor_1=official)
    assert (candidate.sponsor_kind, candidate.sponsor_1) == ("youth_union", official)


# --- Recognition -------------------------------------------------------------------------------


def test_three_failed_votes_send_the_case_to_the_upper_committee():
    member = make_member(admitted_on=date(2024, 9, 2))  # the 12 months end on 02/09/2025
    for held_on, votes in [(date(2025, 9, 10), 3), (date(2025, 9, 24), 4),
                           (date(2025, 10, 8), 5)]:          # of 9: 6 are two thirds
        services.member_recognition_vote(member=member, held_on=held_on, votes_for=votes,
                                         official_members=9)
    with pytest.raises(ValidationError, match="cấp ủy cấp trên|upper committee"):
        services.member_recognition_vote(member=member, held_on=date(2025, 10, 20),
                                         votes_for=9, official_members=9)
    recognition = services.member_recognise(member=member, decision_number="30-QĐ/ĐUK",
                                            decision_on=date(2025, 11, 3),
                                            deciding_body="Ban Thường vụ Đảng ủy Khối")
    assert recognition.escalated and recognition.cell_resolution_on == date(2025, 10, 8)
    member.refresh_from_db()
    assert member.official_on == date(2025, 9, 2)
    assert RecognitionVote.objects.filter(member=member).count() == 3


def test_the_recognition_deadlines():
    member = make_member(admitted_on=date(2025, 7, 1))  # the 12 months end on 01/07/2026
    # The cell votes within 30 working days after 01/07/2026: 02–03/07 (2),
    # 06–10 (7), 13–17 (12), 20–24 (17), 27–31 (22), 03–07/08 (27), 10–12/08 (30).
    assert recognition_state(member).vote_due_on == date(2026, 8, 12)
    services.member_recognition_vote(member=member, held_on=date(2026, 8, 3), votes_for=6,
                                     official_members=9)
    member.refresh_from_db()
    # The committee decides within 30 working days of Mon 03/08/2026: 04–07/08 (4),
    # 10–14 (9), 17–21 (14), Saturday 22/08 (15), 24–28 (20), 31/08–02/09 off,
    # 03–04/09 (22), 07–11 (27), 14–16/09 (30): Wednesday 16/09/2026.
    assert recognition_state(member).decision_due_on == date(2026, 9, 16)


def test_the_official_date_is_set_only_by_a_recognition():
    member = make_member(admitted_on=date(2024, 9, 2))
    with pytest.raises(ValidationError) as info:  # not the day the 12 months end
        services.member_update(member=member, data={"official_on": date(2025, 10, 1)})
    assert "official_on" in info.value.message_dict
    with pytest.raises(ValidationError):  # in the future
        make_member(admitted_on=add_months(date.today(), -6),
                    official_on=add_months(date.today(), 6))
    with pytest.raises(ValidationError):  # later than the 12 months
        make_member(admitted_on=date(2023, 1, 5), official_on=date(2024, 2, 1))
    recorded = make_member(admitted_on=date(2023, 1, 5), official_on=date(2024, 1, 5))
    assert recorded.recognition.details_recorded is False
    with pytest.raises(ValidationError):
        services.member_update(member=recorded, data={"official_on": date(2024, 1, 6)})


# --- The data subject's copy --------------------------------------------------------------------


def test_the_personal_data_file_holds_everything_on_the_person(client, pc_officer, zone_a):
    import io

    import openpyxl
    from django.urls import reverse

    from core.models import PersonalDataAccess

    enterprise = make_enterprise(zone_a)
    candidate = make_candidate(enterprise, given_name="Thảo", identified_on=date(2023, 2, 1),
                               citizen_id="036196007788", undated_steps=[
                                   "course_completed_on", "application_on", "sponsorship_on",
                                   "verification_on", "assessment_on"])
    candidate = services.candidate_advance(candidate=candidate, on=date(2023, 6, 1),
                                           votes_for=5, cell_official_members=6)
    candidate = services.candidate_advance(candidate=candidate, on=date(2023, 7, 3),
                                           decision_number="77-QĐ/ĐUK")
    candidate = services.candidate_advance(candidate=candidate, on=date(2023, 7, 20))
    member = candidate.member
    from coordination.dossier.services import dossier_document_record

    dossier_document_record(candidate=candidate, kind="cell_resolution",
                            issued_on=date(2023, 6, 1), number="05-NQ/CB",
                            note="Bản lưu tại văn phòng Đảng ủy")
    services.member_recognition_vote(member=member, held_on=date(2024, 7, 25), votes_for=5,
                                     official_members=6)
    services.member_recognise(member=member, decision_number="88-QĐ/ĐUK",
                              decision_on=date(2024, 8, 5))
    client.force_login(pc_officer)
    url = reverse("coordination:member_subject_file", args=[member.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    text = {name: "\n".join(str(c) for row in book[name].iter_rows(values_only=True)
                            for c in row if c is not None) for name in book.sheetnames}
    everything = "\n".join(text.values())
    assert "036196007788" in everything and "Thảo" in everything
    assert "77-QĐ/ĐUK" in everything and "88-QĐ/ĐUK" in everything
    assert "20/07/2023" in everything  # the ceremony, also the first placement's start
    assert "25/07/2024" in everything  # the cell's vote
    # The dossier's documents, with their history.
    assert "01/06/2023 · 05-NQ/CB · Bản lưu tại văn phòng Đảng ủy" in text["Dữ liệu cá nhân"]
    assert len(book.sheetnames) == 5  # data, workplaces, recognition, history, views
    log = PersonalDataAccess.objects.get(action="export")
    assert (log.user, log.record_id, log.detail) == (pc_officer, member.pk, "subject_access")
    # The same file from the admission case.
    case_file = client.post(reverse("coordination:candidate_subject_file",
                                    args=[candidate.pk]))
    assert case_file.status_code == 200
