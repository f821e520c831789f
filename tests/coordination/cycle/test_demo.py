"""seed_demo's working cycle: the regulation signed on 24 September of last
year, a year of meetings whose conclusions became tasks (done once due, one
left overdue), letters with one reply overdue; the same for the same day."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.policy import access_for
from coordination.cycle import rules, selectors
from coordination.cycle.models import Conclusion, Correspondence, Meeting, Regulation
from coordination.models import Committee
from tests.seeded_demo import seed_demo

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Meeting.objects.order_by("held_on").values_list("kind", "held_on", "title",
                                                              "chair__full_name")),
        list(Conclusion.objects.order_by("meeting__held_on", "order").values_list(
            "text", "owner__username", "due_on", "task__status", "task__completed_on")),
        list(Correspondence.objects.order_by("dated", "number").values_list(
            "direction", "number", "dated", "reply_due_on", "replied_on", "reply__number")),
    )


def test_the_demo_regulation_and_its_cycle():
    seed_demo()
    today = timezone.localdate()
    regulation = Regulation.objects.get()
    assert (regulation.number, regulation.signed_on) == ("01-QC/ĐUK-BQL",
                                                         date(today.year - 1, 9, 24))
    assert regulation.is_in_force_on(today)
    # Members of both bodies in the compositions.
    bodies = set(Committee.objects.values_list("members__body", flat=True))
    assert {"party_committee", "iz_board", "other"} <= bodies
    meetings = list(Meeting.objects.all())
    assert {m.kind for m in meetings} >= {"joint", "steering"}
    assert all(m.held_on <= today and m.attendees.exists() for m in meetings)
    conclusions = list(Conclusion.objects.select_related("task", "task__plan"))
    assert conclusions and all(c.task is not None for c in conclusions)
    assert all(c.task.plan.year == c.due_on.year == today.year for c in conclusions)
    states = [rules.conclusion_state(c, today) for c in conclusions]
    if today >= date(today.year, 10, 1):  # by October the one left open is overdue
        assert states.count(rules.LATE) == 1
        assert states.count(rules.DONE) >= 5
    letters = list(Correspondence.objects.all())
    statuses = [rules.reply_status(letter, today) for letter in letters]
    assert statuses.count(rules.OVERDUE) == 1
    assert rules.AWAITING in statuses and rules.ANSWERED in statuses
    # The IZ officer of zone HX sees the overdue one (an enterprise of its zone).
    officer = access_for(User.objects.get(username="canbo.bql"))
    overdue = selectors.correspondence_list(access=officer, today=today, status="overdue")
    assert overdue.count() == 1


def test_the_demo_cycle_is_the_same_for_the_same_day():
    from django.db import transaction

    with transaction.atomic():
        seed_demo()  # seeded once for the tests (tests/seeded_demo.py)
        first = _snapshot()
        transaction.set_rollback(True)
    call_command("seed_demo")
    assert _snapshot() == first
