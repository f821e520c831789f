"""Annual coordination plans in a real browser.

A Party Committee leader approves a draft plan (confirming the dialog) and
the plan page shows each target's actual exactly as the indicator catalogue
computes it; an IZ Board officer records the progress of an IZ-side task with
a file, and is offered no other task. Locators use ids and data-testid
attributes, so the test holds whatever the interface language.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coordination.models import CoordinationPlan, PlanTask
from coordination.plans import services
from core.attachments import attachments_of
from tests.coordination.factories import make_member
from tests.enterprises.factories import EnterpriseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
YEAR = TODAY.year
Side = PlanTask.LeadSide
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan_world(zone_a, zone_b, pc_officer, pc_leader, iz_officer):
    """Enterprises and members of this year, last year's closed plan and this
    year's draft with province and zone targets and tasks of both sides."""
    for i in range(6):
        enterprise = EnterpriseFactory(zone=zone_a if i % 3 else zone_b,
                                       name=f"Công ty TNHH Điện tử Hòa Xá số {i + 1}")
        for j in range(i % 3 + 1):
            make_member(enterprise=enterprise,
                        admitted_on=min(TODAY, date(YEAR, 1 + (i + j) % 10, 5)))
    last = services.plan_create(data={"year": YEAR - 1, "title": f"Kế hoạch phối hợp năm {YEAR - 1}",
                                   "document_number": "03-KH/ĐUK-BQL"})
    services.target_create(plan=last, data={"indicator": "members_new", "zone": None,
                                         "target_value": 8, "note": ""})
    services.plan_approve(actor=pc_leader, plan=last)
    services.plan_close(actor=pc_leader, plan=last)
    draft = services.plan_create(data={
        "year": YEAR, "title": f"Kế hoạch phối hợp phát triển đảng viên trong doanh nghiệp các "
                               f"khu công nghiệp năm {YEAR}",
        "document_number": "05-KH/ĐUK-BQL", "signed_on": date(YEAR, 1, 1)})
    for indicator, zone, value in (("members_new", None, 12), ("members", zone_a, 10),
                                   ("enterprises", zone_b, 3)):
        services.target_create(plan=draft, data={"indicator": indicator, "zone": zone,
                                              "target_value": value, "note": ""})
    tasks = {
        "iz": services.task_create(plan=draft, data={
            "content": "Khảo sát tình hình công đoàn, đoàn thanh niên tại doanh nghiệp FDI",
            "lead_side": Side.IZ_BOARD, "coordinating_units": "Công đoàn các KCN",
            "owner": iz_officer, "due_on": TODAY + timedelta(days=20)}),
        "pc": services.task_create(plan=draft, data={
            "content": "Mở lớp bồi dưỡng nhận thức về Đảng cho quần chúng ưu tú",
            "lead_side": Side.PARTY_COMMITTEE, "coordinating_units": "",
            "owner": pc_officer, "due_on": TODAY - timedelta(days=3)}),
        "both": services.task_create(plan=draft, data={
            "content": "Đối thoại với chủ doanh nghiệp về thành lập tổ chức đảng",
            "lead_side": Side.BOTH, "coordinating_units": "Hiệp hội doanh nghiệp",
            "owner": iz_officer, "due_on": TODAY + timedelta(days=40)}),
    }
    return {"draft": draft, "last": last, "tasks": tasks}


def _watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def _expected_actuals(plan) -> dict[str, str]:
    from core.indicators import Scope, get
    from core.periods import Period

    period = Period.of("year", plan.year).so_far(timezone.localdate())
    return {f"{t.indicator}:{t.zone_id or ''}": str(get(t.indicator).compute(
        Scope.zone(t.zone_id) if t.zone_id else Scope.province(), period))
        for t in plan.targets.all()}


