"""Whether a member may be recognised as official: one rule
(coordination.selectors.recognition_refusal) for the service, the member's
page, the recognition-due list and the reminder."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from coordination import selectors, services
from coordination.models import PartyMember
from tests.coordination.factories import make_member

pytestmark = pytest.mark.django_db


def pending(day: date) -> list[PartyMember]:
    return list(PartyMember.objects.filter(selectors.recognition_pending(by=day)))


def test_the_query_and_the_predicate_agree_at_a_month_end():
    """Admitted on 29/02/2024: the 12 months end on 28/02/2025."""
    member = make_member(admitted_on=date(2024, 2, 29))
    assert member.probation_ends_on == date(2025, 2, 28)
    assert not selectors.may_be_recognised(member, on=date(2025, 2, 27))
    assert pending(date(2025, 2, 27)) == []
    assert selectors.may_be_recognised(member, on=date(2025, 2, 28))
    assert pending(date(2025, 2, 28)) == [member]


def test_recognised_or_left_members_are_no_longer_pending():
    member = make_member(admitted_on=date(2023, 3, 1))
    left = make_member(admitted_on=date(2023, 3, 1), left_on=date(2024, 1, 5),
                       left_reason="transferred")
    day = date(2024, 6, 1)
    assert pending(day) == [member]
    assert not selectors.may_be_recognised(left, on=day)
    with pytest.raises(ValidationError, match=re.escape(gettext("This member has left the list."))):
        services.member_recognition_vote(member=left, held_on=day, votes_for=5,
                                         official_members=6)
    with pytest.raises(ValidationError) as exc:
        services.member_recognition_vote(member=member, held_on=date(2024, 2, 1), votes_for=5,
                                         official_members=6)
    assert "held_on" in exc.value.message_dict
    services.member_recognition_vote(member=member, held_on=day, votes_for=5,
                                     official_members=6)
    assert pending(day) == [member]  # the vote passed; the decision is awaited
    services.member_recognise(member=member, decision_number="12-QĐ", decision_on=day)
    assert member.official_on is None  # the caller's object is left as it was
    member.refresh_from_db()
    assert pending(day) == [] and not selectors.may_be_recognised(member, on=day)
    with pytest.raises(ValidationError, match=re.escape(gettext(
            "This member has already been recognised as official."))):
        services.member_recognise(member=member, decision_number="13-QĐ", decision_on=day)
