"""The working cycle's figures (coordination.cycle.indicators): meetings
held, conclusions done and overdue, replies overdue, over a span of days
relative to today; the values are worked out by hand in the comments."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.cycle import services
from coordination.plans import services as plan_services
from core import indicators
from core.indicators import CATALOGUE, INDICATORS, Scope, compute_many, compute_many_by_zone
from core.periods import SPAN, Period

from .conftest import add_conclusion, days, make_letter, make_meeting

pytestmark = pytest.mark.django_db

CODES = ("meetings_held", "conclusions_done", "conclusions_overdue", "replies_overdue")


def test_they_are_known_by_code_but_not_rows_of_the_report_catalogue():
    assert len(CATALOGUE) == 18
    for code in CODES:
        indicator = INDICATORS[code]
        assert not indicator.in_catalogue and indicator not in CATALOGUE
        assert indicator.zone is None and indicator.is_grouped
    assert INDICATORS["meetings_held"].kind == indicators.FLOW
    assert INDICATORS["replies_overdue"].kind == indicators.STOCK


def test_a_catalogue_indicator_needs_its_position():
    with pytest.raises(ValueError):
        indicators.register(code="no_position", label="x", description="x",
                            kind=indicators.FLOW)(lambda period: None)
    assert "no_position" not in INDICATORS


def test_a_span_of_days_is_a_period_without_a_place_in_the_year():
    span = Period.span(days(-60), days(-10))
    assert span.kind == SPAN and span.code == f"{days(-60).isoformat()}..{days(-10).isoformat()}"
    assert span.label == f"từ {days(-60):%d/%m/%Y} đến {days(-10):%d/%m/%Y}"
    assert span.so_far(days(-30)).end == days(-30)
    with pytest.raises(ValueError):
        _ = span.index
    # Its previous period: as many days just before it (51 days here).
    assert span.previous() == Period.span(days(-111), days(-61))


@pytest.fixture
def cycle(compositions, plans, pc_officer):
    """Meetings on days -100, -50, -20 and 0; conclusions of the first,
    all due on day -40 unless said; letters dated day -30 unless said."""
    meetings = [make_meeting(compositions, held_on=days(n)) for n in (-100, -50, -20, 0)]
    first = meetings[0]

    def conclusion(due, *, task=None, completed=None, cancelled=0):
        made = add_conclusion(first, pc_officer, due_on=days(due), make_task=task is not None)
        if task == "done":
            plan_services.task_progress_update(actor=pc_officer, task=made.task, status=task,
                                               completed_on=days(completed))
        elif task == "cancelled":
            # Cancelled on day ``cancelled`` (the day it is recorded).
            moment = datetime.combine(days(cancelled), time(10),
                                      tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
            with time_machine.travel(moment, tick=False):
                plan_services.task_progress_update(actor=pc_officer, task=made.task,
                                                   status=task)
        return made

    conclusion(-40, task="done", completed=-30)   # c1: done within; not overdue at -10
    conclusion(-40, task="done", completed=-5)    # c2: done after -10: overdue at -10
    conclusion(-40, task="open")                  # c3: overdue
    conclusion(-40)                               # c4: not a task, overdue
    conclusion(-5)                                # c5: not due by -10
    conclusion(-40, task="cancelled")             # c6: cancelled today: overdue at -10
    conclusion(-12, task="done", completed=-11)   # c7: done within
    conclusion(-40, task="cancelled", cancelled=-20)  # c8: cancelled by -10: never counted
    replied = dict(dated=days(-30), reply_due_on=days(-20))
    make_letter(number="1", **replied)                                       # l1: overdue
    services.correspondence_record_reply(letter=make_letter(number="2", **replied),
                                         replied_on=days(-5))                # l2: at -10 yes
    services.correspondence_record_reply(letter=make_letter(number="3", **replied),
                                         replied_on=days(-15))               # l3: no
    make_letter(number="4", dated=days(-30), reply_due_on=days(-10))         # l4: due at -10
    make_letter(number="5", dated=days(-30))                                 # l5: no reply due
    make_letter(number="6", dated=days(-5), reply_due_on=days(-3))           # l6: later
    return meetings


def test_the_figures_over_a_span_worked_out_by_hand(cycle):
    span = Period.span(days(-60), days(-10))
    figures = compute_many([(code, span) for code in CODES], Scope.province())
    assert figures == {
        ("meetings_held", span): 2,        # days -50 and -20
        ("conclusions_done", span): 2,     # c1 (day -30), c7 (day -11)
        ("conclusions_overdue", span): 4,  # c2, c3, c4, c6 (cancelled later)
        ("replies_overdue", span): 2,      # l1, l2
    }
    today = Period.span(days(-100), days(0))
    figures = compute_many([(code, today) for code in CODES], Scope.province())
    assert figures == {
        ("meetings_held", today): 4,
        ("conclusions_done", today): 3,     # c1, c2, c7
        ("conclusions_overdue", today): 3,  # c3, c4, c5 (due day -5)
        ("replies_overdue", today): 3,      # l1, l4, l6
    }


def test_each_figure_alone_gives_the_same(cycle):
    span = Period.span(days(-60), days(-10))
    grouped = compute_many([(code, span) for code in CODES], Scope.province())
    for code in CODES:
        assert INDICATORS[code].compute(Scope.province(), span) == grouped[code, span]


def test_one_query_per_model_and_kind_whatever_the_periods(cycle):
    periods = [Period.span(days(-60), days(-10)), Period.span(days(-100), days(0)),
               Period.span(days(-5), days(0))]
    with CaptureQueriesContext(connection) as queries:
        compute_many([(code, p) for code in CODES for p in periods], Scope.province())
    # Meetings; conclusions done within (a flow) and overdue at the end (a
    # stock), apart; letters.
    assert len(queries) == 4


def test_rows_of_no_zone_belong_to_the_province_only(cycle, zone_a):
    span = Period.span(days(-60), days(-10))
    assert INDICATORS["meetings_held"].compute(Scope.zone(zone_a.pk), span) == 0
    by_zone = compute_many_by_zone([(code, span) for code in CODES])
    assert by_zone[("meetings_held", span)] == {None: 2}
    assert by_zone[("replies_overdue", span)] == {None: 2}
    assert compute_many_by_zone([("meetings_held", span)], frozenset({zone_a.pk})) == {
        ("meetings_held", span): {}}


def test_a_task_of_a_plan_closed_by_then_is_history_not_overdue(compositions, plans,
                                                                pc_officer, pc_leader):
    meeting = make_meeting(compositions, held_on=days(-100))
    conclusion = add_conclusion(meeting, pc_officer, due_on=days(-40), make_task=True)
    before, now = Period.span(days(-60), days(-10)), Period.span(days(-60), days(0))
    overdue = INDICATORS["conclusions_overdue"]
    assert overdue.compute(Scope.province(), now) == 1
    plan_services.plan_close(actor=pc_leader, plan=conclusion.task.plan)
    assert overdue.compute(Scope.province(), now) == 0
    assert overdue.compute(Scope.province(), before) == 1  # it was open then
