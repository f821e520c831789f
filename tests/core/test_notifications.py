"""Reminders: who gets what, once a day, and the bell pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination.models import CoordinationPlan, PlanTask
from core.models import Notification
from core.notifications import notify, send_reminders
from surveys.models import FollowUp, SurveyCampaign, SurveyVisit
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def plan(pc_leader):
    return CoordinationPlan.objects.create(
        year=2026, title="Kế hoạch phối hợp năm 2026", status=CoordinationPlan.Status.APPROVED,
        approved_by=pc_leader, approved_at=timezone.now())


def _task(plan, **fields):
    data = {"content": "Khảo sát doanh nghiệp", "lead_side": PlanTask.LeadSide.IZ_BOARD,
            "due_on": TODAY + timedelta(days=3), **fields}
    return PlanTask.objects.create(plan=plan, **data)


def _titles(user):
    # TODAY is a Monday: the weekly data review reminder (tests/core/test_data_review.py)
    # is left out of these tests of the daily ones.
    return sorted(Notification.objects.filter(recipient=user)
                  .exclude(key__startswith="data-review:").values_list("title", flat=True))


def test_running_twice_a_day_sends_each_reminder_once(plan, pc_officer, iz_officer, mailoutbox):
    pc_officer.email, iz_officer.email = "pc@example.vn", "iz@example.vn"
    pc_officer.save(), iz_officer.save()
    _task(plan, owner=iz_officer)
    _task(plan, owner=pc_officer, due_on=TODAY - timedelta(days=1),
          lead_side=PlanTask.LeadSide.PARTY_COMMITTEE)
    first = send_reminders(TODAY)
    second = send_reminders(TODAY)
    assert first == {"created": 2, "emailed": 2}
    assert second == {"created": 0, "emailed": 0}
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 2
    assert {m.to[0] for m in mailoutbox} == {"pc@example.vn", "iz@example.vn"}
    # The next day the still-open tasks are reminded again.
    assert send_reminders(TODAY + timedelta(days=1))["created"] == 2


def test_task_reminders_go_to_the_owner_and_say_overdue(plan, pc_officer, iz_officer):
    _task(plan, owner=iz_officer, content="Nhiệm vụ sắp đến hạn")
    _task(plan, owner=iz_officer, content="Nhiệm vụ quá hạn", due_on=TODAY - timedelta(days=2))
    _task(plan, owner=iz_officer, content="Còn xa", due_on=TODAY + timedelta(days=8))
    _task(plan, owner=iz_officer, content="Đã xong", status=PlanTask.Status.DONE,
          completed_on=TODAY - timedelta(days=5))
    send_reminders(TODAY)
    titles = _titles(iz_officer)
    assert len(titles) == 2
    assert any("Nhiệm vụ quá hạn" in t and "13/06/2026" in t for t in titles)
    assert any("Nhiệm vụ sắp đến hạn" in t and "18/06/2026" in t for t in titles)
    assert _titles(pc_officer) == []


def test_tasks_of_a_draft_plan_are_not_reminded(plan, iz_officer):
    plan.status, plan.approved_by, plan.approved_at = CoordinationPlan.Status.DRAFT, None, None
    plan.save()
    _task(plan, owner=iz_officer)
    assert send_reminders(TODAY)["created"] == 0


def test_a_task_without_owner_goes_to_the_lead_side_officers(plan, pc_officer, iz_officer, pc_leader):
    _task(plan, lead_side=PlanTask.LeadSide.IZ_BOARD)
    send_reminders(TODAY)
    assert len(_titles(iz_officer)) == 1
    assert _titles(pc_officer) == [] and _titles(pc_leader) == []


def test_admission_digests_reach_party_committee_officers_only(pc_officer, pc_leader, iz_officer,
                                                              zone_a):
    enterprise = EnterpriseFactory(zone=zone_a)
    # Cell resolution long ago and no decision: overdue.
    make_candidate(enterprise=enterprise, identified_on=date(2025, 1, 5),
                   course_completed_on=date(2025, 2, 1), certificate_number="CN-1",
                   application_on=date(2025, 2, 10), sponsorship_on=date(2025, 2, 20),
                   verification_on=date(2025, 3, 1), assessment_on=date(2025, 3, 5),
                   cell_resolution_on=date(2025, 3, 10), votes_for=3, cell_official_members=3)
    make_member(enterprise=enterprise, admitted_on=date(2025, 6, 1))  # 12 months end 01/06/2026
    send_reminders(TODAY)
    titles = _titles(pc_officer)
    assert any("1" in t and "deadline" in t.lower() or "hạn" in t for t in titles)
    assert len(titles) == 2
    assert _titles(iz_officer) == []
    assert _titles(pc_leader) == []  # leaders do no routine entry


def test_follow_ups_only_reach_accounts_that_see_the_zone(pc_officer, iz_officer, zone_a, zone_b):
    from coordination.models import Committee

    group = Committee.objects.create(kind=Committee.Kind.WORKING_GROUP, name="Tổ công tác",
                                     decision_number="12-QĐ/ĐUK", decided_on=date(2026, 1, 5),
                                     term_start=date(2026, 1, 5))
    campaign = SurveyCampaign.objects.create(name="Đợt 1", working_group=group,
                                             starts_on=date(2026, 5, 1), ends_on=date(2026, 7, 1),
                                             created_by=pc_officer)
    inside = SurveyVisit.objects.create(
        campaign=campaign, enterprise=EnterpriseFactory(zone=zone_a), visited_on=date(2026, 6, 1),
        owner_attitude="supportive", classification="B", recorded_by=pc_officer)
    outside = SurveyVisit.objects.create(
        campaign=campaign, enterprise=EnterpriseFactory(zone=zone_b), visited_on=date(2026, 6, 2),
        owner_attitude="neutral", classification="C", recorded_by=pc_officer)
    FollowUp.objects.create(visit=inside, action="Gặp chủ doanh nghiệp", owner=iz_officer,
                            due_on=TODAY + timedelta(days=2))
    FollowUp.objects.create(visit=outside, action="Ngoài phạm vi", owner=iz_officer,
                            due_on=TODAY - timedelta(days=2))
    FollowUp.objects.create(visit=inside, action="Không chủ", due_on=TODAY - timedelta(days=1))
    FollowUp.objects.create(visit=inside, action="Đã làm", owner=iz_officer,
                            due_on=TODAY - timedelta(days=1), done_on=TODAY - timedelta(days=2))
    send_reminders(TODAY)
    iz = _titles(iz_officer)
    assert len(iz) == 1 and "Gặp chủ doanh nghiệp" in iz[0]
    pc = _titles(pc_officer)
    assert len(pc) == 1 and "Không chủ" in pc[0]  # no owner: whoever recorded the visit


def test_notify_skips_inactive_accounts(pc_officer):
    pc_officer.is_active = False
    pc_officer.save()
    assert notify([pc_officer], key="x", title="t") == []


def test_bell_shows_the_unread_count_and_pages_are_private(client, pc_officer, iz_officer):
    mine = notify([pc_officer], key="a", title="Nhắc việc của tôi", url="/enterprises/")[0]
    other = notify([iz_officer], key="b", title="Của người khác")[0]
    client.force_login(pc_officer)
    page = client.get(reverse("core:notification_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhắc việc của tôi" in html and "Của người khác" not in html
    assert 'data-testid="bell-count">1<' in html
    response = client.post(reverse("core:notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/enterprises/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'data-testid="bell-count"' not in client.get(reverse("core:home")).content.decode()
    assert client.post(reverse("core:notification_open", args=[other.pk])).status_code == 404
    assert client.get(reverse("core:notification_open", args=[mine.pk])).status_code == 405


def test_an_outside_address_is_never_followed(client, pc_officer):
    n = notify([pc_officer], key="evil", title="t", url="https://evil.example/steal")[0]
    client.force_login(pc_officer)
    response = client.post(reverse("core:notification_open", args=[n.pk]))
    assert response["Location"] == reverse("core:notification_list")


def test_read_all_and_anonymous(client, pc_officer):
    notify([pc_officer], key="a", title="1")
    notify([pc_officer], key="b", title="2")
    assert client.get(reverse("core:notification_list")).status_code == 302
    client.force_login(pc_officer)
    client.post(reverse("core:notification_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_daily_job_is_scheduled_at_seven_in_vietnam_time(beat_schedules):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="core.tasks.send_reminders")
    assert (task.crontab.hour, task.crontab.minute) == ("7", "0")
    assert str(task.crontab.timezone) == "Asia/Ho_Chi_Minh"
    assert task.enabled
