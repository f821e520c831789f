"""Reads of the working cycle: which letters each account sees (the Q form
and the Python form of the rule agree), which regulation is current, who may
attend, conclusions by state."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accounts.policy import access_for
from coordination.cycle import rules, selectors
from coordination.cycle.models import Regulation
from tests.enterprises.factories import EnterpriseFactory

from .conftest import add_conclusion, days, make_letter, make_meeting, regulation_data, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(zone_a, zone_b):
    """One letter of each kind that matters for scope."""
    in_a, in_b = EnterpriseFactory(zone=zone_a), EnterpriseFactory(zone=zone_b)
    return {
        "between": make_letter(number="1"),
        "iz_out": make_letter(number="2", direction="iz_out", counterpart="Sở Nội vụ"),
        "pc_out": make_letter(number="3", direction="pc_out", counterpart="Tỉnh ủy"),
        "pc_out_a": make_letter(number="4", direction="pc_out", counterpart="Tỉnh ủy",
                                enterprises=[in_a]),
        "between_b": make_letter(number="5", enterprises=[in_b]),
        "between_ab": make_letter(number="6", enterprises=[in_a, in_b]),
        "personal": make_letter(number="7", personal_data=True),
    }


def _seen(access, letters) -> set[str]:
    ids = set(selectors.correspondence_queryset(access=access).values_list("pk", flat=True))
    return {key for key, letter in letters.items() if letter.pk in ids}


ALL = {"between", "iz_out", "pc_out", "pc_out_a", "between_b", "between_ab", "personal"}


def test_who_sees_which_letter(letters, pc_officer, pc_leader, iz_officer, iz_leader,
                               administrator, iz_officer_b):
    assert _seen(access_for(pc_officer), letters) == ALL
    assert _seen(access_for(pc_leader), letters) == ALL
    # Zone A: about its enterprises, or about none and sent or received by the IZ Board;
    # never personal data.
    assert _seen(access_for(iz_officer), letters) == {"between", "iz_out", "pc_out_a",
                                                      "between_ab"}
    assert _seen(access_for(iz_officer_b), letters) == {"between", "iz_out", "between_b",
                                                        "between_ab"}
    # Board-wide: any enterprise's.
    assert _seen(access_for(iz_leader), letters) == {"between", "iz_out", "pc_out_a",
                                                     "between_b", "between_ab"}
    assert _seen(access_for(administrator), letters) == set()


def test_a_zone_limited_party_committee_reader_sees_its_zone_and_letters_of_no_zone(
        letters, pc_officer, zone_a):
    access = replace(access_for(pc_officer), zone_ids=frozenset({zone_a.pk}))
    assert _seen(access, letters) == {"between", "iz_out", "pc_out", "pc_out_a", "between_ab",
                                      "personal"}


def test_the_rule_and_its_query_agree(letters, pc_officer, pc_leader, iz_officer, iz_leader,
                                      administrator, iz_officer_b):
    for user in (pc_officer, pc_leader, iz_officer, iz_leader, administrator, iz_officer_b):
        access = access_for(user)
        by_rule = {key for key, letter in letters.items() if rules.may_see_correspondence(
            access, letter, list(letter.enterprises.values_list("zone_id", flat=True)))}
        assert by_rule == _seen(access, letters), user.username


def test_the_current_regulation_is_the_one_in_force():
    assert selectors.regulation_current(today=days(0)) is None
    old = Regulation.objects.create(**regulation_data(in_force_until=days(-31)))
    assert selectors.regulation_current(today=days(0)) == old  # the latest that ended
    upcoming = Regulation.objects.create(**regulation_data(
        number="03", signed_on=days(-10), effective_from=days(5)))
    assert selectors.regulation_current(today=days(0)) == upcoming
    current = Regulation.objects.create(**regulation_data(
        number="02", signed_on=days(-30), effective_from=days(-30), in_force_until=days(4)))
    assert selectors.regulation_current(today=days(0)) == current
    period = selectors.regulation_period(current, today=days(0))
    assert (period.start, period.end) == (days(-30), days(0))
    assert selectors.regulation_period(upcoming, today=days(0)) is None


def test_who_may_attend_a_meeting_on_a_day(compositions):
    names = lambda kind, day: [m.full_name for m in selectors.eligible_members(  # noqa: E731
        kind=kind, day=day)]
    assert names("steering", days(0)) == ["Trần Văn Quang", "Vũ Đình Khánh"]
    assert names("steering", days(-11)) == ["Trần Văn Quang", "Vũ Đình Khánh", "Mai Thị Hoa"]
    assert names("steering", days(-800)) == ["Đinh Quang Vinh"]
    assert names("working_group", days(0)) == ["Hoàng Thị Thu Hằng", "Lê Thu Hà"]
    assert set(names("joint", days(0))) == {"Trần Văn Quang", "Vũ Đình Khánh",
                                            "Hoàng Thị Thu Hằng", "Lê Thu Hà"}
    assert names("steering", None) == []
    # A member already chosen stays offered, so a correction never drops them silently.
    kept = compositions["members"]["Mai Thị Hoa"]
    assert "Mai Thị Hoa" in [m.full_name for m in selectors.eligible_members(
        kind="steering", day=days(0), keep=[str(kept.pk)])]


def test_conclusions_by_state_agree_with_the_rule(compositions, plans, pc_officer):
    meeting = make_meeting(compositions, held_on=days(-20))
    late_task = add_conclusion(meeting, pc_officer, due_on=days(-20), make_task=True)
    add_conclusion(meeting, pc_officer, due_on=soon(3), make_task=True)  # open
    add_conclusion(meeting, pc_officer, due_on=days(-1))  # late, no task
    add_conclusion(meeting, pc_officer, due_on=soon(3))  # no task yet
    from coordination.plans import services as plan_services

    done = add_conclusion(meeting, pc_officer, due_on=days(-19), make_task=True)
    plan_services.task_progress_update(actor=pc_officer, task=done.task, status="done",
                                       completed_on=days(-2))
    today = days(0)
    meeting = selectors.meeting_get(access=access_for(pc_officer), pk=meeting.pk, today=today)
    states = {c.pk: c.state for c in meeting.conclusion_items}
    assert sorted(states.values()) == sorted([rules.LATE, rules.OPEN, rules.LATE,
                                              rules.NO_TASK, rules.DONE])
    assert (meeting.n_done, meeting.n_late) == (1, 2)
    for state, wanted in (("overdue", {rules.LATE}), ("done", {rules.DONE}),
                          ("open", {rules.OPEN, rules.NO_TASK})):
        pks = set(selectors.conclusion_queryset(state=state, today=today)
                  .values_list("pk", flat=True))
        assert pks == {pk for pk, s in states.items() if s in wanted}, state
    assert late_task.pk in states
