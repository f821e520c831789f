"""The admission state machine and recognition, through the services."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coordination import services
from coordination.models import AdmissionCandidate, PartyMember

from .factories import make_candidate, make_member

pytestmark = pytest.mark.django_db

STEPS = [
    (date(2025, 3, 1), {"certificate_number": "CN-2025-01"}),
    (date(2025, 4, 1), {}),
    (date(2025, 4, 15), {}),
    (date(2025, 5, 15), {}),
    (date(2025, 6, 1), {}),
    (date(2025, 7, 1), {"votes_for": 5, "cell_official_members": 6}),
    # No committee resolution: the case has no đảng bộ cơ sở (DESIGN §2).
    (date(2025, 8, 10), {"decision_number": "125-QĐ/ĐUK"}),
    (date(2025, 9, 2), {}),
]


def test_candidate_goes_from_identification_to_ceremony(pc_officer):
    c = make_candidate()
    for on, data in STEPS:
        services.candidate_advance(actor=pc_officer, candidate=c, on=on, **data)
    c.refresh_from_db()
    assert c.stage == AdmissionCandidate.Stage.CEREMONY
    member = c.member
    assert member.admitted_on == date(2025, 9, 2)
    assert member.status_on(date(2025, 9, 2)) == "probationary"
    assert (member.citizen_id, member.enterprise_id) == (c.citizen_id, c.enterprise_id)
    with pytest.raises(ValidationError):
        services.candidate_advance(actor=pc_officer, candidate=c, on=date(2025, 10, 1))


def test_a_refused_step_changes_nothing(pc_officer):
    c = make_candidate()
    for on, data in STEPS[:5]:
        services.candidate_advance(actor=pc_officer, candidate=c, on=on, **data)
    with pytest.raises(ValidationError) as info:
        services.candidate_advance(actor=pc_officer, candidate=c, on=date(2025, 7, 1),
                                   votes_for=3, cell_official_members=6)
    assert "votes_for" in info.value.message_dict
    c = AdmissionCandidate.objects.get(pk=c.pk)
    assert c.cell_resolution_on is None and c.stage == "assessment"


def test_ceremony_and_member_are_one_transaction(pc_officer):
    existing = make_member()
    c = make_candidate(citizen_id=existing.citizen_id)
    for on, data in STEPS[:-1]:
        services.candidate_advance(actor=pc_officer, candidate=c, on=on, **data)
    with pytest.raises(ValidationError):
        services.candidate_advance(actor=pc_officer, candidate=c, on=date(2025, 9, 2))
    assert AdmissionCandidate.objects.get(pk=c.pk).ceremony_on is None
    assert PartyMember.objects.count() == 1


@pytest.mark.parametrize("fixture", ["pc_leader", "iz_officer", "iz_leader", "administrator"])
def test_only_party_committee_officers_enter_party_development(request, fixture):
    c = make_candidate()
    with pytest.raises(PermissionDenied):
        services.candidate_advance(actor=request.getfixturevalue(fixture), candidate=c,
                                   on=date(2025, 3, 1), certificate_number="X")


def test_close_a_case(pc_officer):
    c = make_candidate()
    c = services.candidate_close(actor=pc_officer, candidate=c, on=date(2025, 2, 1),
                                 reason="left_enterprise")
    assert c.stage == "closed"
    with pytest.raises(ValidationError):
        services.candidate_advance(actor=pc_officer, candidate=c, on=date(2025, 3, 1))


def test_recognition_sets_the_official_date_to_the_end_of_probation(pc_officer):
    m = make_member(admitted_on=date(2024, 9, 2))
    with pytest.raises(ValidationError):
        services.member_recognition_vote(actor=pc_officer, member=m, held_on=date(2025, 8, 1),
                                         votes_for=5, official_members=6)
    with pytest.raises(ValidationError):  # no vote yet
        services.member_recognise(actor=pc_officer, member=m, decision_number="1",
                                  decision_on=date(2025, 10, 5))
    services.member_recognition_vote(actor=pc_officer, member=m, held_on=date(2025, 10, 1),
                                     votes_for=4, official_members=6)
    with pytest.raises(ValidationError) as info:  # before the vote
        services.member_recognise(actor=pc_officer, member=m, decision_number="15-QĐ/ĐUK",
                                  decision_on=date(2025, 9, 30))
    assert "decision_on" in info.value.message_dict
    services.member_recognise(actor=pc_officer, member=m, decision_number="15-QĐ/ĐUK",
                              decision_on=date(2025, 10, 20), deciding_body="BTV Đảng ủy Khối")
    m.refresh_from_db()
    assert m.official_on == date(2025, 9, 2)
    assert m.status_on(date(2025, 9, 2)) == "official"
    assert (m.recognition.cell_resolution_on, m.recognition.escalated) == (date(2025, 10, 1),
                                                                          False)


def test_leaving_keeps_the_member_with_a_date_and_reason(pc_officer):
    m = make_member()
    m = services.member_leave(actor=pc_officer, member=m, on=date(2026, 1, 31),
                              reason="transferred")
    assert m.status_on(date(2026, 2, 1)) == "left"
    assert PartyMember.objects.filter(pk=m.pk).exists()
