import pytest

from accounts.models import User

from .factories import PASSWORD, UserFactory, ZoneFactory

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
