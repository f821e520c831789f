"""Registry rules in the models and the database (DESIGN §3)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from enterprises.models import (
    Enterprise,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
    normalize_tax_code,
)

from .factories import EnterpriseFactory, PartyOrganizationFactory, valid_tax_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0100233488", "0100233488"),
        (" 0100233488 ", "0100233488"),
        ("0100233488001", "0100233488-001"),
        ("0100233488-001", "0100233488-001"),
        ("0100233488 - 001", "0100233488-001"),
    ],
)
def test_tax_codes_are_normalised(raw, expected):
    assert normalize_tax_code(raw) == expected


@pytest.mark.parametrize("raw", ["0100233489", "010023348", "0100233488-000", "abc", ""])
def test_invalid_tax_codes_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_tax_code(raw)


def test_enterprise_tax_code_is_normalised_on_validation(zone_a):
    e = Enterprise(tax_code="0100233488001", name="  Công ty  A ", zone=zone_a,
                   legal_form="tnhh_1tv", capital_source="fdi")
    e.full_clean()
    assert e.tax_code == "0100233488-001"
    assert e.name == "Công ty A"


def test_wrong_check_digit_is_reported_on_the_tax_code_field(zone_a):
    e = Enterprise(tax_code="0100233489", name="A", zone=zone_a, legal_form="tnhh_1tv",
                   capital_source="fdi")
    with pytest.raises(ValidationError) as info:
        e.full_clean()
    assert "tax_code" in info.value.message_dict


def test_tax_code_is_unique_in_validation_and_in_the_database(zone_a):
    EnterpriseFactory(tax_code="0100233488", zone=zone_a)
    with pytest.raises(ValidationError) as info:
        EnterpriseFactory(tax_code="0100233488", zone=zone_a)
    assert "tax_code" in info.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(tax_code="0100233488", name="B", zone=zone_a,
                                  legal_form="khac", capital_source="fdi")


def test_database_refuses_a_malformed_tax_code(zone_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(tax_code="12345", name="B", zone=zone_a, legal_form="khac",
                                  capital_source="fdi")


def test_text_is_stored_nfc_normalised(zone_a):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Công ty Đức Thành")
    e = EnterpriseFactory(name=nfd, zone=zone_a)
    assert e.name == "Công ty Đức Thành"
    assert unicodedata.is_normalized("NFC", e.name)
    assert e.search_text == "cong ty duc thanh " + e.tax_code


def test_dissolved_enterprise_needs_its_date(zone_a):
    e = EnterpriseFactory(zone=zone_a)
    e.status = Enterprise.Status.DISSOLVED
    with pytest.raises(ValidationError):
        e.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=e.pk).update(status="dissolved", status_since=None)


def test_operating_on_a_date():
    e = EnterpriseFactory(established_on=date(2020, 1, 10))
    assert not e.operating_on(date(2020, 1, 9))
    assert e.operating_on(date(2020, 1, 10))
    e.status, e.status_since = Enterprise.Status.DISSOLVED, date(2024, 6, 30)
    assert e.operating_on(date(2024, 6, 29))
    assert not e.operating_on(date(2024, 6, 30))


def test_the_operating_query_and_the_method_agree(zone_a):
    """One rule: a suspended enterprise operates; an undated one always has."""
    Status = Enterprise.Status
    firms = [
        EnterpriseFactory(zone=zone_a, established_on=None),
        EnterpriseFactory(zone=zone_a, established_on=date(2020, 1, 10)),
        EnterpriseFactory(zone=zone_a, established_on=date(2020, 1, 10),
                          status=Status.SUSPENDED, status_since=date(2022, 1, 1)),
        EnterpriseFactory(zone=zone_a, established_on=None,
                          status=Status.DISSOLVED, status_since=date(2024, 6, 30)),
    ]
    for day in [date(2020, 1, 9), date(2020, 1, 10), date(2023, 1, 1), date(2024, 6, 29),
                date(2024, 6, 30)]:
        assert set(Enterprise.objects.operating_on(day)) == {
            firm for firm in firms if firm.operating_on(day)}, day
    assert firms[2].operating_on(date(2023, 1, 1))


@pytest.mark.parametrize("field", ["female_workers", "union_members", "youth_union_members"])
def test_workforce_parts_never_exceed_the_total(field):
    e = EnterpriseFactory()
    record = WorkforceRecord(enterprise=e, as_of=date(2026, 1, 1), total_workers=10,
                             **{field: 11})
    with pytest.raises(ValidationError):
        record.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_one_active_mass_organization_per_kind():
    e = EnterpriseFactory()
    MassOrganization.objects.create(enterprise=e, kind="trade_union")
    with pytest.raises(ValidationError):
        MassOrganization(enterprise=e, kind="trade_union").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        MassOrganization.objects.create(enterprise=e, kind="trade_union")
    # A dissolved one does not block a new one.
    MassOrganization.objects.filter(enterprise=e).update(dissolved_on=date(2025, 1, 1))
    MassOrganization(enterprise=e, kind="trade_union").full_clean()


def test_subordinate_cell_needs_a_grassroots_committee_above():
    e = EnterpriseFactory()
    cell = PartyOrganizationFactory(enterprise=e, kind="chi_bo_co_so")
    orphan = PartyOrganization(name="Chi bộ X", kind="chi_bo_truc_thuoc", enterprise=e,
                               established_on=date(2021, 1, 1))
    with pytest.raises(ValidationError):
        orphan.full_clean()
    orphan.parent = cell  # a grassroots cell cannot have cells under it
    with pytest.raises(ValidationError) as info:
        orphan.full_clean()
    assert "parent" in info.value.message_dict
    committee = PartyOrganizationFactory(enterprise=e, kind="dang_bo_co_so", name="Đảng bộ X")
    orphan.parent = committee
    orphan.full_clean()


def test_party_organization_takes_its_enterprise_zone():
    e = EnterpriseFactory()
    org = PartyOrganizationFactory(enterprise=e)
    assert org.zone_id == e.zone_id


def test_party_organization_names_are_unique_per_enterprise_and_for_joint_cells(zone_a):
    e = EnterpriseFactory()
    PartyOrganizationFactory(enterprise=e, name="Chi bộ A")
    with pytest.raises(ValidationError):
        PartyOrganizationFactory(enterprise=e, name="Chi bộ A")
    PartyOrganizationFactory(enterprise=EnterpriseFactory(), name="Chi bộ A")
    PartyOrganizationFactory(enterprise=None, zone=zone_a, name="Chi bộ ghép")
    with pytest.raises(ValidationError):
        PartyOrganizationFactory(enterprise=None, zone=zone_a, name="Chi bộ ghép")


def test_dissolution_cannot_precede_establishment():
    org = PartyOrganizationFactory(established_on=date(2022, 1, 1))
    org.dissolved_on = date(2021, 12, 31)
    with pytest.raises(ValidationError):
        org.full_clean()


def test_history_records_every_change(zone_a):
    e = EnterpriseFactory(zone=zone_a, name="Công ty A")
    e.name = "Công ty A mới"
    e.full_clean()
    e.save()
    assert e.history.count() == 2
    latest = e.history.first()
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("name", "Công ty A", "Công ty A mới")]


def test_valid_tax_code_factory_is_valid():
    for n in range(20):
        normalize_tax_code(valid_tax_code(n))


@pytest.mark.parametrize(
    ("kind", "members", "warns"),
    [
        ("chi_bo_co_so", 29, False),
        ("chi_bo_co_so", 30, True),
        ("dang_bo_co_so", 30, False),
        ("dang_bo_co_so", 29, True),
        ("chi_bo_truc_thuoc", 45, False),
    ],
)
def test_size_warning_follows_the_30_member_rule(kind, members, warns):
    org = PartyOrganization(name="X", kind=kind, established_on=date(2020, 1, 1))
    warning = org.size_warning(members)
    assert bool(warning) is warns
    if warns:
        assert str(members) in warning
