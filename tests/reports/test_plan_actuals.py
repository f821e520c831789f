"""One actual per plan target: the plan's page, the dashboard and the report
workbook show the same figure (coordination.plans.selectors.target_actuals),
for a zone's target and for a province-wide one."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation

from coordination.models import CoordinationPlan
from coordination.plans.rules import TARGET_STATES
from core.indicators import Scope, get
from core.periods import Period
from reports.workbook import TARGET_STATES as WORKBOOK_STATES
from reports.workbook import write_report
from tests.coordination.factories import make_plan

from .factories import THIS_YEAR, YEAR
from .support import chart_data, page, plan_tables

pytestmark = pytest.mark.django_db


def test_the_plan_page_the_dashboard_and_the_workbook_show_the_same_actuals(client, pc_leader,
                                                                            data):
    zone_a = data["zone_a"]
    plan = make_plan(status=CoordinationPlan.Status.APPROVED,
                     targets=[("members", None, 40), ("members", zone_a, 20),
                              ("members_new", zone_a, 2)])
    members = get("members")
    expected = [members.compute(Scope.province(), THIS_YEAR),
                members.compute(Scope.zone(zone_a.pk), THIS_YEAR),
                get("members_new").compute(Scope.zone(zone_a.pk), THIS_YEAR)]
    assert all(expected) and expected[0] > expected[1]

    client.force_login(pc_leader)
    response = client.get(reverse("coordination:plan_detail", args=[plan.pk]))
    on_the_plan_page = [p.actual for p in response.context["progress"]]

    chart = chart_data(page(client, pc_leader), "plan")
    on_the_dashboard = [int(detail.split(" / ")[0]) for detail in chart["details"]]

    buffer = io.BytesIO()
    write_report(buffer, period=THIS_YEAR)
    _header, targets, _task_header, _tasks = plan_tables(buffer.getvalue())
    in_the_workbook = [row[4] for row in targets]

    assert on_the_plan_page == on_the_dashboard == in_the_workbook == expected

    # And the same judgement (a stock from its figure on 1 January), the
    # workbook of the year so far judging on today too.
    states = [p.state for p in response.context["progress"]]
    assert [p.is_stock for p in response.context["progress"]] == [True, True, False]
    with translation.override("vi"):
        labels = {str(label): state for state, label in TARGET_STATES.items()}
    assert [labels[detail.rsplit(" · ", 1)[1]] for detail in chart["details"]] == states
    by_workbook = {label: state for state, label in WORKBOOK_STATES.items()}
    assert [by_workbook[row[7]] for row in targets] == states
    baselines = [p.baseline for p in response.context["progress"]]
    assert [row[6] for row in targets] == baselines
    assert baselines[:2] == [members.compute(Scope.province(), Period.of("year", YEAR - 1)),
                             members.compute(Scope.zone(zone_a.pk), Period.of("year", YEAR - 1))]
