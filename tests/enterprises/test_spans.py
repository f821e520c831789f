"""The enterprises' spans (enterprises.spans): the rule itself, and the spans
kept in step through every way the registry changes.

Each check compares what the spans say at every day where something changes
(and the day before and after) with the same facts read from the registry
itself: operating (enterprises.models.operating_on), a party organization,
a trade union, a youth union of its own active then
(enterprises.selectors.has_party_organization / has_mass_organization) and
the latest workforce record on or before the day; and the stored spans with
those rewritten from scratch (``rebuild``)."""

from __future__ import annotations

import importlib
import itertools
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from core.indicators import Scope, compute_many, get
from core.periods import Period
from enterprises import services, spans
from enterprises.models import (
    Enterprise,
    EnterpriseSpan,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
    operating_on,
)
from enterprises.selectors import has_mass_organization, has_party_organization, latest_workforce
from enterprises.spans import Facts, Span

from .factories import ZoneFactory, make_enterprise, make_massorg, make_partyorg, make_workforce

DAY = timedelta(days=1)
Kind = MassOrganization.Kind


# --- the rule ---------------------------------------------------------------------------


def test_spans_of_an_enterprise_worked_out_by_hand():
    est, party_from, party_to = date(2020, 1, 10), date(2021, 3, 1), date(2022, 6, 1)
    facts = Facts(
        established_on=est, dissolved_on=date(2024, 5, 1),
        party_organizations=[(party_from, party_to)],
        trade_unions=[(None, None)],  # undated: since ever
        youth_unions=[(date(2019, 1, 1), date(2020, 2, 1))],  # before the enterprise too
        workforce=[(date(2020, 6, 30), 100), (date(2021, 6, 30), 100), (date(2022, 6, 30), 120),
                   (date(2024, 6, 30), 90)])  # a record after the dissolution changes nothing
    assert spans.spans_of(facts) == [
        Span(est, date(2020, 2, 1), False, True, True, None),
        Span(date(2020, 2, 1), date(2020, 6, 30), False, True, False, None),
        # The same figure recorded again a year later: one span.
        Span(date(2020, 6, 30), party_from, False, True, False, 100),
        Span(party_from, party_to, True, True, False, 100),
        Span(party_to, date(2022, 6, 30), False, True, False, 100),
        Span(date(2022, 6, 30), date(2024, 5, 1), False, True, False, 120),
    ]


def test_spans_of_an_enterprise_without_dates():
    # No establishment date: operating since ever; not dissolved: still open.
    assert spans.spans_of(Facts(None, None)) == [Span(None, None, False, False, False, None)]
    record = date(2023, 4, 1)
    assert spans.spans_of(Facts(None, None, workforce=[(record, 7)])) == [
        Span(None, record, False, False, False, None), Span(record, None, False, False, False, 7)]
    # Established and dissolved the same day: it never operated.
    day = date(2023, 4, 1)
    assert spans.spans_of(Facts(day, day)) == []
    # A party organization dissolved the day it was founded counts on no day.
    assert spans.spans_of(Facts(day, None, party_organizations=[(day + DAY, day + DAY)])) == [
        Span(day, None, False, False, False, None)]


def _random_facts(rng: random.Random) -> Facts:
    def day():
        return date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1500))

    def periods():
        result = []
        for _ in range(rng.randrange(0, 3)):
            start = rng.choice([None, day()])
            end = rng.choice([None, day()])
            if start is not None and end is not None and end < start:
                start, end = end, start
            result.append((start, end))
        return result

    established = rng.choice([None, day()])
    dissolved = rng.choice([None, None, day()])
    if established and dissolved and dissolved < established:
        established, dissolved = dissolved, established
    workforce = {day(): rng.choice([10, 20, 30]) for _ in range(rng.randrange(0, 4))}
    return Facts(established, dissolved, periods(), periods(), periods(),
                 sorted(workforce.items()))


