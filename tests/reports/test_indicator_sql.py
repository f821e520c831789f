"""The SQL of the grouped indicators' queries is built once per process and
reused (core.indicators._compiled): it must never depend on the data.

Built on an empty database, then on the rich data of
tests/reports/test_grouped_indicators.py, for the province, some zones, and
grouped by zone: the same SQL. (That the reused SQL counts the data of the
moment is tested there.)
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q

from core import indicators
from core.indicators import Indicator, get
from core.periods import HALF, MONTH, QUARTER, YEAR, Period
from enterprises.models import Enterprise, PartyOrganization
from tests.conftest import make_zone_a, make_zone_b
from tests.enterprises.factories import make_enterprise, make_partyorg
from tests.reports.test_grouped_indicators import PERIODS, _rich

pytestmark = pytest.mark.django_db

SHAPES = [(None, False), (frozenset({1, 2}), False), (None, True), (frozenset({3}), True)]


def _grouped_sql(pairs, zone_ids, by_zone):
    """The SQL of each grouped query of ``pairs``, built afresh."""
    groups, _alone = indicators._columns(pairs)
    indicators._compiled.cache_clear()
    # (Rows of no zone are never grouped by zone: compute_many_by_zone totals them.)
    return {key: indicators._compiled(key, tuple((i, i.condition, p) for i, p in columns),
                                      zone_ids, by_zone and key[1] is not None)
            for key, columns in groups.items()}


def test_the_sql_of_a_grouped_query_does_not_depend_on_the_data():
    pairs = [(indicator, period) for indicator in indicators.INDICATORS.values()
             if indicator.is_grouped for period in PERIODS[6:9]]
    assert not Enterprise.objects.exists()
    empty = {shape: _grouped_sql(pairs, *shape) for shape in SHAPES}
    _rich(make_zone_a(), make_zone_b())
    assert Enterprise.objects.count() > 5
    for shape, queries in empty.items():
        assert _grouped_sql(pairs, *shape) == queries, shape
    # Every grouped indicator's model was among them.
    assert {key[0] for key in empty[None, False]} == {
        indicator.source for indicator, _period in pairs}


# --- built once per indicator (core.indicators: the stand-in period) --------------------

REAL_PERIODS = [
    Period.of(MONTH, 2024, 2),                              # a leap February
    Period.of(MONTH, 2025, 12),
    Period.of(QUARTER, 2026, 3),
    Period.of(HALF, 2025, 1),
    Period.of(YEAR, 2023),
    Period.of(YEAR, 2026).so_far(date(2026, 2, 28)),
    Period.span(date(2025, 9, 24), date(2026, 9, 23)),      # a year of the regulation
    Period.span(date(2026, 3, 1), date(2026, 3, 1)),        # one day
]


def _groups():
    groups = {}
    for indicator in indicators.INDICATORS.values():
        if indicator.is_grouped:
            groups.setdefault((indicator.source, indicator.zone, indicator.selective),
                              []).append(indicator)
    return groups


def _sql(build, *args):
    try:
        return build(*args)
    except EmptyResultSet:  # a scope of zones for rows of no zone
        return "no row"


def test_the_sql_from_the_stand_in_is_the_sql_built_for_the_real_periods():
    """For every group of indicators, for periods of every kind, shape and
    scope: the query obtained from the stand-in's columns is, character for
    character and parameter for parameter, the one built for the real
    periods; one period after another, and several at once."""
    checked = 0
    for key, members in _groups().items():
        for zone_ids, by_zone in SHAPES:
            by_zone = by_zone and key[1] is not None
            for period in REAL_PERIODS:
                columns = [(indicator, period) for indicator in members]
                built = _sql(indicators._built, key, columns, zone_ids, by_zone)
                assert _sql(indicators._from_stand_in, key, columns, zone_ids, by_zone) == built
                # Every condition reads its period's end (rows of no zone: none for zones).
                assert built == "no row" and zone_ids and key[1] is None or period.end in built[1]
                checked += 1
            # Several periods of each indicator in one query, in any order.
            columns = [(indicator, period) for period in REAL_PERIODS[::-1]
                       for indicator in members[::-1]]
            assert _sql(indicators._from_stand_in, key, columns, zone_ids, by_zone) == \
                _sql(indicators._built, key, columns, zone_ids, by_zone)
    assert checked == len(_groups()) * len(SHAPES) * len(REAL_PERIODS)


def test_the_stand_in_days_appear_in_no_real_query():
    # Its days are not a period's: they never stand for themselves.
    assert indicators.STAND_IN.start.year < 1950
    year = Period.of(YEAR, 2026)
    for key, members in _groups().items():
        sql, params = indicators._compiled.__wrapped__(
            key, tuple((i, i.condition, year) for i in members), None, False)
        assert indicators.STAND_IN.start not in params and indicators.STAND_IN.end not in params


def test_a_condition_computing_a_day_from_its_period_is_built_for_the_real_period():
    """A condition whose SQL holds a day other than the period's first and
    last (here the day before its end) cannot be obtained by replacing the
    stand-in's days: its query is built for the real period, and counts."""
    day_before = Indicator(
        position=0, code="test_day_before", label="", description="", kind=indicators.STOCK,
        rows=lambda period: PartyOrganization.objects.none(), source=PartyOrganization,
        zone="zone", condition=lambda period: Q(established_on__lte=period.end - timedelta(1)),
        in_catalogue=False, selective=False)
    key = (PartyOrganization, "zone", False)
    period = Period.of(YEAR, 2026)
    assert indicators._from_stand_in(key, [(day_before, period)], None, False) is None
    sql, params = indicators._compiled.__wrapped__(
        key, ((day_before, day_before.condition, period),), None, False)
    assert date(2026, 12, 30) in params
    make_partyorg(enterprise=make_enterprise(), established_on=date(2026, 12, 30))
    make_partyorg(enterprise=make_enterprise(), established_on=date(2026, 12, 31))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchall() == [(1,)]


def test_no_stand_in_where_the_backend_writes_days_as_text(monkeypatch):
    """SQLite (the embedded default) receives days as text: a day computed
    from the period could not be told apart there, so its queries are built
    for the real periods."""
    indicator = get("enterprises")
    key = (indicator.source, indicator.zone, indicator.selective)
    year = Period.of(YEAR, 2026)
    assert indicators._from_stand_in(key, [(indicator, year)], None, False) is not None
    monkeypatch.setattr(connection.ops, "adapt_datefield_value", lambda value: str(value))
    assert indicators._from_stand_in(key, [(indicator, year)], None, False) is None
