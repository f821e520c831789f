"""One actual per plan target: the plan's page, the dashboard and the report
workbook show the same figure (coordination.plans.selectors.target_actuals),
for a zone's target and for a province-wide one."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from coordination.models import CoordinationPlan
from core.indicators import Scope, get
from reports.workbook import write_report
from tests.coordination.factories import make_plan

from .factories import THIS_YEAR
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