def _holds_on(facts: Facts, day: date):
    """What holds for the enterprise on ``day``, from its facts, day by day."""
    if facts.established_on is not None and facts.established_on > day:
        return None
    if facts.dissolved_on is not None and facts.dissolved_on <= day:
        return None

    def active(periods):
        return any((s is None or s <= day) and (e is None or e > day) for s, e in periods)

    earlier = [total for as_of, total in facts.workforce if as_of <= day]
    return (active(facts.party_organizations), active(facts.trade_unions),
            active(facts.youth_unions), earlier[-1] if earlier else None)


def test_spans_say_what_holds_on_every_day():
    rng = random.Random(20261208)
    for _ in range(300):
        facts = _random_facts(rng)
        result = spans.spans_of(facts)
        for a, b in itertools.pairwise(result):  # in order, never overlapping, never alike
            assert a.ends_on is not None and b.starts_on is not None
            assert a.ends_on <= b.starts_on
            assert not (a.ends_on == b.starts_on and a.state == b.state)
        for day in [date(2019, 12, 31) + timedelta(days=n) for n in range(0, 1510, 3)]:
            found = [s for s in result if (s.starts_on is None or s.starts_on <= day)
                     and (s.ends_on is None or s.ends_on > day)]
            expected = _holds_on(facts, day)
            assert [s.state for s in found] == ([] if expected is None else [expected]), (
                facts, day)


def test_the_migration_writes_the_same_spans():
    migration = importlib.import_module("enterprises.migrations.0005_enterprise_spans")
    rng = random.Random(7)
    for _ in range(300):
        facts = _random_facts(rng)
        assert [(start, end, *state) for start, end, state in migration._spans(
            facts.established_on, facts.dissolved_on, facts.party_organizations,
            facts.trade_unions, facts.youth_unions, facts.workforce)] == [
            (s.starts_on, s.ends_on, *s.state) for s in spans.spans_of(facts)]


# --- kept in step ----------------------------------------------------------------------


def _days() -> list[date]:
    """Every day where a fact changes, and the days around it."""
    days = {date(2000, 1, 1), date(2030, 1, 1)}
    for row in itertools.chain(
            Enterprise.objects.values_list("established_on", "status_since"),
            PartyOrganization.objects.values_list("established_on", "dissolved_on"),
            MassOrganization.objects.values_list("established_on", "dissolved_on"),
            WorkforceRecord.objects.values_list("as_of", "as_of")):
        for day in row:
            if day is not None:
                days.update({day - DAY, day, day + DAY})
    return sorted(days)


def _facts_on(day: date) -> dict[int, tuple]:
    """Each enterprise operating on ``day``, read from the registry itself:
    its zone, whether foreign, and what holds for it then."""
    rows = (Enterprise.objects.filter(operating_on(day))
            .annotate(party=has_party_organization(day),
                      union=has_mass_organization(Kind.TRADE_UNION, day),
                      youth=has_mass_organization(Kind.YOUTH_UNION, day),
                      workers=latest_workforce("total_workers", day))
            .values_list("pk", "zone_id", "capital_source", "party", "union", "youth", "workers"))
    return {pk: (zone, capital in Enterprise.FOREIGN_CAPITAL, party, union, youth, workers)
            for pk, zone, capital, party, union, youth, workers in rows}


def _stored_on(day: date) -> dict[int, tuple]:
    rows = EnterpriseSpan.objects.filter(spans.on(day)).values_list(
        "enterprise_id", "zone_id", "foreign_capital", "party_organization", "trade_union",
        "youth_union", "workers")
    result = {}
    for pk, *state in rows:
        assert pk not in result, f"two spans of enterprise {pk} on {day}"
        result[pk] = tuple(state)
    return result


def _all_spans() -> set[tuple]:
    return set(EnterpriseSpan.objects.values_list(
        "enterprise_id", "zone_id", "starts_on", "ends_on", "foreign_capital",
        "party_organization", "trade_union", "youth_union", "workers"))


def assert_in_step():
    for day in _days():
        assert _stored_on(day) == _facts_on(day), day
    kept = _all_spans()
    spans.rebuild()
    assert _all_spans() == kept


