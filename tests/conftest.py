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
