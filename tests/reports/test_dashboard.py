"""The dashboard on the overview page (reports.panels.dashboard).

Every figure and every chart series is checked against the indicator
catalogue computed for the account's scope and the chosen period; the funnel
against the pipeline's own counts. Zone B's data must never reach an account
of zone A. The number of queries, the cache on changing data and an empty
database are in test_dashboard_queries.py.
"""

from datetime import date

import lxml.html
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.policy import access_for
from coordination import selectors
from coordination.models import AdmissionCandidate, CoordinationPlan
from core.indicators import Scope, get
from core.periods import Period
from reports import panels
from tests.conftest import make_zone_a, make_zone_b, module_data
from tests.coordination.factories import make_plan

from .factories import populate_both
from .support import chart_data, page

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
TODAY = timezone.localdate()
YEAR = TODAY.year
THIS_YEAR = Period.of("year", YEAR).so_far(TODAY)
LAST_YEAR = Period.of("year", YEAR - 1)
Stage = AdmissionCandidate.Stage
APPROVED = CoordinationPlan.Status.APPROVED


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts without a cached dashboard."""
    cache.clear()
    yield
    cache.clear()


# --- data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dashboard_data(django_db_setup, django_db_blocker):
    """The dashboard's data in zones A and B (``populate_both``), written once
    for the module: its tests only read it, or write in their own
    transaction, rolled back after them (tests/conftest.py's module_data).
    The tests on data of their own are in test_dashboard_queries.py."""
    with module_data(django_db_blocker):
        yield populate_both(make_zone_a(), make_zone_b())


@pytest.fixture
def data(dashboard_data, db):
    return dashboard_data


@pytest.fixture
def zone_a(dashboard_data, db):
    return dashboard_data["zone_a"]


@pytest.fixture
def zone_b(dashboard_data, db):
    return dashboard_data["zone_b"]


# --- reading the page --------------------------------------------------------------------


def figure_values(doc) -> dict[str, int | None]:
    values = {}
    for card in doc.xpath('//div[@data-testid="figure"]'):
        text = card.xpath('.//div[@class="stat-value"]/text()')[0].strip()
        values[card.get("data-code")] = None if text == "—" else int(text.replace(".", ""))
    return values


def figure_deltas(doc) -> dict[str, int | None]:
    deltas = {}
    for card in doc.xpath('//div[@data-testid="figure"]'):
        delta = card.xpath('.//*[@data-testid="figure-delta"]')[0].get("data-delta")
        deltas[card.get("data-code")] = None if delta is None else int(delta)
    return deltas


def figure_links(doc) -> dict[str, str]:
    links = {}
    for card in doc.xpath('//div[@data-testid="figure"]'):
        hrefs = card.xpath('.//a[@data-testid="figure-link"]/@href')
        links[card.get("data-code")] = hrefs[0] if hrefs else ""
    return links


def expected_figures(scope: Scope, period: Period, previous: Period):
    values = {f.code: get(f.code).compute(scope, period) for f in panels.FIGURES}
    deltas = {f.code: None if values[f.code] is None else
              values[f.code] - get(f.code).compute(scope, previous) for f in panels.FIGURES}
    return values, deltas


# --- access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_administrator_sees_no_dashboard_but_its_account(client, administrator, data):
    doc = page(client, administrator)
    assert not doc.xpath('//*[@data-testid="dashboard"]')
    assert doc.xpath('//*[@data-testid="capabilities"]')
    assert not doc.xpath('//script[contains(@src, "dashboard.js")]')


@pytest.mark.parametrize("fixture", ["pc_officer", "pc_leader", "iz_officer", "iz_leader"])
def test_every_organization_account_sees_the_dashboard_and_its_account(client, request, fixture,
                                                                       data):
    doc = page(client, request.getfixturevalue(fixture))
    assert doc.xpath('//*[@data-testid="dashboard"]')
    assert len(doc.xpath('//div[@data-testid="figure"]')) == len(panels.FIGURES)
    assert doc.xpath('//*[@data-testid="role-badge"]')
    assert doc.xpath('//*[@data-testid="capabilities"]//li')
    assert doc.xpath('//*[@data-testid="zones"]')
    # Chart.js and the dashboard's script load from files; the data is JSON.
    assert doc.xpath('//script[contains(@src, "vendor/chartjs/chart.umd.min.js")]')
    assert doc.xpath('//script[contains(@src, "js/dashboard.js")]')
    for script in doc.xpath("//script[not(@src)]"):
        assert script.get("type") == "application/json"


# --- figures ---------------------------------------------------------------------------------


def test_figures_are_the_catalogue_values_for_the_province(client, pc_officer, data):
    doc = page(client, pc_officer)
    values, deltas = expected_figures(Scope.province(), THIS_YEAR, LAST_YEAR)
    assert figure_values(doc) == values
    assert figure_deltas(doc) == deltas
    # The data is not empty: the test would not notice a dashboard of zeros.
    assert values["enterprises"] == 12 and values["members_new"] == 3
    assert deltas["enterprises"] == 3 and deltas["party_orgs"] == 3


def test_iz_officer_sees_only_its_zone(client, iz_officer, data):
    doc = page(client, iz_officer)
    zone_a, zone_b = data["zone_a"], data["zone_b"]
    values, deltas = expected_figures(Scope.zone(zone_a.pk), THIS_YEAR, LAST_YEAR)
    assert figure_values(doc) == values
    assert figure_deltas(doc) == deltas
    province, _ = expected_figures(Scope.province(), THIS_YEAR, LAST_YEAR)
    assert all(values[c] < province[c] for c in values if province[c]), "zone B leaked"
    coverage = chart_data(doc, "coverage")
    assert coverage["labels"] == [zone_a.code]
    content = lxml.html.tostring(doc, encoding="unicode")
    assert zone_b.name not in content and f">{zone_b.code} ·" not in content
    # The funnel counts zone A's open cases only.
    funnel = chart_data(doc, "pipeline")
    assert sum(map(sum, (d["data"] for d in funnel["datasets"]))) == 3


def test_a_chosen_zone_narrows_every_figure_and_link(client, pc_officer, data):
    zone_b = data["zone_b"]
    doc = page(client, pc_officer, zone=zone_b.pk)
    values, deltas = expected_figures(Scope.zone(zone_b.pk), THIS_YEAR, LAST_YEAR)
    assert figure_values(doc) == values
    assert figure_deltas(doc) == deltas
    assert doc.xpath('//select[@name="zone"]/option[@selected]/@value') == [str(zone_b.pk)]
    for code, url in figure_links(doc).items():
        assert f"zone={zone_b.pk}" in url, code
    assert chart_data(doc, "coverage")["labels"] == [zone_b.code]


@pytest.mark.parametrize("zone", ["other", "abc", "-1", "99999"])
def test_a_zone_outside_the_scope_is_ignored_with_a_warning(client, iz_officer, data, zone):
    zone = str(data["zone_b"].pk) if zone == "other" else zone
    doc = page(client, iz_officer, zone=zone)
    assert doc.xpath('//*[@data-testid="dashboard-warning"]')
    values, _ = expected_figures(Scope.zone(data["zone_a"].pk), THIS_YEAR, LAST_YEAR)
    assert figure_values(doc) == values
    assert chart_data(doc, "coverage")["labels"] == [data["zone_a"].code]
    dashboard = doc.xpath('//*[@data-testid="dashboard"]')[0]
    assert f"zone={zone}" not in lxml.html.tostring(dashboard, encoding="unicode")


@pytest.mark.parametrize("period", ["abc", "2026-Q9", "2026-13", "<script>", "0000", "0001",
                                    "1999-Q1", "9999", f"{YEAR + 1}", "2026-H3" * 50])
def test_an_invalid_or_future_period_is_ignored_with_a_warning(client, pc_leader, data, period):
    doc = page(client, pc_leader, period=period)
    assert doc.xpath('//*[@data-testid="dashboard-warning"]')
    values, _ = expected_figures(Scope.province(), THIS_YEAR, LAST_YEAR)
    assert figure_values(doc) == values
    assert doc.xpath('//select[@name="period"]//option[@selected]/@value') == [str(YEAR)]


def test_the_default_is_this_year_so_far_without_warning(client, pc_leader, data):
    doc = page(client, pc_leader)
    assert not doc.xpath('//*[@data-testid="dashboard-warning"]')
    assert doc.xpath('//select[@name="period"]//option[@selected]/@value') == [str(YEAR)]
    offered = doc.xpath('//select[@name="period"]//option/@value')
    assert str(YEAR - 1) in offered and f"{YEAR - 1}-Q4" in offered and f"{YEAR - 1}-H2" in offered
    assert all(Period.parse(code).start <= TODAY for code in offered)


def test_a_past_quarter_compares_with_the_quarter_before(client, pc_leader, data):
    period = Period.of("quarter", YEAR - 1, 4)
    doc = page(client, pc_leader, period=period.code)
    values, deltas = expected_figures(Scope.province(), period, period.previous())
    assert figure_values(doc) == values
    assert figure_deltas(doc) == deltas
    assert values["candidates_open"] >= 6  # two identified 01/10 of last year per unit
    monthly = chart_data(doc, "monthly")
    assert monthly["labels"][0] == f"01/{YEAR - 1}"
    assert None not in monthly["datasets"][0]["data"]  # a past year: every month computed


def test_a_period_typed_in_the_url_but_not_offered_is_shown(client, pc_leader, data):
    doc = page(client, pc_leader, period=f"{YEAR - 3}-07")
    period = Period.parse(f"{YEAR - 3}-07")
    values, _ = expected_figures(Scope.province(), period, period.previous())
    assert figure_values(doc) == values
    assert doc.xpath('//select[@name="period"]//option[@selected]/@value') == [period.code]


# --- links -----------------------------------------------------------------------------------


def test_links_follow_the_permissions(client, pc_officer, iz_officer, iz_leader, data):
    full = figure_links(page(client, pc_officer))
    assert all(full.values()), full
    assert full["members"] == reverse("coordination:member_list")
    assert full["enterprises_with_party_org"] == \
        reverse("enterprises:enterprise_list") + "?has_party_org=yes"
    assert full["enterprises_qualifying"] == reverse("coordination:qualifying")
    for user in (iz_officer, iz_leader):
        links = figure_links(page(client, user))
        # Personal lists are not offered to IZ Board accounts, the others are.
        for code in ("members", "members_new", "candidates_course_completed"):
            assert links[code] == "", code
        for code in ("enterprises", "enterprises_without_party_org", "enterprises_qualifying",
                     "party_orgs", "candidates_open", "workers"):
            assert links[code], code
        doc = page(client, user)
        assert not doc.xpath('//a[contains(@href, "/members/")]')


def test_every_link_opens_for_the_account(client, pc_officer, iz_leader, data):
    for user in (pc_officer, iz_leader):
        doc = page(client, user, zone=data["zone_a"].pk)
        hrefs = set(doc.xpath('//*[@data-testid="dashboard"]//a/@href'))
        assert hrefs
        for href in hrefs:
            assert client.get(href).status_code == 200, href


def test_coverage_bars_link_to_the_enterprise_list_of_their_zone(client, pc_officer, data):
    coverage = chart_data(page(client, pc_officer), "coverage")
    zone_a = data["zone_a"]
    index = coverage["labels"].index(zone_a.code)
    with_org, without_org = coverage["datasets"]
    assert with_org["urls"][index] == \
        reverse("enterprises:enterprise_list") + f"?has_party_org=yes&zone={zone_a.pk}"
    assert without_org["urls"][index].endswith(f"?has_party_org=no&zone={zone_a.pk}")


# --- the charts' data ----------------------------------------------------------------------


def test_chart_data_equals_the_catalogue(client, pc_officer, data):
    doc = page(client, pc_officer)
    coverage = chart_data(doc, "coverage")
    zones = sorted(data.values(), key=lambda z: z.code)
    assert coverage["labels"] == [z.code for z in zones]
    for dataset, code in zip(coverage["datasets"], panels.COVERAGE, strict=True):
        assert dataset["label"] == get(code).label
        assert dataset["data"] == [get(code).compute(Scope.zone(z.pk), THIS_YEAR) for z in zones]
    assert coverage["datasets"][0]["data"] == [2, 4]

    monthly = chart_data(doc, "monthly")
    expected = [get("members_new").compute(Scope.province(), Period.of("month", YEAR, m)
                                           .so_far(TODAY))
                if date(YEAR, m, 1) <= TODAY else None for m in range(1, 13)]
    assert monthly["datasets"][0]["data"] == expected
    assert sum(v or 0 for v in expected) == get("members_new").compute(Scope.province(),
                                                                        THIS_YEAR) == 3


def test_the_funnel_shows_the_pipeline_counts(client, pc_officer, iz_officer, data):
    for user, zone in ((pc_officer, None), (iz_officer, None), (pc_officer, data["zone_b"])):
        params = {"zone": zone.pk} if zone else {}
        funnel = chart_data(page(client, user, **params), "pipeline")
        on_time, overdue = (d["data"] for d in funnel["datasets"])
        access = access_for(user)
        if user is pc_officer:
            columns = selectors.pipeline(access=access, today=TODAY,
                                         zone_id=zone.pk if zone else None, per_stage=0)
            counts = [columns[s]["count"] for s in selectors.OPEN_STAGES]
            late = [columns[s]["overdue"] for s in selectors.OPEN_STAGES]
        else:
            context = client.get(reverse("coordination:pipeline")).context
            counts = [c["count"] for c in context["columns"]]
            late = [c["overdue"] for c in context["columns"]]
        assert [a + b for a, b in zip(on_time, overdue, strict=True)] == counts
        assert overdue == late
        assert sum(late) >= 1 and sum(counts) >= 3


def test_plan_progress_uses_the_catalogue_for_each_target(client, pc_leader, iz_officer, data):
    zone_a, zone_b = data["zone_a"], data["zone_b"]
    make_plan(status=APPROVED,
              targets=[("members_new", None, 6), ("members_new", zone_a, 2),
                       ("members_new", zone_b, 4), ("party_orgs_new", zone_b, 1),
                       ("enterprises_with_party_org", None, 0)])
    doc = page(client, pc_leader)
    plan = chart_data(doc, "plan")
    assert len(plan["labels"]) == 5
    year = Period.of("year", YEAR).so_far(TODAY)
    new = get("members_new")
    assert plan["datasets"][0]["data"] == [
        round(100 * new.compute(Scope.province(), year) / 6),
        round(100 * new.compute(Scope.zone(zone_a.pk), year) / 2),
        round(100 * new.compute(Scope.zone(zone_b.pk), year) / 4),
        round(100 * get("party_orgs_new").compute(Scope.zone(zone_b.pk), year) / 1),
        None,  # a target of 0 has no percentage
    ]
    assert plan["datasets"][0]["data"][:3] == [50, 50, 50]
    # A flow, judged as on the plan's page: 3 ≥ 6 × day/days while 2 × day ≤ days.
    day = (TODAY - date(YEAR, 1, 1)).days + 1
    days = (date(YEAR + 1, 1, 1) - date(YEAR, 1, 1)).days
    assert plan["details"][0] == "3 / 6 · " + ("Đúng tiến độ" if 2 * day <= days
                                              else "Chậm tiến độ")
    assert doc.xpath('//*[@data-testid="plan-status"]')

    # An IZ officer of zone A: zone A's target only, never the province's or zone B's.
    iz = chart_data(page(client, iz_officer), "plan")
    assert len(iz["labels"]) == 1 and iz["labels"][0].endswith(zone_a.code)
    # A chosen zone leaves out the province's targets.
    chosen = chart_data(page(client, pc_leader, zone=zone_b.pk), "plan")
    assert [label.rsplit(" · ", 1)[1] for label in chosen["labels"]] == [zone_b.code] * 2


def test_the_plan_of_the_chosen_year_and_its_empty_states(client, pc_officer, iz_leader,
                                                          iz_officer, data):
    doc = page(client, pc_officer)
    empty = doc.xpath('//*[@data-chart-id="plan"]//*[@data-testid="chart-empty"]')
    assert empty and str(YEAR) in empty[0].text_content()
    make_plan(year=YEAR - 1, status=APPROVED, targets=[("members_new", None, 4)])
    doc = page(client, pc_officer, period=f"{YEAR - 1}-H2")
    labels = chart_data(doc, "plan")["labels"]
    assert len(labels) == 1 and labels[0].startswith(get("members_new").label)
    assert chart_data(doc, "plan")["datasets"][0]["data"] == [
        round(100 * get("members_new").compute(Scope.province(), LAST_YEAR) / 4)]
    # A plan with only province-wide targets: nothing for a zone's account.
    doc = page(client, iz_officer, period=str(YEAR - 1))
    assert chart_data(doc, "plan") is None
    assert doc.xpath('//*[@data-chart-id="plan"]//*[@data-testid="chart-empty"]')
    # A draft is not shown to the IZ Board.
    make_plan(status=CoordinationPlan.Status.DRAFT, targets=[("members_new", None, 4)])
    assert chart_data(page(client, pc_officer), "plan") is not None
    assert chart_data(page(client, iz_leader), "plan") is None


def test_charts_have_a_caption_and_a_data_table(client, pc_officer, data):
    make_plan(status=APPROVED, targets=[("members_new", None, 6)])
    doc = page(client, pc_officer)
    charts = doc.xpath('//figure[@data-testid="chart"]')
    assert len(charts) == 4
    for chart in charts:
        assert chart.xpath(".//figcaption")[0].text_content().strip()
        canvas = chart.xpath(".//canvas")[0]
        assert canvas.get("role") == "img" and canvas.get("aria-labelledby")
        assert chart.xpath(".//details//table//tbody/tr")
        assert chart_data(doc, chart.get("data-chart-id")) is not None


# --- the cache -------------------------------------------------------------------------------


def test_the_cache_is_never_shared_across_scopes_or_permissions(client, pc_officer, iz_officer,
                                                                iz_leader, data, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    province = figure_values(page(client, pc_officer))
    zone_a = figure_values(page(client, iz_officer))
    assert zone_a == expected_figures(Scope.zone(data["zone_a"].pk), THIS_YEAR, LAST_YEAR)[0]
    assert zone_a != province
    # Same scope (all zones), other permissions: no personal list offered.
    assert figure_values(page(client, iz_leader)) == province
    assert figure_links(page(client, iz_leader))["members"] == ""
    assert figure_links(page(client, pc_officer))["members"]
