"""The fast write paths give the same answers as the slow ones.

Constraints checked in Python (enterprises.services) agree with the
database's own check; a valid import writes in batches with a number of
queries that does not grow with its rows; a refused batch falls back to row
by row and reports the row; the large demo data written in batches equals the
row-by-row data.
"""

import io
import random
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.management.commands.seed_demo import SeedContext
from enterprises import demo, services
from enterprises.importers import EnterpriseImporter
from enterprises.models import (
    Enterprise,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
)

from .factories import EnterpriseFactory, PartyOrganizationFactory, ZoneFactory, valid_tax_code

pytestmark = pytest.mark.django_db

DAYS = st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
COUNTS = st.one_of(st.none(), st.integers(min_value=0, max_value=50))


def _database_says(constraint, obj, exclude=frozenset()) -> bool:
    """Whether Django's own validate() (a query) accepts ``obj``."""
    try:
        constraint.validate(type(obj), obj, exclude=set(exclude))
    except ValidationError:
        return False
    return True


def _python_says(constraint, obj, exclude=frozenset()) -> bool:
    try:
        if isinstance(constraint, CheckConstraint):
            services._check_passes(constraint, type(obj), obj, set(exclude), "default")
        else:
            services._unique_passes(constraint, type(obj), obj, set(exclude), "default")
    except ValidationError:
        return False
    return True


def _agree(obj, exclude=frozenset()):
    for _model, constraints in obj.get_constraints():
        for constraint in constraints:
            assert _python_says(constraint, obj, exclude) == _database_says(
                constraint, obj, exclude), (constraint.name, vars(obj))


FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(status=st.sampled_from(["operating", "suspended", "dissolved", Enterprise.Status.DISSOLVED]),
       since=DAYS, established=DAYS,
       tax_code=st.sampled_from(["0101234567", "0101234567-001", "010123456", "01012345678",
                                 "0101234567-01", "abcdefghij", ""]))
def test_enterprise_checks_agree_with_the_database(zone_a, status, since, established, tax_code):
    _agree(Enterprise(zone=zone_a, name="A", legal_form="khac", capital_source="fdi",
                      status=status, status_since=since, established_on=established,
                      tax_code=tax_code))


@FUZZ
@given(total=st.integers(min_value=0, max_value=50), female=COUNTS, union=COUNTS, youth=COUNTS)
def test_workforce_checks_agree_with_the_database(total, female, union, youth):
    enterprise = EnterpriseFactory()
    _agree(WorkforceRecord(enterprise=enterprise, as_of=date(2026, 1, 1), total_workers=total,
                           female_workers=female, union_members=union,
                           youth_union_members=youth))


@FUZZ
@given(established=DAYS, dissolved=DAYS,
       kind=st.sampled_from(["trade_union", "youth_union"]), exclude_kind=st.booleans())
def test_mass_organization_checks_agree_with_the_database(established, dissolved, kind,
                                                          exclude_kind):
    enterprise = EnterpriseFactory()
    MassOrganization.objects.create(enterprise=enterprise, kind="trade_union")
    _agree(MassOrganization(enterprise=enterprise, kind=kind, established_on=established,
                            dissolved_on=dissolved),
           exclude={"kind"} if exclude_kind else set())


@FUZZ
@given(name=st.sampled_from(["Chi bộ A", "Chi bộ B", "Chi bộ ghép"]), joint=st.booleans(),
       kind=st.sampled_from(["dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc"]),
       with_parent=st.booleans(), dissolved=DAYS)
def test_party_organization_checks_agree_with_the_database(name, joint, kind, with_parent,
                                                          dissolved):
    enterprise = EnterpriseFactory()
    parent = PartyOrganizationFactory(name="Chi bộ A", enterprise=enterprise,
                                      kind="dang_bo_co_so")
    if not PartyOrganization.objects.filter(name="Chi bộ ghép", enterprise=None).exists():
        PartyOrganizationFactory(name="Chi bộ ghép", enterprise=None, zone=enterprise.zone)
    obj = PartyOrganization(name=name, kind=kind, enterprise=None if joint else enterprise,
                            zone=enterprise.zone, parent=parent if with_parent else None,
                            established_on=date(2020, 1, 1), dissolved_on=dissolved)
    _agree(obj)
    parent.parent = parent  # its own superior
    _agree(parent)


