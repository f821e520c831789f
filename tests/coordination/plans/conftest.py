"""Fixtures of the committee and plan tests: plans built through the services."""

from __future__ import annotations

from datetime import date, timedelta

import lxml.html
import pytest
from django.utils import timezone

from accounts.models import User
from coordination.models import PlanTask
from coordination.plans import services
from tests.coordination.factories import add_target, add_task, approve, make_plan
from tests.factories import UserFactory

TODAY = timezone.localdate()
Side = PlanTask.LeadSide


@pytest.fixture
def as_user(client):
    """Log the test client in with English labels; returns the client."""

    def _as(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return _as


@pytest.fixture
def roles(pc_officer, pc_leader, iz_officer, iz_leader, administrator):
    return {"pc_officer": pc_officer, "pc_leader": pc_leader, "iz_officer": iz_officer,
            "iz_leader": iz_leader, "administrator": administrator}


@pytest.fixture
def other_iz_officer(db, zone_b):
    """An IZ Board officer of zone B only."""
    return UserFactory(username="iz_officer_b", organization=User.Organization.IZ_BOARD,
                       role=User.Role.OFFICER, zones=[zone_b])


@pytest.fixture
def plan_data(pc_officer, pc_leader, iz_officer, zone_a, zone_b):
    return make_plan_data(pc_officer, pc_leader, iz_officer, zone_a, zone_b)


def make_plan_data(pc_officer, pc_leader, iz_officer, zone_a, zone_b) -> dict:
    """This year's approved plan (province and zone targets, tasks of both
    sides, one overdue), a draft for next year and last year's closed plan."""
    year = TODAY.year
    current = make_plan(year, document_number="05-KH/ĐUK-BQL", signed_on=date(year, 1, 1))
    add_target(current, "members_new", 20)
    add_target(current, "enterprises_with_party_org", 5, zone=zone_a)
    add_target(current, "members", 8, zone=zone_b)
    past_due = TODAY - timedelta(days=1)
    tasks = {
        "pc": add_task(current, side=Side.PARTY_COMMITTEE, owner=pc_officer,
                       content="Mở lớp bồi dưỡng nhận thức về Đảng", due_on=date(year, 12, 31)),
        "iz": add_task(current, side=Side.IZ_BOARD, owner=iz_officer,
                       content="Khảo sát doanh nghiệp FDI", due_on=date(year, 12, 31)),
        "both": add_task(current, side=Side.BOTH, owner=pc_officer,
                         content="Đối thoại với chủ doanh nghiệp", due_on=past_due),
    }
    approve(current, pc_leader)
    draft = make_plan(year + 1)
    add_target(draft, "members_new", 25)
    add_task(draft, side=Side.IZ_BOARD, due_on=date(year + 1, 3, 31))
    past = make_plan(year - 1)
    add_target(past, "members_new", 15)
    add_task(past, side=Side.BOTH, due_on=date(year - 1, 9, 30))
    approve(past, pc_leader)
    services.plan_close(actor=pc_leader, plan=past)
    for plan in (current, draft, past):
        plan.refresh_from_db()
    return {"current": current, "draft": draft, "past": past, "tasks": tasks,
            "year": year}


def make_committees() -> dict:
    """A steering committee's past composition and its current one."""
    members = [{"full_name": "Trần Văn Quang", "organization": "Đảng ủy Khối",
                "title": "Phó Bí thư", "position": "head"}]
    past = services.committee_create(data={
        "kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "12-QĐ/ĐUK",
        "decided_on": date(2020, 3, 1), "term_start": date(2020, 3, 1),
        "term_end": TODAY - timedelta(days=100)}, members=members)
    current = services.committee_create(data={
        "kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "45-QĐ/ĐUK",
        "decided_on": TODAY - timedelta(days=99), "term_start": TODAY - timedelta(days=99)},
        members=members * 2)
    return {"past": past, "current": current}


def doc(response):
    return lxml.html.fromstring(response.content.decode())


def by_testid(response, name) -> list:
    return doc(response).xpath(f'//*[@data-testid="{name}"]')


@pytest.fixture(autouse=True)
def _english_messages_in_service_tests(request):
    """Service tests match the English message ids; pages are checked in Vietnamese."""
    if not request.module.__name__.endswith("test_services"):
        yield
        return
    from django.utils import translation

    with translation.override("en"):
        yield
