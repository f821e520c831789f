"""The dashboard on data each test writes itself (tests/reports/test_dashboard.py
reads the data of its module): on an empty database, the number of queries
whatever the data and the months, the cache, and the working cycle's figures.
"""

from datetime import date

import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.models import AdmissionCandidate, CoordinationPlan, PlanTarget
from core.indicators import Scope, get
from core.periods import Period
from tests.coordination.factories import make_member, make_plan
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory, ZoneFactory

from .factories import populate, this_year
from .support import chart_data, page
from .test_dashboard import (
    APPROVED,
    HOME,
    LAST_YEAR,
    TODAY,
    YEAR,
    expected_figures,
    figure_deltas,
    figure_values,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts without a cached dashboard."""
    cache.clear()
    yield
    cache.clear()


def test_empty_database_shows_empty_states_not_errors(client, pc_officer):
    doc = page(client, pc_officer)
    assert set(figure_values(doc).values()) == {0}
    empties = doc.xpath('//*[@data-testid="chart-empty"]')
    assert len(empties) == 4
    assert not doc.xpath("//canvas")


# --- queries ---------------------------------------------------------------------------------


def _count_queries(client, user, **params) -> int:
    client.force_login(user)
    client.get(HOME, params)  # session, caches
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME, params).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(client, pc_officer, iz_officer,
                                                           zone_a, zone_b, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0  # every request computes everything
    populate(zone_a)
    make_plan(status=APPROVED,
              targets=[("members_new", None, 5), ("members_new", zone_a, 2),
                       ("party_orgs", zone_a, 2), ("party_orgs", zone_b, 2),
                       ("members_new", zone_b, 3)])
    cases = [(pc_officer, {}), (iz_officer, {}), (pc_officer, {"zone": zone_b.pk}),
             (pc_officer, {"period": f"{YEAR - 1}-Q3"})]
    small = [_count_queries(client, user, **params) for user, params in cases]

    populate(zone_a, size=6, seed=2)
    populate(zone_b, size=6, seed=3)
    extra = [ZoneFactory(code=f"X{i}") for i in range(4)]
    for zone in extra:
        populate(zone, size=2)
    plan = CoordinationPlan.objects.get(year=YEAR)
    for i, zone in enumerate(extra):
        PlanTarget.objects.create(plan=plan, indicator="members_new", zone=zone, target_value=3,
                                  order=10 + i)
        PlanTarget.objects.create(plan=plan, indicator="party_orgs", zone=zone, target_value=1,
                                  order=20 + i)
    large = [_count_queries(client, user, **params) for user, params in cases]
    assert large == small
    # Bounded by the models counted, not by the indicators or the months (see
    # the test below).
    assert max(large) <= MOST_QUERIES, large


# The uncached page of a Party Committee officer with the data and the plans
# of the test below: the page itself (the session, the account, the zones,
# the notifications, saving the session: 7); the main figures of the period
# and of the one before with the trend's months, the plan targets' actuals
# and baselines and the working cycle's figures, one query per model, kind
# (stocks at a date; flows within the periods, whose query keeps only their
# rows) and scope; the coverage by zone (1); the funnel (1); the plan and its
# targets (2). One query per indicator and month took 54.
MOST_QUERIES = 25


def test_the_uncached_dashboard_runs_a_few_grouped_queries_whatever_the_months(
        client, pc_officer, zone_a, zone_b, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0  # the first request of a cache window
    populate(zone_a)
    populate(zone_b, size=2, seed=1)
    targets = [("members", None, 40), ("members", zone_a, 20), ("members_new", zone_b, 3),
               ("enterprises_with_party_org", zone_a, 4), ("candidates_open", None, 5),
               ("party_orgs_new", None, 2)]
    for year in (YEAR - 1, YEAR):
        make_plan(year, status=APPROVED, targets=targets)
    # This year so far has as many months as today's date (1 on 1 January);
    # last year and its quarters have twelve.
    periods = [str(YEAR), str(YEAR - 1), f"{YEAR - 1}-Q1", f"{YEAR - 1}-H2"]
    counts = {period: _count_queries(client, pc_officer, period=period) for period in periods}
    assert len(set(counts.values())) == 1, counts
    assert counts[str(YEAR)] <= MOST_QUERIES, counts
    # Every figure of the page is still the catalogue's.
    doc = page(client, pc_officer, period=str(YEAR - 1))
    values, deltas = expected_figures(Scope.province(), LAST_YEAR, Period.of("year", YEAR - 2))
    assert figure_values(doc) == values and figure_deltas(doc) == deltas
    members_new = get("members_new")
    assert chart_data(doc, "monthly")["datasets"][0]["data"] == [
        members_new.compute(Scope.province(), Period.of("month", YEAR - 1, month))
        for month in range(1, 13)]


# --- the cache -------------------------------------------------------------------------------

# The tables the figures count.
COUNTED = ("enterprises_enterprise", "enterprises_partyorganization", "coordination_placement",
           "coordination_admissioncandidate")


def counting(queries) -> list[dict]:
    """The captured queries that read one of the counted tables."""
    return [q for q in queries.captured_queries
            if any(f'FROM "{table}"' in q["sql"] for table in COUNTED)]


def test_a_repeated_visit_is_served_from_the_cache_until_the_data_changes(client, pc_officer,
                                                                          zone_a, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    populate(zone_a)
    client.force_login(pc_officer)
    with CaptureQueriesContext(connection) as cold:
        first = figure_values(lxml.html.fromstring(client.get(HOME).content))
    with CaptureQueriesContext(connection) as warm:
        second = figure_values(lxml.html.fromstring(client.get(HOME).content))
    assert second == first
    # Computing counts the figures' rows in a few grouped queries (one per model
    # counted, the coverage by zone, the funnel); the cached page only checks the
    # version and the session, and counts nothing.
    assert len(warm) <= 8 and not counting(warm), [q["sql"] for q in counting(warm)]
    assert len(counting(cold)) >= 6 and len(cold) > len(warm), (len(warm), len(cold))
    # A new member shows at once: a write leaves a history row, a new version.
    enterprise = PartyOrganizationFactory(enterprise=EnterpriseFactory(zone=zone_a)).enterprise
    make_member(enterprise=enterprise, admitted_on=this_year(1))
    third = figure_values(page(client, pc_officer))
    assert third["members"] == first["members"] + 1
    assert third["members_new"] == first["members_new"] + 1
    assert third["enterprises_with_party_org"] == first["enterprises_with_party_org"] + 1


def test_a_write_that_bypasses_history_shows_once_the_cache_expires(client, pc_officer, zone_a,
                                                                    settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    populate(zone_a)
    before = figure_values(page(client, pc_officer))
    AdmissionCandidate.objects.update(closed_on=TODAY, closed_reason="left_enterprise")
    assert figure_values(page(client, pc_officer)) == before   # cached
    cache.clear()                                              # as when the timeout ends
    assert figure_values(page(client, pc_officer))["candidates_open"] == 0


# --- the regulation's working cycle --------------------------------------------------------


def cycle_values(doc) -> dict[str, int]:
    return {card.get("data-code"): int(card.xpath('.//div[contains(@class, "stat-value")]'
                                                  '/text()')[0].strip())
            for card in doc.xpath('//div[@data-testid="cycle-figure"]')}


def test_the_working_cycle_figures_for_the_whole_province(client, pc_officer, iz_officer,
                                                         iz_leader, zone_a):
    from coordination.cycle.models import Correspondence, Meeting

    # This year so far: two meetings (1 January, and today); a letter whose reply
    # was due on 1 January and never came: overdue from 2 January on.
    for day in (date(YEAR, 1, 1), TODAY):
        Meeting.objects.create(kind="steering", held_on=day, place="Phòng họp", agenda="Họp")
    Meeting.objects.create(kind="steering", held_on=date(YEAR - 1, 6, 1), place="P",
                           agenda="Họp")
    Correspondence.objects.create(direction="pc_to_iz", number="1", subject="Đề nghị",
                                  dated=date(YEAR - 1, 12, 1), reply_due_on=date(YEAR, 1, 1))
    values = cycle_values(page(client, pc_officer))
    assert values == {"meetings_held": 2, "conclusions_done": 0,
                      "conclusions_overdue": 0,
                      "replies_overdue": 0 if date(YEAR, 1, 1) == TODAY else 1}
    doc = page(client, pc_officer)
    link = doc.xpath('//div[@data-code="meetings_held"]//a/@href')[0]
    assert link == reverse("coordination:meeting_list") + f"?period={YEAR}"
    # The province's figures: an account of some zones, or a chosen zone, has none.
    assert cycle_values(page(client, iz_leader)) == values
    assert cycle_values(page(client, iz_officer)) == {}
    assert cycle_values(page(client, pc_officer, zone=zone_a.pk)) == {}