def test_full_clean_reports_like_django(zone_a):
    enterprise = EnterpriseFactory(zone=zone_a)
    cases = [
        Enterprise(zone=zone_a, name="A", legal_form="khac", capital_source="fdi",
                   tax_code=enterprise.tax_code, status="dissolved",
                   established_on=date(2020, 1, 1)),
        Enterprise(zone=zone_a, name="", legal_form="xyz", capital_source="fdi",
                   tax_code="0101234568", status="suspended", status_since=date(2019, 1, 1),
                   established_on=date(2020, 1, 1)),
        WorkforceRecord(enterprise=enterprise, as_of=date(2026, 1, 1), total_workers=5,
                        female_workers=6, union_members=7),
    ]
    for obj in cases:
        with pytest.raises(ValidationError) as django_says:
            obj.full_clean()
        with pytest.raises(ValidationError) as ours:
            services._full_clean(obj)
        assert ours.value.message_dict == django_says.value.message_dict


def test_python_checks_save_the_constraint_queries(zone_a):
    enterprise = Enterprise(zone=zone_a, name="Công ty A", legal_form="khac",
                            capital_source="fdi", tax_code=valid_tax_code(77))
    with CaptureQueriesContext(connection) as django_way:
        enterprise.full_clean()
    with CaptureQueriesContext(connection) as ours:
        services._full_clean(enterprise)
    # Django: the zone's existence, the tax code's uniqueness, and each check
    # constraint in a savepoint; ours: the uniqueness only.
    assert len(ours) == 1 < len(django_way)