def test_a_leader_approves_a_draft_and_actuals_match_the_catalogue(page, signed_in, screenshot,
                                                                   pc_leader, plan_world):
    errors = _watch_console(page)
    draft = plan_world["draft"]
    signed_in("pc_leader")
    page.goto("/party-development/plans/")
    expect(page.get_by_test_id("plan-row")).to_have_count(2)
    expect(page.locator(f'[data-testid="plan-row"][data-year="{YEAR}"] '
                        '[data-testid="plan-status"]')).to_have_attribute("data-status", "draft")
    screenshot("plans-list-leader")
    page.locator(f'[data-testid="plan-row"][data-year="{YEAR}"] a').first.click()
    page.wait_for_url(re.compile(rf"/plans/{draft.pk}/$"))
    expect(page.get_by_test_id("draft-notice")).to_be_visible()

    # The confirmation dialog: dismissed first (nothing happens), then accepted.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("plan-status")).to_have_attribute("data-status", "draft")
    draft.refresh_from_db()
    assert draft.is_draft
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("approve").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("plan-status")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("approved-by")).to_contain_text(pc_leader.get_full_name())
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == ("approved", pc_leader)

    expected = _expected_actuals(draft)
    rows = page.get_by_test_id("target-row")
    expect(rows).to_have_count(3)
    shown = {}
    for i in range(3):
        row = rows.nth(i)
        key = f"{row.get_attribute('data-indicator')}:{row.get_attribute('data-zone')}"
        shown[key] = row.get_by_test_id("target-actual").inner_text().strip()
    assert shown == expected
    assert expected["members_new:"] != "0"
    # Progress bars got their width from data-width (no inline style in the HTML).
    bar = rows.first.locator(".progress-bar")
    assert bar.evaluate("el => el.style.width").endswith("%")
    expect(page.get_by_test_id("close")).to_be_visible()
    expect(page.get_by_test_id("update-task")).to_have_count(0)
    screenshot("plan-detail-leader")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.reload()
    screenshot("plan-detail-leader-tablet")
    assert errors == []


def test_an_iz_officer_updates_an_iz_side_task(page, signed_in, screenshot, pc_leader, iz_officer,
                                               plan_world, tmp_path):
    errors = _watch_console(page)
    draft, tasks = plan_world["draft"], plan_world["tasks"]
    services.plan_approve(actor=pc_leader, plan=draft)
    signed_in("iz_officer")
    page.goto(draft.get_absolute_url())
    # Offered: the IZ Board's task and the shared one, not the Party Committee's.
    offered = page.locator('[data-testid="task"]:has([data-testid="update-task"])')
    expect(offered).to_have_count(2)
    expect(page.locator(f'[data-testid="task"][data-task="{tasks["pc"].pk}"] '
                        '[data-testid="update-task"]')).to_have_count(0)
    expect(page.locator(f'[data-testid="task"][data-task="{tasks["pc"].pk}"]')) \
        .to_have_attribute("data-overdue", "yes")
    # Zone B's target is outside this officer's zones.
    expect(page.get_by_test_id("target-row")).to_have_count(2)
    screenshot("plan-detail-iz")

    page.locator(f'[data-testid="task"][data-task="{tasks["iz"].pk}"] '
                 '[data-testid="update-task"]').click()
    page.wait_for_url(re.compile(rf"/plans/tasks/{tasks['iz'].pk}/#progress$"))
    form = page.get_by_test_id("progress-form")
    form.locator("#id_status").select_option("done")
    form.locator("#id_completed_on").fill(TODAY.strftime("%d/%m/%Y"))
    form.locator("#id_result").fill("Đã khảo sát 18 doanh nghiệp FDI; 12 doanh nghiệp có công "
                                    "đoàn, 7 doanh nghiệp có tổ chức Đoàn.")
    report = tmp_path / "bao-cao-khao-sat.pdf"
    report.write_bytes(PDF)
    form.locator("#id_attachments").set_input_files(str(report))
    form.get_by_test_id("progress-submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("task-status")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("completed-on")).to_have_text(TODAY.strftime("%d/%m/%Y"))
    expect(page.get_by_test_id("files")).to_contain_text("bao-cao-khao-sat.pdf")
    task = PlanTask.objects.get(pk=tasks["iz"].pk)
    assert (task.status, task.completed_on) == ("done", TODAY)
    assert attachments_of(task).get().uploaded_by == iz_officer
    screenshot("task-detail-iz")

    # The Party Committee's task: readable, no form (its progress URL answers 404:
    # tests/coordination/plans/test_views.py).
    page.goto(f"/party-development/plans/tasks/{tasks['pc'].pk}/")
    expect(page.get_by_test_id("task-content")).to_be_visible()
    expect(page.get_by_test_id("progress-form")).to_have_count(0)
    page.goto("/party-development/plans/tasks/?mine=on")
    expect(page.get_by_test_id("task-row")).to_have_count(2)
    screenshot("task-list-iz")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"/party-development/plans/tasks/{tasks['both'].pk}/")
    screenshot("task-detail-iz-tablet")
    assert [e for e in errors if "status of 40" not in e] == [], errors
    assert CoordinationPlan.objects.get(pk=draft.pk).status == "approved"