@pytest.fixture
def world(db):
    zone = ZoneFactory(code="SP1")
    other = ZoneFactory(code="SP2")
    a = make_enterprise(zone, established_on=date(2018, 4, 2))
    b = make_enterprise(zone, established_on=None,
                        capital_source=Enterprise.CapitalSource.DOMESTIC_PRIVATE)
    make_workforce(a, 120, as_of=date(2021, 1, 1))
    make_workforce(a, 150, as_of=date(2023, 7, 1))
    make_massorg(a, established_on=date(2019, 1, 1))
    make_massorg(b, Kind.YOUTH_UNION, established_on=None)
    cell = make_partyorg(enterprise=a, established_on=date(2022, 3, 8))
    assert_in_step()
    return {"zone": zone, "other": other, "a": a, "b": b, "cell": cell}


@pytest.mark.django_db
def test_an_enterprise_changed(world):
    a, b = world["a"], world["b"]
    # From its establishment, its union (2019), its first workforce record
    # (2021), its cell (2022-03-08) and its second record (2023-07-01).
    assert list(EnterpriseSpan.objects.filter(enterprise=a).values_list("starts_on", flat=True)
                .order_by("starts_on")) == [date(2018, 4, 2), date(2019, 1, 1), date(2021, 1, 1),
                                            date(2022, 3, 8), date(2023, 7, 1)]
    services.enterprise_update(enterprise=a, data={"established_on": date(2020, 2, 2)})
    assert_in_step()
    services.enterprise_update(enterprise=b, data={
        "zone": world["other"], "capital_source": Enterprise.CapitalSource.JOINT_VENTURE})
    assert_in_step()
    assert set(EnterpriseSpan.objects.filter(enterprise=b).values_list(
        "zone_id", "foreign_capital")) == {(world["other"].pk, True)}
    services.enterprise_dissolve(enterprise=a, on=date(2024, 10, 1))
    assert_in_step()
    assert EnterpriseSpan.objects.filter(enterprise=a).order_by("starts_on").last().ends_on == \
        date(2024, 10, 1)
    # A new enterprise, and one deleted: its spans go with it.
    c = make_enterprise(world["zone"], established_on=date(2025, 1, 1))
    assert_in_step()
    c.delete()
    assert_in_step()
    assert not EnterpriseSpan.objects.filter(enterprise_id=c.pk).exists()


@pytest.mark.django_db
def test_organizations_changed(world):
    a, b, cell = world["a"], world["b"], world["cell"]
    services.party_organization_update(organization=cell,
                                       data={"established_on": date(2021, 9, 9)})
    assert_in_step()
    services.party_organization_dissolve(organization=cell, on=date(2024, 2, 2))
    assert_in_step()
    # Moved to another enterprise (a correction): both enterprises' spans change.
    cell = PartyOrganization.objects.get(pk=cell.pk)
    cell.enterprise = b
    cell.full_clean()
    cell.save()
    assert_in_step()
    assert not EnterpriseSpan.objects.filter(enterprise=a, party_organization=True).exists()
    assert EnterpriseSpan.objects.filter(enterprise=b, party_organization=True).exists()
    cell.delete()
    assert_in_step()
    assert not EnterpriseSpan.objects.filter(party_organization=True).exists()
    # A joint cell (no enterprise of its own) is no enterprise's organization.
    make_partyorg(zone=world["zone"], established_on=date(2020, 1, 1))
    assert_in_step()
    union = MassOrganization.objects.get(enterprise=a, kind=Kind.TRADE_UNION)
    services.mass_organization_dissolve(organization=union, on=date(2023, 3, 3))
    assert_in_step()
    make_massorg(a, established_on=date(2024, 4, 4))
    assert_in_step()
    MassOrganization.objects.filter(enterprise=b).get().delete()
    assert_in_step()
    # A women's union counts in no figure.
    make_massorg(b, Kind.WOMEN, established_on=date(2020, 1, 1))
    assert_in_step()


@pytest.mark.django_db
def test_workforce_records_changed(world):
    a, b = world["a"], world["b"]
    make_workforce(a, 170, as_of=date(2023, 7, 1))  # the same day: updated
    assert_in_step()
    make_workforce(b, 40, as_of=date(2019, 5, 5))
    assert_in_step()
    WorkforceRecord.objects.filter(enterprise=a, as_of=date(2021, 1, 1)).delete()  # a queryset
    spans.refresh([a.pk])  # (a queryset's delete sends the signals too; refreshed anyway)
    assert_in_step()
    WorkforceRecord.objects.get(enterprise=a).delete()
    assert_in_step()
    assert set(EnterpriseSpan.objects.filter(enterprise=a).values_list("workers", flat=True)) \
        == {None}


