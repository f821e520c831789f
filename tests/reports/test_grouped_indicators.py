"""Many figures at once (core.indicators.compute_many and compute_many_by_zone).

The grouped computation counts the indicators sharing a model in one query
with conditional aggregation. It must give exactly the figures of each
indicator computed on its own (``Indicator.compute`` / ``compute_by_zone``)
and of the definitions the list pages use (coordination.selectors,
enterprises.selectors), for every indicator of the catalogue, on rich data:
the dashboard's data (``populate``), the history world (moves, transfers,
temporary attendance, joint cells, a cell without a zone, members who left)
and a third zone with dissolutions, suspended and foreign enterprises, union
histories, several workforce records and repeated survey visits. Periods and
dates are worked out from today, so the test holds whatever today is.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count, Exists, OuterRef, Q, Sum

from coordination.models import AdmissionCandidate
from coordination.selectors import admitted_within, official_on, open_candidates, placed_at, qualifying
from core import indicators
from core.indicators import (
    CATALOGUE,
    Indicator,
    Scope,
    by_zone,
    compute_all,
    compute_many,
    compute_many_by_zone,
    get,
)
from core.periods import MONTH, QUARTER, YEAR, Period
from enterprises import services as registry
from enterprises.models import Enterprise, MassOrganization, PartyOrganization
from enterprises.selectors import has_mass_organization, has_party_organization, latest_workforce
from surveys.models import SurveyVisit
from tests.conftest import make_zone_a, make_zone_b, module_data
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory, ZoneFactory
from tests.reports.factories import TODAY, populate_both
from tests.reports.test_history_holds import Y, make_world, what_happens_since
from tests.reports.test_indicators import visit

pytestmark = pytest.mark.django_db

Kind = MassOrganization.Kind
Capital = Enterprise.CapitalSource
Status = Enterprise.Status


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# The periods compared: months, quarters, years, and the ones still running cut at today.
PERIODS = [
    Period.of(MONTH, Y, 5),
    Period.of(MONTH, Y + 1, 3),                                  # the moves of D1
    Period.containing(MONTH, TODAY).so_far(TODAY),               # the month so far
    Period.containing(MONTH, TODAY).previous(),
    Period.of(QUARTER, Y, 2),
    Period.containing(QUARTER, TODAY).so_far(TODAY),
    Period.of(YEAR, Y),
    Period.of(YEAR, Y + 1),                                      # last year
    Period.of(YEAR, TODAY.year).so_far(TODAY),                   # this year so far
    Period.of(YEAR, TODAY.year - 5),                             # before most of the data
]


# --- the definitions as the list pages write them ---------------------------------------

def _operating(period):
    return Enterprise.objects.operating_on(period.end)


def _members(period):
    return placed_at(period.end)


MEMBERS = Count("member", distinct=True)
WORKPLACE = "enterprise__zone"

# code: (rows(period), zone path, aggregate(period) or None for a row count)
REFERENCE = {
    "enterprises": (_operating, "zone", None),
    "enterprises_foreign": (
        lambda p: _operating(p).filter(capital_source__in=Enterprise.FOREIGN_CAPITAL), "zone",
        None),
    "enterprises_with_party_org": (
        lambda p: _operating(p).filter(has_party_organization(p.end)), "zone", None),
    "enterprises_without_party_org": (
        lambda p: _operating(p).filter(~has_party_organization(p.end)), "zone", None),
    "enterprises_qualifying": (lambda p: qualifying(p.end), "zone", None),
    "party_orgs": (
        lambda p: PartyOrganization.objects.filter(
            Q(established_on__lte=p.end)
            & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=p.end))), "zone", None),
    "party_orgs_new": (
        lambda p: PartyOrganization.objects.filter(established_on__range=(p.start, p.end)),
        "zone", None),
    "members": (_members, WORKPLACE, lambda p: MEMBERS),
    "members_official": (
        lambda p: _members(p).filter(official_on(p.end, "member__")), WORKPLACE,
        lambda p: MEMBERS),
    "members_probationary": (
        lambda p: _members(p).exclude(official_on(p.end, "member__")), WORKPLACE,
        lambda p: MEMBERS),
    "members_owners": (
        lambda p: _members(p).filter(member__is_enterprise_owner=True), WORKPLACE,
        lambda p: MEMBERS),
    "members_new": (lambda p: admitted_within(p.start, p.end), WORKPLACE, lambda p: MEMBERS),
    "candidates_open": (
        lambda p: AdmissionCandidate.objects.filter(open_candidates(p.end)), WORKPLACE, None),
    "candidates_course_completed": (
        lambda p: AdmissionCandidate.objects.filter(
            course_completed_on__range=(p.start, p.end)), WORKPLACE, None),
    "enterprises_with_union": (
        lambda p: _operating(p).filter(has_mass_organization(Kind.TRADE_UNION, p.end)), "zone",
        None),
    "enterprises_with_youth_union": (
        lambda p: _operating(p).filter(has_mass_organization(Kind.YOUTH_UNION, p.end)), "zone",
        None),
    "workers": (_operating, "zone",
                lambda p: Sum(latest_workforce("total_workers", p.end), default=0)),
    "enterprises_surveyed": (
        lambda p: Enterprise.objects.filter(Exists(SurveyVisit.objects.filter(
            enterprise=OuterRef("pk"), visited_on__range=(p.start, p.end)))), "zone", None),
}


def reference(code: str, scope: Scope, period: Period):
    rows, zone, aggregate = REFERENCE[code]
    total = Count("pk") if aggregate is None else aggregate(period)
    return scope.filter(rows(period), zone).order_by().aggregate(value=total)["value"]


def reference_by_zone(code: str, period: Period, zone_ids) -> dict:
    rows, zone, aggregate = REFERENCE[code]
    total = Count("pk") if aggregate is None else aggregate(period)
    values = Scope(zone_ids).filter(rows(period), zone).order_by().values(zone) \
        .annotate(value=total).values_list(zone, "value")
    return {zone_id: value for zone_id, value in values if value}


def non_zero(values: dict) -> dict:
    return {key: value for key, value in values.items() if value}


# --- the data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rich_data(django_db_setup, django_db_blocker):
    """Written once for the module, whose tests only read it
    (tests/conftest.py's module_data)."""
    with module_data(django_db_blocker):
        yield _rich(make_zone_a(), make_zone_b())


@pytest.fixture
def rich(rich_data, db):
    return rich_data


def _rich(zone_a, zone_b):
    """The dashboard's data in zones A and B, the history world with all its
    moves in the same zones, and a third zone with the rest."""
    data = populate_both(zone_a, zone_b)
    what_happens_since(make_world(zone_a, zone_b))
    zone_c = ZoneFactory(code="CCC", name="Khu công nghiệp Cầu Chéo")
    fdi = EnterpriseFactory(zone=zone_c, capital_source=Capital.FDI,
                            established_on=date(Y - 1, 6, 1))
    joint = EnterpriseFactory(zone=zone_c, capital_source=Capital.JOINT_VENTURE,
                              established_on=None)
    state = EnterpriseFactory(zone=zone_c, capital_source=Capital.STATE,
                              established_on=date(Y, 2, 1))
    EnterpriseFactory(zone=zone_c, status=Status.SUSPENDED, status_since=date(Y, 8, 1))
    gone = EnterpriseFactory(zone=zone_c, capital_source=Capital.FDI,
                             established_on=date(Y - 3, 1, 1))
    registry.enterprise_dissolve(enterprise=gone, on=ago(20))
    # Party organizations: one dissolved, one founded this month (or today on the 1st).
    PartyOrganizationFactory(enterprise=fdi, established_on=date(Y, 4, 1),
                             dissolved_on=date(Y + 1, 2, 1))
    PartyOrganizationFactory(enterprise=joint, established_on=max(TODAY.replace(day=1),
                                                                   ago(3)))
    # Unions: a youth union dissolved, a trade union founded later, an undated one.
    youth = registry.mass_organization_create(enterprise=fdi, kind=Kind.YOUTH_UNION,
                                              established_on=date(Y - 1, 1, 1))
    registry.mass_organization_dissolve(organization=youth, on=date(Y + 1, 1, 1))
    registry.mass_organization_create(enterprise=fdi, kind=Kind.TRADE_UNION,
                                      established_on=date(Y + 1, 6, 1))
    registry.mass_organization_create(enterprise=state, kind=Kind.TRADE_UNION)
    # Several workforce records: the latest on or before each end counts.
    for as_of, workers in [(date(Y - 1, 1, 1), 40), (date(Y, 7, 1), 55), (ago(40), 70)]:
        registry.workforce_record(enterprise=fdi, as_of=as_of, total_workers=workers)
    registry.workforce_record(enterprise=gone, as_of=date(Y, 1, 1), total_workers=900)
    # Three official members and a probationary owner at the state enterprise;
    # one of them leaves in Y + 1.
    for i in range(3):
        make_member(enterprise=state, admitted_on=date(Y - 2, 1, 1),
                    official_on=date(Y - 1, 1, 1), given_name=f"Nhà Nước {i}")
    make_member(enterprise=state, admitted_on=ago(10), is_enterprise_owner=True)
    make_member(enterprise=fdi, admitted_on=date(Y, 1, 1), official_on=date(Y + 1, 1, 1),
                left_on=date(Y + 1, 9, 30), left_reason="deceased")
    # Candidates: closed, admitted, completing the course at a month's ends.
    make_candidate(enterprise=joint, identified_on=date(Y, 2, 1), closed_on=date(Y + 1, 2, 1),
                   closed_reason="withdrew")
    make_candidate(enterprise=fdi, identified_on=date(Y, 3, 1),
                   course_completed_on=TODAY.replace(day=1), certificate_number="CN-C1")
    make_candidate(enterprise=state, identified_on=date(Y - 1, 3, 1),
                   course_completed_on=date(Y, 5, 31), certificate_number="CN-C2")
    # Surveys: one enterprise twice in a month, once more later; another once.
    for on in (date(Y, 5, 2), date(Y, 5, 20), ago(2)):
        visit(fdi, on)
    visit(joint, date(Y + 1, 3, 31))
    return {**data, "zone_c": zone_c}


def scopes(rich) -> list[Scope]:
    a, b, c = rich["zone_a"].pk, rich["zone_b"].pk, rich["zone_c"].pk
    return [Scope.province(), Scope.zone(a), Scope.zone(c), Scope(frozenset({a, b})),
            Scope(frozenset({a, c})), Scope(frozenset())]


ALL_PAIRS = [(indicator, period) for indicator in CATALOGUE for period in PERIODS]


# --- equal figures ------------------------------------------------------------------------


def test_every_indicator_is_counted_grouped():
    for indicator in CATALOGUE:
        assert indicator.is_grouped, indicator.code
    # Five models: the enterprises' stocks are counted from their spans, their
    # flow (surveyed) from the enterprises; the others have stocks and flows.
    assert len({(i.source, i.zone) for i in CATALOGUE}) == 5
    assert len({(i.source, i.zone, i.kind) for i in CATALOGUE}) == 8


def test_grouped_figures_equal_each_indicator_computed_alone(rich):
    seen_non_zero = set()
    for scope in scopes(rich):
        figures = compute_many(ALL_PAIRS, scope)
        assert len(figures) == len(ALL_PAIRS)
        for indicator, period in ALL_PAIRS:
            alone = indicator.compute(scope, period)
            assert figures[indicator.code, period] == alone, (indicator.code, period, scope)
            assert alone == reference(indicator.code, scope, period), \
                (indicator.code, period, scope)
            if alone:
                seen_non_zero.add(indicator.code)
    # The data is not empty: every indicator counts something somewhere.
    assert seen_non_zero == {i.code for i in CATALOGUE}


@pytest.mark.parametrize("which", ["every zone", "some zones"])
def test_grouped_figures_per_zone_equal_each_indicator_computed_alone(rich, which):
    zone_ids = None if which == "every zone" else frozenset({rich["zone_a"].pk,
                                                              rich["zone_c"].pk})
    figures = compute_many_by_zone(ALL_PAIRS, zone_ids)
    assert len(figures) == len(ALL_PAIRS)
    for indicator, period in ALL_PAIRS:
        alone = non_zero(indicator.compute_by_zone(period, zone_ids))
        assert figures[indicator.code, period] == alone, (indicator.code, period)
        assert alone == reference_by_zone(indicator.code, period, zone_ids), \
            (indicator.code, period)
    if zone_ids is None:
        # The cell directly under the IZ Board belongs to no zone.
        assert figures["party_orgs", Period.of(YEAR, Y)][None] == 1


def test_compute_all_and_by_zone_are_the_figures_alone(rich):
    zone_ids = frozenset({rich["zone_b"].pk, rich["zone_c"].pk})
    for period in PERIODS:
        for scope in scopes(rich):
            assert compute_all(scope, period) == [
                (indicator, indicator.compute(scope, period)) for indicator in CATALOGUE]
        for ids in (None, zone_ids):
            table = by_zone(period, ids)
            for indicator in CATALOGUE:
                alone = indicator.compute_by_zone(period, ids)
                assert {key: values[indicator.code] for key, values in table.items()
                        if values[indicator.code]} == non_zero(alone), indicator.code


def test_pairs_may_repeat_and_name_indicators_by_code(rich):
    period = PERIODS[-2]
    figures = compute_many([("members", period), (get("members"), period),
                            ("workers", period)], Scope.province())
    assert figures == {("members", period): get("members").compute(Scope.province(), period),
                       ("workers", period): get("workers").compute(Scope.province(), period)}
    assert compute_many([], Scope.province()) == {}
    assert compute_many_by_zone([]) == {}


# --- the fallback ------------------------------------------------------------------------


def _alone_indicator(code="enterprises_alone"):
    """An indicator declared without a grouped form (not registered)."""
    return Indicator(position=90, code=code, label="x", description="x", kind=indicators.STOCK,
                     rows=lambda period: Enterprise.objects.operating_on(period.end)
                     .filter(capital_source=Capital.FDI))


def test_an_indicator_without_a_grouped_form_is_computed_alone(rich,
                                                               django_assert_num_queries):
    alone = _alone_indicator()
    assert not alone.is_grouped
    periods = PERIODS[:3]
    pairs = [(alone, p) for p in periods] + [("enterprises", p) for p in periods]
    # Its own query per period, one for the grouped ones.
    with django_assert_num_queries(len(periods) + 1):
        figures = compute_many(pairs, Scope.province())
    for period in periods:
        assert figures["enterprises_alone", period] == alone.compute(Scope.province(), period)
        assert figures["enterprises", period] == get("enterprises").compute(Scope.province(),
                                                                            period)
    with django_assert_num_queries(len(periods) + 1):
        per_zone = compute_many_by_zone(pairs)
    for period in periods:
        assert per_zone["enterprises_alone", period] == non_zero(alone.compute_by_zone(period))


def test_a_grouped_indicator_alone_in_its_model_is_its_own_query(rich,
                                                                django_assert_num_queries):
    period = PERIODS[0]
    with django_assert_num_queries(1) as captured:
        figures = compute_many([("party_orgs", period)], Scope.province())
    assert "FILTER" not in captured.captured_queries[0]["sql"].upper()
    assert figures["party_orgs", period] == get("party_orgs").compute(Scope.province(), period)


# --- queries -------------------------------------------------------------------------------


def test_the_whole_catalogue_is_one_query_per_model_and_kind_whatever_the_periods(
        rich, django_assert_num_queries):
    # DESIGN §5's table counts four models, each with stocks and flows:
    # enterprises (operating ... / surveyed within), party organizations (active /
    # founded within), placements (members / admitted within), candidates
    # (followed / course completed within): 4 x 2 queries.
    for periods in (PERIODS[:2], PERIODS):
        pairs = [(indicator, period) for indicator in CATALOGUE for period in periods]
        with django_assert_num_queries(8):
            compute_many(pairs, Scope.province())
        with django_assert_num_queries(8):
            compute_many(pairs, Scope.zone(rich["zone_a"].pk))
        with django_assert_num_queries(8):
            compute_many_by_zone(pairs)
    with django_assert_num_queries(8):
        compute_all(Scope.province(), PERIODS[0])
    with django_assert_num_queries(9):  # and the list of zones
        by_zone(PERIODS[0])


def test_reused_sql_counts_the_data_of_the_moment(rich):
    period = PERIODS[8]  # this year so far
    pairs = [("enterprises", period), ("workers", period), ("members", period),
             ("enterprises", PERIODS[7]), ("workers", PERIODS[7]), ("members", PERIODS[7])]
    before = compute_many(pairs, Scope.province())
    newcomer = EnterpriseFactory(zone=rich["zone_c"], established_on=date(Y, 1, 1))
    registry.workforce_record(enterprise=newcomer, as_of=period.start, total_workers=123)
    make_member(enterprise=newcomer, admitted_on=date(Y - 1, 1, 1), official_on=date(Y, 1, 1))
    after = compute_many(pairs, Scope.province())  # the SQL of the first call, reused
    assert after["enterprises", period] == before["enterprises", period] + 1
    assert after["workers", period] == before["workers", period] + 123
    assert after["members", period] == before["members", period] + 1
    # Last year's end: the newcomer had no record yet, but operated and had its member.
    assert after["workers", PERIODS[7]] == before["workers", PERIODS[7]]
    assert after["enterprises", PERIODS[7]] == before["enterprises", PERIODS[7]] + 1
    assert after["members", PERIODS[7]] == before["members", PERIODS[7]] + 1
