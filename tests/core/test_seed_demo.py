import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.policy import Perm, access_for
from enterprises.models import (
    Enterprise,
    IndustrialZone,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
)
from tests.seeded_demo import seed_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_zones_and_one_account_per_role():
    out = seed_demo("--size", "small", "--seed", "7")
    assert IndustrialZone.objects.count() == 6
    for username in ("canbo.dang", "lanhdao.dang", "canbo.bql", "lanhdao.bql", "quantri"):
        assert username in out
        user = User.objects.get(username=username)
        assert user.check_password("KcnDemo@2026")
    assert access_for(User.objects.get(username="canbo.bql")).zone_ids == frozenset(
        {IndustrialZone.objects.get(code="HX").pk}
    )
    assert access_for(User.objects.get(username="lanhdao.dang")).can(Perm.APPROVE_PLANS)


def _snapshot():
    return (
        list(IndustrialZone.objects.values_list("code", "area_ha", "established_on")),
        list(Enterprise.objects.order_by("tax_code").values_list(
            "tax_code", "name", "zone__code", "capital_source", "status")),
        list(PartyOrganization.objects.order_by("name", "enterprise__tax_code").values_list(
            "name", "kind", "enterprise__tax_code")),
    )


def test_seed_demo_is_deterministic():
    from django.db import transaction

    with transaction.atomic():
        seed_demo("--seed", "7")  # seeded once for the tests (tests/seeded_demo.py)
        first = _snapshot()
        transaction.set_rollback(True)
    assert len(first[1]) == 300
    assert not Enterprise.objects.exists()
    call_command("seed_demo", "--seed", "7")
    assert _snapshot() == first


def test_seed_demo_fills_a_realistic_registry():
    seed_demo()
    total = Enterprise.objects.count()
    foreign = Enterprise.objects.filter(capital_source__in=["fdi", "lien_doanh"]).count()
    assert 0.3 < foreign / total < 0.6
    assert MassOrganization.objects.filter(kind="trade_union").count() > total / 2
    assert PartyOrganization.objects.filter(enterprise__isnull=True).count() == 6
    assert Enterprise.objects.filter(status="dissolved").exists()
    assert WorkforceRecord.objects.count() >= total


def test_seed_demo_refuses_a_database_with_data_unless_if_empty():
    seed_demo()
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
    assert IndustrialZone.objects.count() == 6


def test_seed_demo_is_refused_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_fills_party_development_at_every_stage():
    from datetime import date

    from coordination.models import AdmissionCandidate, PartyMember, Recognition

    seed_demo()
    stages = set(AdmissionCandidate.objects.values_list("stage", flat=True))
    assert stages == {s for s, _label in AdmissionCandidate.Stage.choices}
    today = date.today()
    assert any(c.is_overdue(today) for c in AdmissionCandidate.objects.all())
    assert PartyMember.objects.filter(official_on__isnull=True, left_on__isnull=True).exists()
    assert Recognition.objects.exists()
    admitted = AdmissionCandidate.objects.filter(stage="ceremony")
    assert admitted.exists() and not admitted.filter(member__isnull=True).exists()
