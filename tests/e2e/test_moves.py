"""Moves in a real browser: a Party Committee officer transfers a member out
(refused once on the date, then recorded), transfers in a member from outside
the province (the enterprise typed, suggestions filled by htmx), and reads
both timelines; an IZ officer cannot open those pages. Locators use ids and
data-testid attributes, so the test holds whatever the interface language.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coordination import placements
from coordination.models import PartyMember
from tests.coordination.test_views import make_enterprise, make_member
from tests.enterprises.factories import PartyOrganizationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def crew(zone_a):
    textile = make_enterprise(zone_a, name="Công ty TNHH Dệt may Hòa Xá", tax_code="0100233488")
    electronics = make_enterprise(zone_a, name="Công ty TNHH Điện tử Sông Hồng",
                                  tax_code="0101234565")
    cell = PartyOrganizationFactory(enterprise=textile, name="Chi bộ Công ty Dệt may Hòa Xá")
    other = PartyOrganizationFactory(enterprise=electronics,
                                     name="Chi bộ Công ty Điện tử Sông Hồng")
    leaving = make_member(textile, family_name="Phan", middle_name="Văn", given_name="Khoa",
                          party_organization=cell, admitted_on=date(2015, 6, 1),
                          official_on=date(2016, 6, 1), decision_on=date(2015, 5, 20))
    placements.member_move(member=leaving, on=TODAY - timedelta(days=700),
                           enterprise=electronics, party_organization=other)
    return {"textile": textile, "electronics": electronics, "cell": cell, "other": other,
            "leaving": leaving}


def test_officer_transfers_a_member_out_and_another_in(page, signed_in, screenshot, pc_officer,
                                                       iz_officer, crew):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    signed_in("pc_officer")
    leaving = crew["leaving"]

    # Transfer out, from the member page; a date before the current period is refused.
    page.goto(leaving.get_absolute_url())
    expect(page.get_by_test_id("period")).to_have_count(2)
    page.get_by_test_id("action-transfer-out").click()
    form = page.get_by_test_id("transfer_out-form")
    form.locator("#id_transfer_out-on").fill("01/01/2016")
    form.locator("#id_transfer_out-reason").select_option("transferred")
    form.locator("#id_transfer_out-destination").fill("Đảng bộ phường Ba Đình, Hà Nội")
    form.get_by_test_id("submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#div_id_transfer_out-on .invalid-feedback")).to_be_visible()
    expect(page.locator("#id_transfer_out-destination")).to_have_value(
        "Đảng bộ phường Ba Đình, Hà Nội")
    page.locator("#id_transfer_out-on").fill(_d(TODAY - timedelta(days=3)))
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(rf"/members/{leaving.pk}/$"))
    newest = page.get_by_test_id("period").first
    expect(newest.get_by_test_id("period-ended")).to_contain_text("Ba Đình")
    expect(page.get_by_test_id("member-status")).to_have_attribute("data-status", "left")
    expect(page.get_by_test_id("action-return")).to_be_visible()
    screenshot("moves-transferred-out")

    # Transfer in of a member never recorded, from the member list.
    page.goto("/party-development/members/")
    page.get_by_test_id("transfer-in-new").click()
    page.locator("#id_family_name").fill("Đoàn")
    page.locator("#id_middle_name").fill("Thị")
    page.locator("#id_given_name").fill("Hạnh")
    page.locator("#id_date_of_birth").fill("03/03/1990")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_citizen_id").fill("036190001234")
    page.locator("#id_enterprise").select_option(str(crew["electronics"].pk))
    page.locator("#id_party_organization").select_option(str(crew["other"].pk))
    page.locator("#id_admitted_on").fill("19/05/2014")
    page.locator("#id_official_on").fill("19/05/2015")
    page.locator("#id_placed_on").fill(_d(TODAY - timedelta(days=1)))
    page.locator("#id_attendance_1").check()  # temporary
    page.locator("#id_home_organization").fill("Chi bộ thôn Đông, xã Yên Lạc, Phú Thọ")
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/members/\d+/$"))
    arrived = PartyMember.objects.get(citizen_id="036190001234")
    period = page.get_by_test_id("period")
    expect(period).to_have_count(1)
    expect(period).to_have_attribute("data-began", "transfer_in")
    expect(period).to_contain_text("Yên Lạc")
    expect(period).to_contain_text(_d(TODAY - timedelta(days=1)))

    # A move of the newcomer with the enterprise typed: htmx suggests, the tax code resolves.
    page.get_by_test_id("action-move").click()
    page.locator("#id_move-on").fill(_d(TODAY))
    page.locator("#id_move-enterprise").press_sequentially("hoa xa", delay=30)
    expect(page.locator("#id_move-enterprise-options option")).to_have_count(1)
    page.locator("#id_move-enterprise").fill("Công ty TNHH Dệt may Hòa Xá · 0100233488")
    page.locator("#id_move-party_organization").fill("Chi bộ Công ty Dệt may Hòa Xá")
    screenshot("moves-move-form")
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(rf"/members/{arrived.pk}/$"))
    expect(page.get_by_test_id("period")).to_have_count(2)
    expect(page.get_by_test_id("period").first).to_contain_text("Hòa Xá")
    screenshot("moves-timeline")
    assert not errors

    # An IZ officer may not open a member's moves.
    page.context.clear_cookies()
    signed_in("iz_officer")
    response = page.goto(f"/party-development/members/{arrived.pk}/move/")
    assert response.status == 403
