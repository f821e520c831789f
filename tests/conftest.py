import os
from contextlib import contextmanager
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (Vietnamese): a
    request made in English by an earlier test leaves the thread's language
    behind (the locale middleware activates a language and never resets it)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def pytest_report_header(config):
    if os.environ.get("TEST_TODAY"):
        return f"clock moved to {os.environ['TEST_TODAY']} (TEST_TODAY)"
    return None


Org = User.Organization
Role = User.Role


def make_zone_a():
    return ZoneFactory(code="AAA", name="Khu công nghiệp An Bình")


def make_zone_b():
    return ZoneFactory(code="BBB", name="Khu công nghiệp Bình Đông")


def make_role_users(zone_a) -> dict[str, User]:
    """One account of each role, as the fixtures below make them."""
    return {key: _role_user(key, zone_a) for key in ROLE_FIXTURES}


ROLE_FIXTURES = ("pc_officer", "pc_leader", "iz_officer", "iz_leader", "administrator")


@contextmanager
def module_data(django_db_blocker):
    """Rows written once for a module's tests (``scope="module"`` fixtures):
    inside a transaction that each test's own transaction nests in (a
    savepoint rolled back after the test, so no test's writes reach the
    next), itself rolled back after the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def zone_a(db):
    return make_zone_a()


@pytest.fixture
def zone_b(db):
    return make_zone_b()


def _role_user(key: str, zone_a=None) -> User:
    spec = {
        "pc_officer": dict(username="pc_officer", organization=Org.PARTY_COMMITTEE,
                           role=Role.OFFICER),
        "pc_leader": dict(username="pc_leader", organization=Org.PARTY_COMMITTEE,
                          role=Role.LEADER),
        "iz_officer": dict(username="iz_officer", organization=Org.IZ_BOARD, role=Role.OFFICER,
                           zones=[zone_a]),
        "iz_leader": dict(username="iz_leader", organization=Org.IZ_BOARD, role=Role.LEADER,
                          all_zones=True),
        "administrator": dict(username="admin", organization="", role="", is_staff=True,
                              is_superuser=True),
    }[key]
    return UserFactory(**spec)


@pytest.fixture
def pc_officer(db):
    return _role_user("pc_officer")


@pytest.fixture
def pc_leader(db):
    return _role_user("pc_leader")


@pytest.fixture
def iz_officer(db, zone_a):
    """An IZ Board officer working on zone A only."""
    return _role_user("iz_officer", zone_a)


@pytest.fixture
def iz_leader(db):
    return _role_user("iz_leader")


@pytest.fixture
def administrator(db):
    return _role_user("administrator")


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
