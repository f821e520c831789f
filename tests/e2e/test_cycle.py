"""The regulation's working cycle in a real browser.

A Party Committee officer records a joint conference: choosing its kind
reloads the members who may attend (both compositions, by htmx); a
conclusion is made a plan task in the same step, and the task's page says
which meeting it came from. An IZ Board officer records a letter its body
sends, and the list flags a reply overdue. Locators use ids and data-testid
attributes, so the test holds whatever the interface language.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coordination.cycle import services as cycle_services
from coordination.cycle.models import Correspondence, Meeting
from coordination.models import CoordinationPlan
from coordination.plans import services as plan_services
from tests.coordination.factories import make_plan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def cycle_world(pc_officer, pc_leader, iz_officer):
    for kind, number, names in (("steering", "45-QĐ/ĐUK", ["Trần Văn Quang", "Vũ Đình Khánh"]),
                                ("working_group", "03-QĐ/BCĐ", ["Lê Thu Hà"])):
        plan_services.committee_create(data={
            "kind": kind, "name": kind, "decision_number": number,
            "decided_on": TODAY - timedelta(days=400), "term_start": TODAY - timedelta(days=400)},
            members=[{"full_name": name, "organization": "Đảng ủy Khối", "title": "",
                      "position": "member", "body": "party_committee"} for name in names])
    make_plan(YEAR, status=CoordinationPlan.Status.APPROVED)
    cycle_services.correspondence_create(data={
        "direction": "pc_to_iz", "number": "15-CV/ĐUK", "dated": TODAY - timedelta(days=9),
        "subject": "Đề nghị báo cáo", "reply_due_on": TODAY - timedelta(days=2)})


def test_a_joint_conference_and_its_conclusion_made_a_task(page, signed_in, screenshot,
                                                           cycle_world, pc_officer, iz_officer):
    signed_in(pc_officer.username)
    page.goto("/party-development/meetings/new/?kind=steering")
    expect(page.get_by_test_id("attendee-group")).to_have_count(1)
    page.select_option("#id_kind", "joint")
    expect(page.get_by_test_id("attendee-group")).to_have_count(2)
    held = TODAY - timedelta(days=1)
    page.fill("#id_held_on", held.strftime("%d/%m/%Y"))
    page.fill("#id_title", "Hội nghị liên tịch sơ kết")
    page.fill("#id_place", "Hội trường Ban Quản lý")
    page.fill("#id_agenda", "Sơ kết thực hiện Quy chế phối hợp")
    page.locator("input[name=attendees]").nth(0).check()
    page.locator("input[name=attendees]").nth(2).check()
    page.select_option("select[name=chair]", index=1)
    screenshot("cycle-meeting-form")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("meeting-title")).to_have_text("Hội nghị liên tịch sơ kết")
    meeting = Meeting.objects.get()
    assert meeting.attendees.count() == 2

    due = min(TODAY + timedelta(days=5), date(YEAR, 12, 31))
    page.fill("#id_conclusion-text", "Khảo sát doanh nghiệp FDI chưa có tổ chức đảng")
    page.select_option("#id_conclusion-lead_side", "iz_board")
    page.select_option("#id_conclusion-owner", str(iz_officer.pk))
    page.fill("#id_conclusion-due_on", due.strftime("%d/%m/%Y"))
    page.get_by_test_id("conclusion-submit").click()
    row = page.get_by_test_id("conclusion-row")
    expect(row).to_have_attribute("data-state", "open")
    screenshot("cycle-meeting")
    row.get_by_test_id("conclusion-task").click()
    expect(page.get_by_test_id("task-meeting")).to_have_text("Hội nghị liên tịch sơ kết")


def test_an_iz_officer_records_its_bodys_letter_and_sees_the_overdue_reply(page, signed_in,
                                                                           screenshot, cycle_world,
                                                                           iz_officer):
    signed_in(iz_officer.username)
    page.goto("/party-development/correspondence/")
    overdue = page.locator('[data-testid="letter-row"][data-status="overdue"]')
    expect(overdue).to_have_count(1)
    page.get_by_test_id("add-letter").click()
    page.select_option("#id_direction", "iz_to_pc")
    page.fill("#id_number", "112/BQL-QLDN")
    page.fill("#id_subject", "Báo cáo kết quả làm việc với chủ doanh nghiệp")
    page.select_option("#id_in_reply_to", index=1)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("letter-number")).to_have_text("112/BQL-QLDN")
    page.goto("/party-development/correspondence/")
    expect(overdue).to_have_count(0)
    screenshot("cycle-correspondence")
    assert Correspondence.objects.get(number="15-CV/ĐUK").reply.number == "112/BQL-QLDN"
