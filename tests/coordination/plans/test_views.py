"""Committee and plan pages: who may open each one (anonymous, every role,
objects out of scope), what they show, the forms through the services, and
query counts that do not grow with the data.

Labels are read in English (the "lang" cookie) or not at all: assertions look
for numbers and data-testid attributes.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from coordination.models import Committee, CoordinationPlan, PlanTarget, PlanTask
from coordination.plans import selectors, services
from coordination.plans import views as plan_views
from core.attachments import attachments_of
from tests.coordination.factories import add_task, make_member, make_plan
from tests.enterprises.factories import EnterpriseFactory
from tests.pages import field_feedback

from .conftest import TODAY, Side, by_testid, doc, make_committees

pytestmark = pytest.mark.django_db

Status = PlanTask.Status
ROLES = ("pc_officer", "pc_leader", "iz_officer", "iz_leader", "administrator")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def committees(pc_officer):
    return make_committees()


# --- Access: every view, every role: test_access.py ------------------------------------------


@pytest.mark.parametrize("name", ["plan_detail", "plan_update", "target_create",
                                  "task_create", "task_detail", "task_update",
                                  "target_update", "committee_detail", "committee_update"])
def test_missing_objects_answer_404(client, pc_officer, name):
    client.force_login(pc_officer)
    assert client.get(reverse(f"coordination:{name}", args=[987654])).status_code == 404


@pytest.mark.parametrize("name", ["plan_approve", "plan_close", "plan_copy", "target_delete",
                                  "task_delete"])
def test_actions_are_post_only(client, pc_leader, pc_officer, plan_data, name):
    client.force_login(pc_leader if name in ("plan_approve", "plan_close") else pc_officer)
    assert client.get(reverse(f"coordination:{name}", args=[plan_data["draft"].pk])
                      ).status_code == 405


def test_a_target_of_another_zone_is_out_of_scope(client, plan_data, iz_officer, pc_officer):
    """The IZ officer of zone A sees the province target and zone A's, not zone B's."""
    client.force_login(iz_officer)
    response = client.get(plan_data["current"].get_absolute_url())
    rows = by_testid(response, "target-row")
    assert [(r.get("data-indicator"), bool(r.get("data-zone"))) for r in rows] == [
        ("members_new", False), ("enterprises_with_party_org", True)]
    client.force_login(pc_officer)
    response = client.get(plan_data["current"].get_absolute_url())
    assert len(by_testid(response, "target-row")) == 3


def test_the_target_selector_hides_other_zones_and_drafts(plan_data, iz_officer, zone_b):
    from django.http import Http404

    from accounts.policy import access_for

    zone_b_target = plan_data["current"].targets.get(zone=zone_b)
    with pytest.raises(Http404):
        selectors.target_get(access=access_for(iz_officer), pk=zone_b_target.pk)
    with pytest.raises(Http404):
        selectors.target_get(access=access_for(iz_officer), pk=plan_data["draft"].targets.get().pk)


# --- The plan page ---------------------------------------------------------------------------


def test_plan_detail_shows_computed_actuals_progress_and_grouped_tasks(as_user, plan_data,
                                                                       pc_officer, zone_a):
    from core.indicators import Scope, get
    from core.periods import Period

    year = plan_data["year"]
    # Admitted on 1 January, so the members exist whatever day of the year it is.
    for _ in range(3):
        make_member(enterprise=EnterpriseFactory(zone=zone_a), admitted_on=date(year, 1, 1))
    make_member(enterprise=EnterpriseFactory(zone=zone_a), admitted_on=date(year - 1, 6, 1))
    services.task_progress_update(actor=pc_officer, task=plan_data["tasks"]["pc"],
                               status=Status.DONE, completed_on=TODAY, result="Đã mở 2 lớp")
    response = as_user(pc_officer).get(plan_data["current"].get_absolute_url())
    assert response.status_code == 200
    page = doc(response)
    row = page.xpath('//*[@data-testid="target-row"][@data-indicator="members_new"]')[0]
    expected = get("members_new").compute(Scope.province(),
                                          Period.of("year", year).so_far(TODAY))
    assert expected == 3
    assert row.xpath('.//*[@data-testid="target-actual"]')[0].text_content().strip() == "3"
    assert row.xpath('.//*[@data-testid="target-percent"]')[0].text_content().strip() == "15%"
    assert row.xpath('.//*[@class and contains(@class, "progress-bar")]')[0].get(
        "data-width") == "15.0"
    # On track while 3 of 20 covers the share of the year gone by, today included
    # (3/20 of 365 days: until 24 February), behind afterwards.
    day_of_year = (TODAY - date(year, 1, 1)).days + 1
    days_in_year = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    assert row.get("data-state") == ("on_track" if 3 * days_in_year >= 20 * day_of_year
                                     else "behind")
    groups = {g.get("data-status"): [t.get("data-task") for t in
                                     g.xpath('.//*[@data-testid="task"]')]
              for g in page.xpath('//*[@data-testid="task-group"]')}
    tasks = plan_data["tasks"]
    assert groups == {"not_started": [str(tasks["both"].pk), str(tasks["iz"].pk)],
                      "done": [str(tasks["pc"].pk)]}
    overdue = page.xpath('//*[@data-testid="task"][@data-overdue="yes"]')
    assert [t.get("data-task") for t in overdue] == [str(tasks["both"].pk)]
    assert "list-group-item-danger" in overdue[0].get("class")
    assert by_testid(response, "plan-overdue")[0].text_content().strip().startswith("1")
    # Every task is workable by a Party Committee officer; approval is the leader's.
    assert len(by_testid(response, "update-task")) == 3
    assert not by_testid(response, "approve") and not by_testid(response, "close")
    assert by_testid(response, "add-task") and not by_testid(response, "add-target")


def test_a_stock_target_shows_its_baseline_and_is_judged_from_it(client, pc_leader, zone_a):
    """1 July 2026 is day 182 of 365 (January to June have 181 days). Zone A
    had 4 members on 1 January and 5 since March."""
    moment = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        enterprise = EnterpriseFactory(zone=zone_a)
        for _ in range(4):
            make_member(enterprise=enterprise, admitted_on=date(2025, 5, 1))
        make_member(enterprise=enterprise, admitted_on=date(2026, 3, 1))
        plan = make_plan(2026, status=CoordinationPlan.Status.APPROVED, targets=[
            ("members", zone_a, 6), ("members", None, 7), ("members_new", zone_a, 2)])
        client.force_login(pc_leader)
        client.cookies["lang"] = "en"
        response = client.get(plan.get_absolute_url())
        client.cookies["lang"] = "vi"
        in_vietnamese = client.get(plan.get_absolute_url())
    rows = {(row.get("data-indicator"), row.get("data-zone")): row
            for row in by_testid(response, "target-row")}

    def cell(key, name):
        return rows[key].xpath(f'.//*[@data-testid="{name}"]')[0]

    zone_stock, province_stock, flow = (("members", str(zone_a.pk)), ("members", ""),
                                        ("members_new", str(zone_a.pk)))
    for key in (zone_stock, province_stock):
        assert cell(key, "target-kind").get("data-kind") == "stock"
        assert cell(key, "target-baseline").text_content().strip() == "4"
        assert cell(key, "target-actual").text_content().strip() == "5"
    # 4 + (6 − 4) × 182/365 = 4.997: 5 is on track, and is what is needed.
    assert rows[zone_stock].get("data-state") == "on_track"
    assert cell(zone_stock, "target-needed").text_content().split()[1] == "5"
    # 4 + (7 − 4) × 182/365 = 5.496: 5 is behind (prorated like a flow, 7 ×
    # 182/365 = 3.49 would have called it on track); 6 is needed.
    assert rows[province_stock].get("data-state") == "behind"
    assert cell(province_stock, "target-needed").text_content().split()[1] == "6"
    # The flow, from 0: 2 × 182/365 = 0.997, and 1 admitted since January.
    assert cell(flow, "target-kind").get("data-kind") == "flow"
    assert not any(char.isdigit() for char in cell(flow, "target-baseline").text_content())
    assert cell(flow, "target-actual").text_content().strip() == "1"
    assert rows[flow].get("data-state") == "on_track"
    assert "31/12/2025" in by_testid(response, "target-rules")[0].text_content()
    page = doc(in_vietnamese)
    assert "Đầu năm" in page.xpath('//*[@data-testid="target-table"]//thead')[0].text_content()
    assert "Số lượng tại thời điểm" in page.xpath(
        '//*[@data-testid="target-row"]//*[@data-testid="target-kind"]')[0].text_content()


def test_an_iz_officer_is_offered_only_the_iz_boards_tasks(as_user, plan_data, iz_officer):
    response = as_user(iz_officer).get(plan_data["current"].get_absolute_url())
    offered = {b.xpath("ancestor::*[@data-testid='task']")[0].get("data-task")
               for b in by_testid(response, "update-task")}
    tasks = plan_data["tasks"]
    assert offered == {str(tasks["iz"].pk), str(tasks["both"].pk)}
    assert not by_testid(response, "edit-plan") and not by_testid(response, "add-task")


def test_a_leader_sees_approve_on_a_draft_and_close_on_an_approved_plan(as_user, plan_data,
                                                                        pc_leader):
    client = as_user(pc_leader)
    draft = client.get(plan_data["draft"].get_absolute_url())
    assert by_testid(draft, "approve")[0].get("data-confirm")
    assert by_testid(draft, "draft-notice")
    current = client.get(plan_data["current"].get_absolute_url())
    assert by_testid(current, "close")[0].get("data-confirm")
    assert not by_testid(current, "approve") and not by_testid(current, "update-task")
    assert "pc_leader" in by_testid(current, "approved-by")[0].text_content() or \
        pc_leader.get_full_name() in by_testid(current, "approved-by")[0].text_content()


def test_a_leader_approves_and_closes_through_the_pages(client, plan_data, pc_leader):
    client.force_login(pc_leader)
    draft = plan_data["draft"]
    response = client.post(reverse("coordination:plan_approve", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == ("approved", pc_leader)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    # Twice: refused with a message, nothing changes.
    approved_at = draft.approved_at
    response = client.post(reverse("coordination:plan_approve", args=[draft.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    draft.refresh_from_db()
    assert draft.approved_at == approved_at
    client.post(reverse("coordination:plan_close", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "closed"


def test_an_empty_draft_is_not_approved_from_the_page(client, pc_leader):
    plan = make_plan(2031)
    client.force_login(pc_leader)
    response = client.post(reverse("coordination:plan_approve", args=[plan.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    plan.refresh_from_db()
    assert plan.is_draft


# --- Plan, target and task forms ---------------------------------------------------------------


def test_create_a_plan_and_a_duplicate_year_is_refused_on_its_field(as_user, pc_officer):
    client = as_user(pc_officer)
    response = client.get(reverse("coordination:plan_create"))
    assert response.context["form"].initial["year"] == TODAY.year
    response = client.post(reverse("coordination:plan_create"), {
        "year": 2031, "title": "  Kế hoạch phối hợp năm 2031 ", "document_number": "",
        "signed_on": "", "summary": ""})
    plan = CoordinationPlan.objects.get(year=2031)
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.title, plan.status) == ("Kế hoạch phối hợp năm 2031", "draft")
    response = client.post(reverse("coordination:plan_create"), {
        "year": 2031, "title": "Again", "signed_on": ""})
    assert response.status_code == 200
    assert field_feedback(response.content.decode(), "year")
    response = client.post(reverse("coordination:plan_create"), {
        "year": 2032, "title": "Signed ahead", "signed_on": "01/01/2099"})
    assert field_feedback(response.content.decode(), "signed_on")
    assert CoordinationPlan.objects.count() == 1
    response = client.get(reverse("coordination:plan_create"))
    assert response.context["form"].initial["year"] == TODAY.year


def test_the_year_of_an_approved_plan_is_shown_but_not_editable(as_user, plan_data,
                                                                pc_officer):
    client = as_user(pc_officer)
    plan = plan_data["current"]
    url = reverse("coordination:plan_update", args=[plan.pk])
    assert client.get(url).context["form"].fields["year"].disabled
    response = client.post(url, {"year": plan.year + 5, "title": "Đã sửa",
                                 "document_number": "05-KH/ĐUK-BQL", "signed_on": "",
                                 "summary": ""})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.year, plan.title) == (plan_data["year"], "Đã sửa")
    closed = plan_data["past"]
    response = client.get(reverse("coordination:plan_update", args=[closed.pk]))
    assert response.status_code == 302 and response["Location"] == closed.get_absolute_url()


def test_add_a_target_from_the_catalogue(as_user, plan_data, pc_officer, zone_a):
    client = as_user(pc_officer)
    draft = plan_data["draft"]
    url = reverse("coordination:target_create", args=[draft.pk])
    choices = [c for c, _l in client.get(url).context["form"].fields["indicator"].choices]
    assert "members_new" in choices and "enterprises_without_party_org" not in choices
    response = client.post(url, {"indicator": "candidates_course_completed",
                                 "zone": zone_a.pk, "target_value": "40", "note": ""})
    assert response.status_code == 302
    assert draft.targets.filter(indicator="candidates_course_completed", zone=zone_a,
                                target_value=40).exists()
    # Twice for the same scope: the constraint's message lands on the form.
    response = client.post(url, {"indicator": "candidates_course_completed",
                                 "zone": zone_a.pk, "target_value": "41"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"indicator": "members", "zone": "", "target_value": "0"})
    assert field_feedback(response.content.decode(), "target_value")


def test_targets_of_an_approved_plan_are_not_editable_from_the_pages(client, plan_data,
                                                                     pc_officer):
    client.force_login(pc_officer)
    target = plan_data["current"].targets.first()
    for url in (reverse("coordination:target_create", args=[plan_data["current"].pk]),
                reverse("coordination:target_update", args=[target.pk])):
        response = client.post(url, {"indicator": "members", "zone": "", "target_value": 99})
        assert response.status_code == 302
    response = client.post(reverse("coordination:target_delete", args=[target.pk]),
                           follow=True)
    assert set(m.level_tag for m in response.context["messages"]) == {"error"}
    assert PlanTarget.objects.filter(pk=target.pk, target_value=target.target_value).exists()
    assert plan_data["current"].targets.count() == 3


def test_add_a_task_and_the_owner_rule_shows_on_its_field(as_user, plan_data, pc_officer,
                                                          iz_officer):
    client = as_user(pc_officer)
    plan = plan_data["current"]
    url = reverse("coordination:task_create", args=[plan.pk])
    data = {"content": "Tổ chức đối thoại", "lead_side": Side.PARTY_COMMITTEE,
            "coordinating_units": "Công đoàn các KCN", "owner": iz_officer.pk,
            "due_on": f"30/09/{plan.year}"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert field_feedback(response.content.decode(), "owner")
    response = client.post(url, {**data, "owner": pc_officer.pk})
    assert response.status_code == 302
    task = plan.tasks.get(content="Tổ chức đối thoại")
    assert (task.due_on, task.status, task.owner) == (date(plan.year, 9, 30), "not_started",
                                                      pc_officer)


def test_edit_and_remove_a_task(client, plan_data, pc_officer):
    client.force_login(pc_officer)
    task = plan_data["tasks"]["iz"]
    response = client.post(reverse("coordination:task_update", args=[task.pk]), {
        "content": "Khảo sát 30 doanh nghiệp FDI", "lead_side": Side.IZ_BOARD,
        "coordinating_units": "", "owner": "", "due_on": f"15/12/{plan_data['year']}"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.content, task.owner, task.due_on) == (
        "Khảo sát 30 doanh nghiệp FDI", None, date(plan_data["year"], 12, 15))
    # An approved plan's task is cancelled, not removed.
    response = client.post(reverse("coordination:task_delete", args=[task.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert PlanTask.objects.filter(pk=task.pk).exists()
    draft_task = plan_data["draft"].tasks.get()
    client.post(reverse("coordination:task_delete", args=[draft_task.pk]))
    assert not PlanTask.objects.filter(pk=draft_task.pk).exists()


def test_an_iz_officer_records_progress_with_a_file(client, plan_data, iz_officer, iz_leader,
                                                    administrator):
    task = plan_data["tasks"]["iz"]
    client.force_login(iz_officer)
    page = client.get(reverse("coordination:task_detail", args=[task.pk]))
    assert by_testid(page, "progress-form")
    response = client.post(reverse("coordination:task_progress", args=[task.pk]), {
        "status": Status.DONE, "completed_on": TODAY.strftime("%d/%m/%Y"),
        "result": "Đã khảo sát 22 doanh nghiệp",
        "attachments": [SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")]})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.completed_on, task.result) == (
        Status.DONE, TODAY, "Đã khảo sát 22 doanh nghiệp")
    attachment = attachments_of(task).get()
    assert attachment.uploaded_by == iz_officer
    download = reverse("core:attachment_download", args=[attachment.pk])
    client.force_login(iz_leader)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(administrator)
    assert client.get(download).status_code == 404


def test_progress_errors_stay_on_the_form(as_user, plan_data, iz_officer):
    client = as_user(iz_officer)
    task = plan_data["tasks"]["both"]
    url = reverse("coordination:task_progress", args=[task.pk])
    response = client.post(url, {"status": Status.DONE, "completed_on": "", "result": ""})
    assert response.status_code == 200
    assert field_feedback(response.content.decode(), "completed_on")
    response = client.post(url, {
        "status": Status.IN_PROGRESS, "result": "",
        "attachments": [SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf")]})
    assert field_feedback(response.content.decode(), "attachments")
    task.refresh_from_db()
    assert task.status == Status.NOT_STARTED
    # Read-only views of a task the officer does not work: no form.
    pc_task = plan_data["tasks"]["pc"]
    page = client.get(reverse("coordination:task_detail", args=[pc_task.pk]))
    assert page.status_code == 200 and not by_testid(page, "progress-form")


def test_copy_from_the_pages(client, plan_data, pc_officer):
    client.force_login(pc_officer)
    past = plan_data["past"]
    # The next year of the past plan is this year's: refused with the message.
    response = client.post(reverse("coordination:plan_copy", args=[past.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and str(plan_data["year"]) in messages[0]
    draft = plan_data["draft"]
    response = client.post(reverse("coordination:plan_copy", args=[draft.pk]))
    copy = CoordinationPlan.objects.get(year=plan_data["year"] + 2)
    assert response["Location"] == copy.get_absolute_url()
    assert copy.copied_from == draft and copy.tasks.count() == 1


def test_the_plan_list_offers_to_copy_the_latest_plan(as_user, pc_officer, pc_leader):
    plan = make_plan(TODAY.year)
    add_task(plan)
    client = as_user(pc_officer)
    response = client.get(reverse("coordination:plan_list"))
    assert response.context["copy_source"] == plan
    assert by_testid(response, "copy-latest")
    assert not by_testid(as_user(pc_leader).get(reverse("coordination:plan_list")),
                         "copy-latest")


# --- Task list ------------------------------------------------------------------------------------


def test_task_list_filters(as_user, plan_data, pc_officer, iz_officer):
    client = as_user(pc_officer)
    url = reverse("coordination:task_list")
    tasks = plan_data["tasks"]

    def listed(**params):
        response = client.get(url, params)
        return {int(r.get("data-task")) for r in by_testid(response, "task-row")}

    assert listed(overdue="on") == {tasks["both"].pk}
    assert listed(mine="on", plan=plan_data["current"].pk) == {tasks["pc"].pk,
                                                              tasks["both"].pk}
    assert listed(lead_side="iz_board") == {tasks["iz"].pk,
                                            plan_data["draft"].tasks.get().pk}
    assert len(listed()) == 5
    assert listed(plan="nonsense") and len(listed(plan="nonsense")) == 5
    overdue_row = [r for r in by_testid(client.get(url), "task-row")
                   if r.get("data-task") == str(tasks["both"].pk)][0]
    assert "table-danger" in overdue_row.get("class")
    iz = as_user(iz_officer)
    rows = by_testid(iz.get(url, {"mine": "on"}), "task-row")
    assert [int(r.get("data-task")) for r in rows] == [tasks["iz"].pk]


# --- Committees --------------------------------------------------------------------------------


def _member_rows(rows, total=None, initial=0):
    data = {"members-TOTAL_FORMS": str(total or len(rows)),
            "members-INITIAL_FORMS": str(initial), "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        # The body's select sends its value even on a blank row, as a browser does.
        for key, value in {"body": "other", **row}.items():
            data[f"members-{i}-{key}"] = value
    return data


def test_committee_list_shows_the_current_and_past_compositions(as_user, committees,
                                                                iz_leader):
    response = as_user(iz_leader).get(reverse("coordination:committee_list"))
    kinds = {k.get("data-kind"): k for k in by_testid(response, "committee-kind")}
    steering = kinds["steering"]
    current = steering.xpath('.//*[@data-testid="current-composition"]')[0]
    assert current.get("data-committee") == str(committees["current"].pk)
    assert len(steering.xpath('.//*[@data-testid="committee-member"]')) == 2
    assert [p.get("data-committee") for p in
            steering.xpath('.//*[@data-testid="past-composition"]')] == [
        str(committees["past"].pk)]
    assert kinds["working_group"].xpath('.//*[@data-testid="no-current"]')
    assert not by_testid(response, "add-committee")


def test_create_a_composition_with_its_members(client, pc_officer):
    client.force_login(pc_officer)
    data = {"kind": "working_group", "name": "Đoàn công tác khảo sát",
            "decision_number": "07-QĐ/BCĐ", "decided_on": "02/03/2026",
            "term_start": "02/03/2026", "term_end": "", "duties": "Khảo sát doanh nghiệp"}
    rows = [
        {"full_name": "Phạm Minh Đức", "title": "Chuyên viên", "organization": "BQL các KCN",
         "position": "head"},
        {"full_name": "", "title": "", "organization": "", "position": "member"},
        {"full_name": "Lê Thu Hà", "title": "", "organization": "BQL các KCN",
         "position": "member"},
    ]
    response = client.post(reverse("coordination:committee_create"),
                           {**data, **_member_rows(rows)})
    committee = Committee.objects.get(decision_number="07-QĐ/BCĐ")
    assert response["Location"] == committee.get_absolute_url()
    assert list(committee.members.values_list("full_name", "order")) == [
        ("Phạm Minh Đức", 1), ("Lê Thu Hà", 2)]
    # Without any member: refused above the form.
    response = client.post(reverse("coordination:committee_create"), {
        **data, "decision_number": "08-QĐ/BCĐ", **_member_rows(rows[1:2])})
    assert response.status_code == 200 and by_testid(response, "form-errors")
    assert not Committee.objects.filter(decision_number="08-QĐ/BCĐ").exists()
    # A member row without its organization: the row's field error.
    response = client.post(reverse("coordination:committee_create"), {
        **data, "decision_number": "09-QĐ/BCĐ",
        **_member_rows([{**rows[0], "organization": ""}])})
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["organization"]


def test_edit_a_composition_removes_and_adds_members(client, pc_officer, committees):
    client.force_login(pc_officer)
    committee = committees["current"]
    first, second = committee.members.all()
    data = {"kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "45-QĐ/ĐUK",
            "decided_on": committee.decided_on.strftime("%d/%m/%Y"),
            "term_start": committee.term_start.strftime("%d/%m/%Y"), "term_end": "",
            "duties": ""}
    rows = [
        {"id": first.pk, "full_name": first.full_name, "title": "Bí thư",
         "organization": first.organization, "position": "head"},
        {"id": second.pk, "full_name": second.full_name, "title": second.title,
         "organization": second.organization, "position": "member", "DELETE": "on"},
        {"full_name": "Ngô Văn Hải", "title": "", "organization": "Công đoàn các KCN",
         "position": "member"},
    ]
    response = client.post(reverse("coordination:committee_update", args=[committee.pk]),
                           {**data, **_member_rows(rows, initial=2)})
    assert response.status_code == 302, response.context and response.context["formset"].errors
    assert list(committee.members.values_list("full_name", "title")) == [
        ("Trần Văn Quang", "Bí thư"), ("Ngô Văn Hải", "")]


def test_a_composition_records_each_members_body_and_days(client, pc_officer):
    client.force_login(pc_officer)
    data = {"kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "50-QĐ/ĐUK",
            "decided_on": "02/03/2026", "term_start": "02/03/2026", "term_end": "",
            "duties": ""}
    rows = [
        {"full_name": "Trần Văn Quang", "title": "Phó Bí thư", "organization": "Đảng ủy Khối",
         "position": "head", "body": "party_committee"},
        {"full_name": "Vũ Đình Khánh", "title": "", "organization": "BQL các KCN",
         "position": "deputy", "body": "iz_board", "serves_from": "01/06/2026",
         "serves_until": "30/11/2026"},
    ]
    response = client.post(reverse("coordination:committee_create"),
                           {**data, **_member_rows(rows)})
    committee = Committee.objects.get(decision_number="50-QĐ/ĐUK")
    assert response["Location"] == committee.get_absolute_url()
    assert list(committee.members.values_list("body", "serves_from", "serves_until")) == [
        ("party_committee", None, None), ("iz_board", date(2026, 6, 1), date(2026, 11, 30))]
    page = client.get(committee.get_absolute_url())
    assert [c.get("data-body") for c in by_testid(page, "member-body")] == [
        "party_committee", "iz_board"]
    # Joining before the term started is refused on the row.
    response = client.post(reverse("coordination:committee_create"), {
        **data, "decision_number": "51-QĐ/ĐUK",
        **_member_rows([{**rows[1], "serves_from": "01/03/2026"}])})
    assert response.status_code == 200
    assert not Committee.objects.filter(decision_number="51-QĐ/ĐUK").exists()


def test_a_new_composition_starts_from_an_earlier_one(as_user, pc_officer, committees):
    response = as_user(pc_officer).get(reverse("coordination:committee_create"),
                                       {"from": committees["current"].pk})
    formset = response.context["formset"]
    assert [f.initial.get("full_name") for f in formset.forms] == [
        "Trần Văn Quang", "Trần Văn Quang", None]
    assert response.context["form"].initial["kind"] == "steering"


# --- The subnav ---------------------------------------------------------------------------------


def test_the_survey_campaigns_tab_appears_once_its_page_exists(monkeypatch):
    def missing(name, *args, **kwargs):
        raise NoReverseMatch(name)

    monkeypatch.setattr(plan_views, "reverse", missing)
    assert plan_views._subnav("plans")["survey_campaigns_url"] is None
    monkeypatch.setattr(plan_views, "reverse", lambda name, *a, **k: "/surveys/")
    assert plan_views._subnav("plans")["survey_campaigns_url"] == "/surveys/"


def test_the_plan_pages_render_with_the_tabs(as_user, plan_data, iz_officer):
    response = as_user(iz_officer).get(reverse("coordination:plan_list"))
    tabs = by_testid(response, "plans-tabs")[0]
    # Regulation, plans, tasks, meetings, correspondence, reviews, committees (+ campaigns).
    assert len(tabs.xpath(".//a")) in (7, 8)
    try:
        reverse("surveys:campaign_list")
        assert by_testid(response, "survey-campaigns-tab")
    except NoReverseMatch:
        assert not by_testid(response, "survey-campaigns-tab")


# --- Query counts ------------------------------------------------------------------------------


def _grow(zone_a, zone_b, plan, n):
    """More enterprises, members, tasks with files and committee members."""
    for i in range(n):
        enterprise = EnterpriseFactory(zone=zone_a if i % 2 else zone_b)
        make_member(enterprise=enterprise, admitted_on=date(plan.year, 1, 1))
    for i in range(n):
        task = add_task(plan, side=Side.IZ_BOARD, content=f"Nhiệm vụ thêm {i}",
                        due_on=date(plan.year, 1 + i % 12, 10))
        if i % 3 == 0:
            from core.attachments import attach

            attach(task, [SimpleUploadedFile(f"f{i}.pdf", PDF, "application/pdf")],
                   user=plan.approved_by)


@pytest.mark.parametrize("page", ["plan_list", "plan_detail", "task_list", "committee_list"])
def test_query_counts_do_not_grow_with_the_data(client, roles, plan_data, committees, zone_a,
                                                 zone_b, page):
    plan = plan_data["current"]
    url = reverse(f"coordination:{page}", args=[plan.pk] if page == "plan_detail" else [])
    users = [roles[r] for r in ("pc_officer", "pc_leader", "iz_officer")]

    def count(user):
        client.force_login(user)
        client.get(url)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = {user.pk: count(user) for user in users}
    _grow(zone_a, zone_b, plan, 12)
    services.committee_update(committee=committees["current"], data={}, members=[
        {"full_name": f"Thành viên {i}", "organization": "BQL", "title": "",
         "position": "member"} for i in range(12)])
    after = {user.pk: count(user) for user in users}
    assert after == before
    # A handful of queries, one per target on the plan page.
    if page == "plan_detail":
        assert max(after.values()) <= 14 + plan.targets.count()
    else:
        assert max(after.values()) <= 14


# --- Admin -------------------------------------------------------------------------------------


def test_the_admin_shows_plans_read_only_and_drafts_to_the_party_committee(client, plan_data,
                                                                        administrator,
                                                                        pc_officer,
                                                                        iz_officer):
    url = reverse("admin:coordination_coordinationplan_changelist")
    client.force_login(administrator)  # no organization: no plans
    assert client.get(url).status_code == 403
    for user, years in ((pc_officer, 3), (iz_officer, 2)):
        user.is_staff = True
        user.save()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["cl"].result_count == years
        detail = reverse("admin:coordination_coordinationplan_change",
                         args=[plan_data["current"].pk])
        response = client.post(detail, {"title": "Changed"})
        assert response.status_code == 403
    plan_data["current"].refresh_from_db()
    assert plan_data["current"].title != "Changed"
    assert client.get(reverse("admin:coordination_coordinationplan_change",
                              args=[plan_data["draft"].pk])).status_code == 302