def _file(rows: int, *, start: int = 0, zone: str = "HX", bad_row: int | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
                  "Nguồn vốn", "Tổng số lao động", "Lao động nữ", "Có công đoàn",
                  "Ngày thành lập công đoàn"])
    for n in range(start, start + rows):
        female = 999 if n == bad_row else 40
        sheet.append([f"Công ty TNHH Số {n}", valid_tax_code(n), zone, "Công ty cổ phần",
                      "FDI", 100, female, "Có" if n % 2 else "", "05/03/2016"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def hx(db):
    return ZoneFactory(code="HX", name="Khu công nghiệp Hòa Xá")


def _queries_of_import(data: bytes) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = EnterpriseImporter(as_of=date(2026, 6, 30)).run(io.BytesIO(data))
    assert result.ok, result.errors
    return len(queries)


def test_a_valid_import_writes_in_batches(hx):
    few = _queries_of_import(_file(10))
    many = _queries_of_import(_file(120, start=100))
    assert many == few  # the number of queries does not grow with the rows
    assert Enterprise.objects.count() == 130
    assert WorkforceRecord.objects.count() == 130
    assert MassOrganization.objects.count() == 130  # the date alone means a union exists
    e = Enterprise.objects.get(tax_code=valid_tax_code(101))
    assert e.history.count() == 1 and e.search_text and e.sort_name
    record = e.workforce_records.get()
    assert (record.total_workers, record.female_workers, record.as_of) == (
        100, 40, date(2026, 6, 30))
    assert record.history.count() == 1
    assert e.mass_organizations.get().established_on == date(2016, 3, 5)


def test_a_bad_row_is_reported_exactly_as_row_by_row(hx):
    data = _file(30, bad_row=17)
    with translation.override("vi"):
        result = EnterpriseImporter(as_of=date(2026, 6, 30)).run(io.BytesIO(data))
    assert not result.ok
    assert not Enterprise.objects.exists()
    assert len(result.errors) == 1
    assert result.errors[0].startswith("Dòng 19, cột 'Lao động nữ'")
    assert [r.number for r in result.rows if r.errors] == [19]
    assert sum(r.status == "new" for r in result.rows) == 29


def test_a_refused_batch_falls_back_to_row_by_row(hx, monkeypatch):
    """A tax code written by someone else after the file was checked."""
    taken = valid_tax_code(5)
    EnterpriseFactory(tax_code=taken, zone=hx)
    monkeypatch.setattr(EnterpriseImporter, "_existing_enterprises", lambda self: {})
    with translation.override("vi"):
        result = EnterpriseImporter(as_of=date(2026, 6, 30)).run(io.BytesIO(_file(8)))
    assert not result.ok
    assert Enterprise.objects.count() == 1
    assert len(result.errors) == 1 and result.errors[0].startswith("Dòng 7, cột 'Mã số thuế'")


def test_dry_run_writes_nothing(hx):
    result = EnterpriseImporter(as_of=date(2026, 6, 30)).run(io.BytesIO(_file(5)), dry_run=True)
    assert result.ok and result.created == 5
    assert not Enterprise.objects.exists()


def test_bulk_create_refuses_a_taken_tax_code(hx):
    EnterpriseFactory(tax_code=valid_tax_code(1), zone=hx)
    item = services.enterprise_build(data={
        "tax_code": valid_tax_code(1), "name": "B", "zone": hx, "legal_form": "khac",
        "capital_source": "fdi"})
    with pytest.raises(ValidationError) as refused:
        services.enterprise_bulk_create(items=[item])
    assert "tax_code" in refused.value.message_dict


def test_build_keeps_workforce_records_as_the_service_does(hx):
    item = services.enterprise_build(
        data={"tax_code": valid_tax_code(3), "name": "C", "zone": hx, "legal_form": "khac",
              "capital_source": "fdi"},
        workforce_records=[
            {"as_of": date(2025, 12, 31), "total_workers": 10},
            {"as_of": date(2026, 6, 30), "total_workers": 10},  # the same figures: not kept
            {"as_of": date(2026, 7, 1), "total_workers": 12, "female_workers": 5},
            {"as_of": date(2026, 7, 1), "total_workers": 13},  # the same day: replaces
        ])
    assert [(r.as_of, r.total_workers) for r in item.workforce_records] == [
        (date(2025, 12, 31), 10), (date(2026, 7, 1), 13)]


def _snapshot():
    return {
        "enterprises": list(Enterprise.objects.order_by("tax_code").values_list(
            "tax_code", "name", "zone__code", "status", "status_since", "search_text",
            "sort_name", "phone")),
        "workforce": sorted(WorkforceRecord.objects.values_list(
            "enterprise__tax_code", "as_of", "total_workers", "female_workers",
            "union_members", "youth_union_members", "source")),
        "unions": sorted(MassOrganization.objects.values_list(
            "enterprise__tax_code", "kind", "established_on")),
        "party_orgs": sorted(PartyOrganization.objects.values_list(
            "name", "kind", "enterprise__tax_code", "zone__code", "parent__name",
            "established_on", "decision_number"), key=str),
        "history": Enterprise.history.count() + WorkforceRecord.history.count()
        + PartyOrganization.history.count(),
    }


def test_large_demo_in_batches_equals_row_by_row(monkeypatch):
    monkeypatch.setitem(demo.SIZES, "small", {"zones": 3, "enterprises": 60})
    monkeypatch.setitem(demo.SIZES, "large", {"zones": 3, "enterprises": 60})
    today = date(2026, 9, 15)
    snapshots = {}
    for size in ("small", "large"):
        with transaction.atomic():
            ctx = SeedContext(size=size, rng=random.Random(7), stdout=io.StringIO(),
                              extra={"today": today})
            demo.seed(ctx)
            snapshots[size] = _snapshot()
            transaction.set_rollback(True)
    assert snapshots["small"]["enterprises"]
    assert snapshots["small"]["party_orgs"]
    assert snapshots["large"] == snapshots["small"]
