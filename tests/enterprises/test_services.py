"""Registry services: the only way data is written, with access checks."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises import services
from enterprises.models import Enterprise, MassOrganization, PartyOrganization, WorkforceRecord

from .factories import EnterpriseFactory, PartyOrganizationFactory, valid_tax_code

pytestmark = pytest.mark.django_db


def _data(zone, **extra):
    return {"tax_code": valid_tax_code(900), "name": "Công ty cổ phần May Sông Đào",
            "zone": zone, "legal_form": "co_phan", "capital_source": "ngoai_nha_nuoc", **extra}


def test_iz_officer_creates_an_enterprise_in_its_zone_with_workforce(iz_officer, zone_a):
    e = services.enterprise_create(
        actor=iz_officer, data=_data(zone_a),
        workforce={"as_of": date(2026, 6, 30), "total_workers": 120, "female_workers": 80},
    )
    assert e.pk and e.zone == zone_a
    record = WorkforceRecord.objects.get(enterprise=e)
    assert (record.total_workers, record.female_workers) == (120, 80)


def test_iz_officer_cannot_create_in_another_zone(iz_officer, zone_b):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(actor=iz_officer, data=_data(zone_b))
    assert not Enterprise.objects.exists()


def test_iz_officer_cannot_move_an_enterprise_out_of_its_zones(iz_officer, zone_a, zone_b):
    e = EnterpriseFactory(zone=zone_a)
    with pytest.raises(PermissionDenied):
        services.enterprise_update(actor=iz_officer, enterprise=e, data={"zone": zone_b})
    e.refresh_from_db()
    assert e.zone == zone_a


@pytest.mark.parametrize("fixture", ["pc_leader", "iz_leader", "administrator"])
def test_leaders_and_administrators_do_not_write(request, fixture, zone_a):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(actor=request.getfixturevalue(fixture), data=_data(zone_a))


def test_update_returns_changed_fields_and_records_history(pc_officer):
    e = EnterpriseFactory(name="Công ty A")
    changed = services.enterprise_update(actor=pc_officer, enterprise=e,
                                         data={"name": "Công ty B", "sector": "May mặc"})
    assert sorted(changed) == ["name", "sector"]
    assert e.history.first().history_type == "~"
    assert services.enterprise_update(actor=pc_officer, enterprise=e,
                                      data={"name": "Công ty B"}) == []


def test_dissolving_keeps_the_enterprise_with_a_date(pc_officer):
    e = EnterpriseFactory(established_on=date(2015, 1, 1))
    services.enterprise_dissolve(actor=pc_officer, enterprise=e, on=date(2026, 3, 31))
    e.refresh_from_db()
    assert (e.status, e.status_since) == ("dissolved", date(2026, 3, 31))
    assert not e.operating_on(date(2026, 3, 31))


def test_dissolution_before_establishment_is_refused(pc_officer):
    e = EnterpriseFactory(established_on=date(2015, 1, 1))
    with pytest.raises(ValidationError):
        services.enterprise_dissolve(actor=pc_officer, enterprise=e, on=date(2014, 1, 1))


def test_status_change_without_date_takes_today(pc_officer):
    e = EnterpriseFactory()
    services.enterprise_update(actor=pc_officer, enterprise=e, data={"status": "suspended"})
    e.refresh_from_db()
    assert e.status_since == date.today()


def test_workforce_record_is_written_only_when_figures_change():
    e = EnterpriseFactory()
    first = services.workforce_record(enterprise=e, as_of=date(2026, 1, 1), total_workers=100)
    assert first is not None
    assert services.workforce_record(enterprise=e, as_of=date(2026, 6, 1),
                                     total_workers=100) is None
    second = services.workforce_record(enterprise=e, as_of=date(2026, 6, 1), total_workers=110)
    assert second.pk != first.pk
    # Same date again: the record of that date is corrected, not duplicated.
    services.workforce_record(enterprise=e, as_of=date(2026, 6, 1), total_workers=111)
    assert WorkforceRecord.objects.filter(enterprise=e).count() == 2


def test_workforce_female_over_total_is_refused():
    e = EnterpriseFactory()
    with pytest.raises(ValidationError):
        services.workforce_record(enterprise=e, as_of=date(2026, 1, 1), total_workers=10,
                                  female_workers=12)


def test_mass_organization_lifecycle(iz_officer, zone_a):
    e = EnterpriseFactory(zone=zone_a)
    union = services.mass_organization_create(actor=iz_officer, enterprise=e,
                                              kind="trade_union", established_on=date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.mass_organization_create(actor=iz_officer, enterprise=e, kind="trade_union")
    services.mass_organization_dissolve(actor=iz_officer, organization=union,
                                        on=date(2025, 12, 31))
    assert MassOrganization.objects.get(pk=union.pk).dissolved_on == date(2025, 12, 31)


def test_only_party_committee_officers_write_party_organizations(iz_officer, pc_officer):
    e = EnterpriseFactory()
    data = {"name": "Chi bộ Công ty A", "kind": "chi_bo_co_so", "enterprise": e,
            "established_on": date(2021, 1, 1)}
    with pytest.raises(PermissionDenied):
        services.party_organization_create(actor=iz_officer, data=data)
    org = services.party_organization_create(actor=pc_officer, data=data)
    assert org.zone_id == e.zone_id


def test_a_committee_with_active_cells_cannot_be_dissolved(pc_officer):
    e = EnterpriseFactory()
    committee = PartyOrganizationFactory(enterprise=e, kind="dang_bo_co_so", name="Đảng bộ A")
    PartyOrganizationFactory(enterprise=e, kind="chi_bo_truc_thuoc", parent=committee,
                             name="Chi bộ Phân xưởng 1")
    with pytest.raises(ValidationError) as info:
        services.party_organization_dissolve(actor=pc_officer, organization=committee,
                                             on=date(2026, 1, 1))
    assert "Chi bộ Phân xưởng 1" in str(info.value)
    assert PartyOrganization.objects.get(pk=committee.pk).dissolved_on is None


def test_moving_an_enterprise_moves_its_party_organizations(pc_officer, zone_b):
    e = EnterpriseFactory()
    org = PartyOrganizationFactory(enterprise=e)
    services.enterprise_update(actor=pc_officer, enterprise=e, data={"zone": zone_b})
    org.refresh_from_db()
    assert org.zone == zone_b
