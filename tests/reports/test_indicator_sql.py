"""The SQL of the grouped indicators' queries is built once per process and
reused (core.indicators._compiled): it must never depend on the data.

Built on an empty database, then on the rich data of
tests/reports/test_grouped_indicators.py, for the province, some zones, and
grouped by zone: the same SQL. (That the reused SQL counts the data of the
moment is tested there.)
"""

from __future__ import annotations

import pytest

from core import indicators
from enterprises.models import Enterprise
from tests.conftest import make_zone_a, make_zone_b
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