@pytest.mark.django_db
def test_bulk_writes_write_spans(world, monkeypatch):
    monkeypatch.setattr(spans, "_BATCH", 1)  # each enterprise its own batch
    zone = world["zone"]
    items = [services.enterprise_build(
        data={"tax_code": tax_code, "name": f"Công ty {n}", "zone": zone,
              "legal_form": Enterprise.LegalForm.LLC_ONE,
              "capital_source": Enterprise.CapitalSource.FDI,
              "established_on": date(2016 + n, 1, 1)},
        workforce_records=[{"as_of": date(2022, 1, 1), "total_workers": 10 * (n + 1)}],
        mass_organizations=[(Kind.TRADE_UNION, date(2017 + n, 6, 1))])
        for n, tax_code in enumerate(["0100109106", "0100112437"])]
    services.enterprise_bulk_create(items=items)
    assert EnterpriseSpan.objects.filter(enterprise__tax_code="0100109106").count() == 3
    assert_in_step()
    organizations = [PartyOrganization(name="Chi bộ hàng loạt", enterprise=item.enterprise,
                                       zone=zone, kind=PartyOrganization.Kind.GRASSROOTS_CELL,
                                       established_on=date(2023, 1, 1)) for item in items]
    services.party_organization_bulk_create(organizations=organizations)
    assert_in_step()


@pytest.mark.django_db
def test_the_indicators_read_the_spans(world):
    """The registry's stocks for a zone and a date, counted from the spans,
    against the same facts counted by hand."""
    a, b = world["a"], world["b"]
    make_workforce(b, 30, as_of=date(2022, 1, 1))
    zone = Scope.zone(world["zone"].pk)
    expected = {
        # a: established 2018-04-02, union since 2019, 120 workers from 2021, cell
        # from 2022-03-08, 150 workers from 2023-07-01; b: since ever, domestic,
        # youth union since ever, 30 workers from 2022.
        date(2017, 12, 31): dict(enterprises=1, enterprises_foreign=0,
                                 enterprises_with_party_org=0, enterprises_without_party_org=1,
                                 enterprises_with_union=0, enterprises_with_youth_union=1,
                                 workers=0),
        date(2022, 3, 8): dict(enterprises=2, enterprises_foreign=1,
                               enterprises_with_party_org=1, enterprises_without_party_org=1,
                               enterprises_with_union=1, enterprises_with_youth_union=1,
                               workers=150),
        date(2023, 7, 1): dict(enterprises=2, enterprises_foreign=1,
                               enterprises_with_party_org=1, enterprises_without_party_org=1,
                               enterprises_with_union=1, enterprises_with_youth_union=1,
                               workers=180),
    }
    periods = {day: Period.of("year", day.year).so_far(day) for day in expected}
    figures = compute_many([(code, periods[day]) for day, codes in expected.items()
                            for code in codes], zone)
    for day, codes in expected.items():
        assert {code: figures[code, periods[day]] for code in codes} == codes, day
        for code, value in codes.items():  # each on its own too
            assert get(code).compute(zone, periods[day]) == value
    assert a.pk != b.pk


@pytest.mark.django_db
def test_rebuild_command(world, capsys):
    count = EnterpriseSpan.objects.count()
    EnterpriseSpan.objects.all().delete()
    call_command("rebuild_spans")
    assert capsys.readouterr().out.strip() == f"{count} spans written."
    assert_in_step()


@pytest.mark.django_db
def test_the_demo_data_has_its_spans():
    """seed_demo writes the registry through the services' bulk writes: the
    spans it leaves are those a rebuild writes."""
    from tests.seeded_demo import seed_demo

    seed_demo("--seed", "7")
    kept = _all_spans()
    assert len(kept) >= Enterprise.objects.count()
    spans.rebuild()
    assert _all_spans() == kept
