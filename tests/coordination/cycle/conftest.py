"""Fixtures of the working cycle's tests: compositions in office, approved
plans for last year and this year, and helpers that go through the
services. Dates are relative to today, so the tests hold on any day."""

from __future__ import annotations

from datetime import date, timedelta

import lxml.html
import pytest
from django.utils import timezone

from accounts.models import User
from coordination.cycle import services
from coordination.models import Committee, CoordinationPlan
from coordination.plans import services as plan_services
from tests.coordination.factories import make_plan
from tests.factories import UserFactory

TODAY = timezone.localdate()
YEAR = TODAY.year


def days(n: int) -> date:
    """``n`` days from today (negative: before)."""
    return TODAY + timedelta(days=n)


def soon(n: int) -> date:
    """``n`` days from today, but within this year (whose plan is approved; next
    year's is a draft): 31 December at the latest."""
    return min(days(n), date(YEAR, 12, 31))


@pytest.fixture
def as_user(client):
    def _as(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return _as


@pytest.fixture
def compositions(db):
    """The steering committee (a past composition and the one in office for
    the last two years) and the working group in office; one member of the
    steering committee left ten days ago."""
    steering_past = plan_services.committee_create(data={
        "kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "12-QĐ/ĐUK",
        "decided_on": days(-2000), "term_start": days(-2000), "term_end": days(-731)},
        members=[{"full_name": "Đinh Quang Vinh", "organization": "Đảng ủy Khối",
                  "title": "Phó Bí thư", "position": "head", "body": "party_committee"}])
    steering = plan_services.committee_create(data={
        "kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "45-QĐ/ĐUK",
        "decided_on": days(-730), "term_start": days(-730)}, members=[
        {"full_name": "Trần Văn Quang", "organization": "Đảng ủy Khối", "title": "Phó Bí thư",
         "position": "head", "body": "party_committee"},
        {"full_name": "Vũ Đình Khánh", "organization": "Ban Quản lý các KCN",
         "title": "Phó Trưởng ban", "position": "deputy", "body": "iz_board"},
        {"full_name": "Mai Thị Hoa", "organization": "Đoàn Thanh niên", "title": "Bí thư",
         "position": "member", "body": "other", "serves_until": days(-10)},
    ])
    group = plan_services.committee_create(data={
        "kind": "working_group", "name": "Tổ công tác", "decision_number": "03-QĐ/BCĐ",
        "decided_on": days(-700), "term_start": days(-700)}, members=[
        {"full_name": "Hoàng Thị Thu Hằng", "organization": "Đảng ủy Khối",
         "title": "Trưởng Ban Tổ chức", "position": "head", "body": "party_committee"},
        {"full_name": "Lê Thu Hà", "organization": "Ban Quản lý các KCN",
         "title": "Chuyên viên", "position": "member", "body": "iz_board"},
    ])
    members = {m.full_name: m for c in (steering_past, steering, group)
               for m in c.members.select_related("committee")}
    return {"steering_past": steering_past, "steering": steering, "group": group,
            "members": members}


@pytest.fixture
def plans(db, pc_leader):
    """Approved plans of last year and this year (a conclusion becomes a task
    of its due date's year), and a draft for next year."""
    return {year: make_plan(year, status=CoordinationPlan.Status.APPROVED)
            for year in (YEAR - 1, YEAR)} | {YEAR + 1: make_plan(YEAR + 1)}


@pytest.fixture
def iz_officer_b(db, zone_b):
    return UserFactory(username="iz_officer_b", organization=User.Organization.IZ_BOARD,
                       role=User.Role.OFFICER, zones=[zone_b])


def make_meeting(compositions, *, kind="steering", held_on=None, chair="Trần Văn Quang",
                 attendees=("Trần Văn Quang", "Vũ Đình Khánh"), actor=None, **data):
    members = compositions["members"]
    return services.meeting_create(actor=actor, data={
        "kind": kind, "title": data.pop("title", ""), "held_on": held_on or days(-20),
        "place": "Phòng họp Đảng ủy Khối", "chair": members[chair] if chair else None,
        "guests": "", "agenda": "Đánh giá kết quả thực hiện Quy chế", "notice_number": "",
        **data}, attendees=[members[name] for name in attendees])


def add_conclusion(meeting, owner, *, due_on=None, side="party_committee", make_task=False,
                   text="Rà soát doanh nghiệp đủ điều kiện thành lập tổ chức đảng"):
    return services.conclusion_create(meeting=meeting, data={
        "text": text, "lead_side": side, "owner": owner, "due_on": due_on or soon(10)},
        make_task=make_task)


def make_letter(*, actor=None, direction="pc_to_iz", number="15-CV/ĐUK", dated=None,
                enterprises=(), tasks=(), in_reply_to=None, **data):
    return services.correspondence_create(actor=actor, enterprises=enterprises, tasks=tasks,
                                          in_reply_to=in_reply_to, data={
        "direction": direction, "number": number, "dated": dated or days(-15),
        "subject": data.pop("subject", "Đề nghị cung cấp danh sách doanh nghiệp"), **data})


def regulation_data(**fields) -> dict:
    return {"number": "01-QC/ĐUK-BQL", "title": "Quy chế phối hợp",
            "signed_on": days(-400), "effective_from": days(-400), "in_force_until": None,
            "party_signatory_name": "Nguyễn Văn Thành", "party_signatory_title": "Bí thư",
            "iz_signatory_name": "Lê Quốc Hưng", "iz_signatory_title": "Trưởng ban",
            "summary": "", **fields}


def doc(response):
    return lxml.html.fromstring(response.content.decode())


def by_testid(response, name) -> list:
    return doc(response).xpath(f'//*[@data-testid="{name}"]')


@pytest.fixture(autouse=True)
def _english_messages_in_service_tests(request):
    """Service tests match the English message ids."""
    if not request.module.__name__.endswith(("test_services", "test_rules")):
        yield
        return
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


Kind = Committee.Kind
