import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User

from .enterprises.factories import ZoneFactory
from .factories import PASSWORD, UserFactory


def _move_the_clock():
    """``TEST_TODAY=YYYY-MM-DD`` runs the suite as if today were that day.

    The clock moves when this file is imported, before any test module or
    conftest below it (their ``TODAY`` constants are read at import), and
    keeps ticking from 09:00 local time, so every ``timezone.now()``,
    ``date.today()`` and ``time.time()`` of this process agrees.
    ``scripts/run_tests.sh`` runs the suite on 1 January, 29 February and 31
    December this way.
    """
    day = os.environ.get("TEST_TODAY")
    if not day:
        return None
    import time_machine

    moment = datetime.combine(date.fromisoformat(day), time(9, 0),
                              tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    return traveller


_CLOCK = _move_the_clock()


def pytest_report_header(config):
    if os.environ.get("TEST_TODAY"):
        return f"clock moved to {os.environ['TEST_TODAY']} (TEST_TODAY)"
    return None


Org = User.Organization
Role = User.Role


@pytest.fixture
def zone_a(db):
    return ZoneFactory(code="AAA", name="Khu công nghiệp An Bình")


@pytest.fixture
def zone_b(db):
    return ZoneFactory(code="BBB", name="Khu công nghiệp Bình Đông")


@pytest.fixture
def pc_officer(db):
    return UserFactory(username="pc_officer", organization=Org.PARTY_COMMITTEE, role=Role.OFFICER)


@pytest.fixture
def pc_leader(db):
    return UserFactory(username="pc_leader", organization=Org.PARTY_COMMITTEE, role=Role.LEADER)


@pytest.fixture
def iz_officer(db, zone_a):
    """An IZ Board officer working on zone A only."""
    return UserFactory(
        username="iz_officer", organization=Org.IZ_BOARD, role=Role.OFFICER, zones=[zone_a]
    )


@pytest.fixture
def iz_leader(db):
    return UserFactory(
        username="iz_leader", organization=Org.IZ_BOARD, role=Role.LEADER, all_zones=True
    )


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="admin", organization="", role="", is_staff=True, is_superuser=True
    )


@pytest.fixture
def login(client):
    """Log the test client in as ``user``; returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


# The data migrations that put the beat schedules in the database.
SCHEDULE_MIGRATIONS = [
    ("core.migrations.0002_heartbeat_schedule", "create_schedule"),
    ("core.migrations.0006_reminder_schedule", "create_schedule"),
    ("core.migrations.0009_retention_schedule", "create_schedule"),
    ("reports.migrations.0003_report_schedules", "create_schedules"),
]


@pytest.fixture
def beat_schedules(db):
    """The beat schedules as the data migrations leave them.

    A transactional test run earlier on the same worker empties every table,
    the rows of data migrations included. The migrations' own functions are
    therefore run again (they are idempotent: get_or_create), so a test of the
    schedules checks what those functions write whatever ran before it.
    """
    import importlib

    from django.apps import apps

    for module, function in SCHEDULE_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
