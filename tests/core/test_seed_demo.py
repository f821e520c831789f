import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.policy import Perm, access_for
from enterprises.models import IndustrialZone

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_zones_and_one_account_per_role(capsys):
    call_command("seed_demo", "--size", "small", "--seed", "7")
    assert IndustrialZone.objects.count() == 6
    out = capsys.readouterr().out
    for username in ("canbo.dang", "lanhdao.dang", "canbo.bql", "lanhdao.bql", "quantri"):
        assert username in out
        user = User.objects.get(username=username)
        assert user.check_password("KcnDemo@2026")
    assert access_for(User.objects.get(username="canbo.bql")).zone_ids == frozenset(
        {IndustrialZone.objects.get(code="HX").pk}
    )
    assert access_for(User.objects.get(username="lanhdao.dang")).can(Perm.APPROVE_PLANS)


def test_seed_demo_is_deterministic():
    call_command("seed_demo", "--seed", "7")
    first = list(IndustrialZone.objects.values_list("code", "area_ha", "established_on"))
    IndustrialZone.objects.all().delete()
    User.objects.all().delete()
    call_command("seed_demo", "--seed", "7")
    assert list(IndustrialZone.objects.values_list("code", "area_ha", "established_on")) == first


def test_seed_demo_refuses_a_database_with_data_unless_if_empty():
    call_command("seed_demo")
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
    assert IndustrialZone.objects.count() == 6


def test_seed_demo_is_refused_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
