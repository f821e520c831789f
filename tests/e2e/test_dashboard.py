"""The dashboard in a real browser: Chart.js draws every chart under the strict
CSP, the filter submits itself, and a figure leads to the list behind it."""

import re

import pytest
from playwright.sync_api import expect

from coordination.models import CoordinationPlan
from core.indicators import Scope, get
from tests.coordination.factories import make_plan
from tests.factories import PASSWORD
from tests.reports.factories import THIS_YEAR, YEAR, populate

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = ["coverage", "pipeline", "monthly", "plan"]


@pytest.fixture
def data(zone_a, zone_b):
    populate(zone_a, size=2)
    populate(zone_b, size=3, seed=1)
    make_plan(status=CoordinationPlan.Status.APPROVED,
              targets=[("members_new", None, 8), ("members_new", zone_a, 3),
                       ("party_orgs_new", zone_b, 2)])
    return {"zone_a": zone_a, "zone_b": zone_b}


def _watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _charts_drawn(page) -> list[str]:
    """The ids of the canvases that hold a Chart.js chart with drawn bars."""
    page.wait_for_function("() => document.querySelectorAll('canvas[data-drawn]').length > 0")
    return page.evaluate("""() => Array.from(document.querySelectorAll('canvas[data-chart]'))
        .filter(c => { const chart = window.Chart && Chart.getChart(c);
                       return chart && chart.getDatasetMeta(0).data.length > 0
                              && c.width > 0 && c.height > 0; })
        .map(c => c.id.replace('chart-', ''))""")


def _figure(page, code):
    return page.locator(f'[data-testid="figure"][data-code="{code}"]')


def test_leader_sees_the_dashboard_and_follows_a_figure(page, screenshot, pc_leader, data):
    errors = _watch_console(page)
    sign_in(page, "pc_leader", PASSWORD)
    expect(page.get_by_test_id("dashboard")).to_be_visible()
    assert _charts_drawn(page) == CHARTS
    expected = get("enterprises_with_party_org").compute(Scope.province(), THIS_YEAR)
    figure = _figure(page, "enterprises_with_party_org")
    expect(figure.locator(".stat-value")).to_have_text(str(expected))
    screenshot("dashboard-pc-leader")

    # The data table behind a chart opens without JavaScript of ours.
    table = page.locator('[data-chart-id="coverage"] [data-testid="chart-table"]')
    table.locator("summary").click()
    expect(table.locator("tbody tr")).to_have_count(2)

    # A zone chosen in the filter submits the form and narrows the figures.
    page.locator("#dashboard-zone-select").select_option(str(data["zone_b"].pk))
    page.wait_for_url(re.compile(rf"zone={data['zone_b'].pk}"))
    zone_value = get("enterprises_with_party_org").compute(Scope.zone(data["zone_b"].pk),
                                                           THIS_YEAR)
    expect(_figure(page, "enterprises_with_party_org").locator(".stat-value")) \
        .to_have_text(str(zone_value))
    assert _charts_drawn(page) == CHARTS

    # The figure opens the enterprise list behind it, with the same count.
    _figure(page, "enterprises_with_party_org").get_by_test_id("figure-link").click()
    page.wait_for_url(re.compile(r"/enterprises/\?"))
    assert "has_party_org=yes" in page.url and f"zone={data['zone_b'].pk}" in page.url
    expect(page.get_by_test_id("result-count")).to_have_text(str(zone_value))
    assert errors == []


def test_a_bar_of_the_coverage_chart_opens_its_zone_list(page, pc_officer, data):
    sign_in(page, "pc_officer", PASSWORD)
    assert "coverage" in _charts_drawn(page)
    # The first bar of the "without a party organization" series (zone A, upper segment).
    point = page.evaluate("""() => {
        const canvas = document.getElementById('chart-coverage');
        const bar = Chart.getChart(canvas).getDatasetMeta(1).data[0];
        const box = canvas.getBoundingClientRect();
        return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2};
    }""")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r"/enterprises/\?"))
    assert "has_party_org=no" in page.url and f"zone={data['zone_a'].pk}" in page.url


def test_iz_officer_sees_its_zone_on_desktop_and_tablet(page, screenshot, iz_officer, data):
    errors = _watch_console(page)
    sign_in(page, "iz_officer", PASSWORD)
    assert _charts_drawn(page) == CHARTS
    # Its one zone, and "all my zones".
    expect(page.locator("#dashboard-zone-select option")).to_have_count(2)
    content = page.content()
    assert data["zone_b"].name not in content
    expect(_figure(page, "members").get_by_test_id("figure-link")).to_have_count(0)
    screenshot("dashboard-iz-officer")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.reload()
    assert _charts_drawn(page) == CHARTS
    screenshot("dashboard-iz-officer-tablet")
    assert errors == []


def test_no_plan_and_a_bad_period_show_messages_not_errors(page, pc_leader, data):
    CoordinationPlan.objects.all().delete()
    sign_in(page, "pc_leader", PASSWORD)
    page.goto("/?period=2026-Q9")
    expect(page.get_by_test_id("dashboard-warning")).to_be_visible()
    expect(page.locator('[data-chart-id="plan"] [data-testid="chart-empty"]')) \
        .to_contain_text(str(YEAR))
    assert _charts_drawn(page) == CHARTS[:3]
