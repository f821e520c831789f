"""Founding a party organization in a real browser.

A Party Committee officer opens a case for the enterprise that qualifies from
the founding board, records each step through the forms (a decision dated
before the proposal refused on its field on the way) and sees the members
moved to the new organization; afterwards the qualifying list and the
dashboard agree that the enterprise has its organization.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coordination.models import Founding, Placement
from core.indicators import Scope, get
from core.periods import Period
from tests.coordination.factories import make_member
from tests.enterprises.factories import make_enterprise, make_partyorg

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def test_an_officer_founds_an_organization_and_its_members_move(page, signed_in, pc_officer,
                                                                zone_a, screenshot):
    enterprise = make_enterprise(zone_a, name="Công ty TNHH Điện tử Sao Mai")
    joint = make_partyorg("Chi bộ ghép KCN An Bình", zone=zone_a, established_on=date(2015, 1, 1))
    for given in ("An", "Bình", "Cường"):
        make_member(enterprise, party_organization=joint, admitted_on=date(2019, 3, 1),
                    official_on=date(2020, 3, 1), given_name=given)
    opened, proposed = TODAY - timedelta(days=30), TODAY - timedelta(days=20)
    decided = TODAY - timedelta(days=10)

    signed_in(pc_officer.username)
    page.goto("/party-development/founding/")
    card = page.locator(f'[data-testid="founding-card"][data-enterprise="{enterprise.pk}"]')
    expect(card).to_have_attribute("data-overdue", "yes")  # qualified since 2020
    card.get_by_test_id("founding-start").click()
    page.wait_for_load_state("networkidle")
    case = Founding.objects.get(enterprise=enterprise)
    Founding.objects.filter(pk=case.pk).update(started_on=opened)  # opened a month ago
    page.goto(case.get_absolute_url())

    form = page.get_by_test_id("founding-step-form")
    form.locator("#id_on").fill(_dmy(proposed))
    form.locator("#id_proposal_number").fill("12-TTr/ĐUK")
    form.get_by_test_id("founding-step-submit").click()
    page.wait_for_load_state("networkidle")

    form = page.get_by_test_id("founding-step-form")
    form.locator("#id_on").fill(_dmy(opened))  # before the proposal: refused
    form.locator("#id_decision_number").fill("345-QĐ/ĐUK")
    form.get_by_test_id("founding-step-submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.locator("#id_decision_number")).to_have_value("345-QĐ/ĐUK")
    page.locator("#id_on").fill(_dmy(decided))
    page.get_by_test_id("founding-step-submit").click()
    page.wait_for_load_state("networkidle")

    form = page.get_by_test_id("founding-step-form")
    form.locator("#id_on").fill(_dmy(decided))
    form.get_by_test_id("founding-step-submit").click()
    page.wait_for_load_state("networkidle")

    expect(page.get_by_test_id("move-summary")).to_contain_text("3")
    screenshot("founding-before-move")
    page.get_by_test_id("founding-step-submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("founding-stage")).to_have_attribute("class",
                                                                     "badge text-bg-success")
    expect(page.get_by_test_id("members-moved")).to_contain_text("3")
    screenshot("founding-completed")

    case.refresh_from_db()
    moved = Placement.objects.filter(party_organization=case.organization, began="founding")
    assert sorted(p.starts_on for p in moved) == [decided] * 3

    # The qualifying list no longer lists it, and the dashboard counts its organization.
    page.goto("/party-development/qualifying/")
    expect(page.get_by_test_id("count-qualify")).to_have_text("0")
    page.goto("/")
    year = Period.of("year", TODAY.year).so_far(TODAY)
    expected = get("enterprises_with_party_org").compute(Scope.province(), year)
    assert expected == 1
    figure = page.locator('[data-testid="figure"][data-code="enterprises_with_party_org"]')
    expect(figure.locator(".stat-value")).to_have_text(str(expected))
