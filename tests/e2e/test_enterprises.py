"""The registry in a real browser: an IZ officer of zone A maintains an enterprise.

Locators use ids and data-testid attributes, not labels, so the test holds
whatever the interface language.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from enterprises.models import Enterprise, MassOrganization, PartyOrganization
from tests.enterprises.factories import (
    make_enterprise,
    make_massorg,
    make_partyorg,
    make_workforce,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAMES = [
    "Công ty TNHH Một thành viên Công nghiệp Chính xác và Thiết bị Điện tử Hòa Xá Việt Nam",
    "Công ty Cổ phần Dệt may Xuất nhập khẩu Nam Định",
    "Công ty TNHH Điện tử Sông Hồng",
    "Công ty TNHH Bao bì Nhựa Thành Phát",
    "Công ty Cổ phần Cơ khí Đức Thành",
    "Chi nhánh Công ty TNHH Giày da Mỹ Phong tại Khu công nghiệp An Bình",
    "Công ty TNHH Vina Korea Precision Components",
    "Công ty TNHH Thực phẩm Ánh Dương",
]


@pytest.fixture
def registry(zone_a, zone_b):
    kinds = list(Enterprise.CapitalSource.values)
    for i, name in enumerate(LONG_NAMES):
        enterprise = make_enterprise(
            zone_a, name=name, short_name=f"DN{i:02d}" if i % 2 else "",
            capital_source=kinds[i % len(kinds)], established_on=date(2005 + i, 3, 1),
            status="suspended" if i == 3 else "operating",
            status_since=date(2025, 1, 15) if i == 3 else None,
        )
        make_workforce(enterprise, 150 + 97 * i, female_workers=80 + 40 * i)
        if i % 2 == 0:
            make_massorg(enterprise)
        if i % 3 == 0:
            make_massorg(enterprise, MassOrganization.Kind.YOUTH_UNION)
            make_partyorg(f"Chi bộ {name}", enterprise=enterprise, decision_number=f"{i}-QĐ/ĐUK")
    make_partyorg("Chi bộ ghép các doanh nghiệp nhỏ Khu công nghiệp An Bình", zone=zone_a,
                  kind=PartyOrganization.Kind.GRASSROOTS_CELL)
    return {"zone_b": make_enterprise(zone_b, name="Công ty TNHH Khu Bình Đông")}


def _watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_iz_officer_creates_edits_and_reads_the_history(page, signed_in, screenshot, iz_officer,
                                                        zone_a, registry):
    errors = _watch_console(page)
    signed_in("iz_officer")

    page.goto("/enterprises/")
    expect(page.get_by_test_id("enterprise-row")).to_have_count(len(LONG_NAMES))
    assert "Công ty TNHH Khu Bình Đông" not in page.content()
    screenshot("enterprises-list")

    # Diacritic-insensitive search.
    page.locator("#id_q").fill("duc thanh")
    page.locator("#id_q").press("Enter")
    expect(page.get_by_test_id("enterprise-row")).to_have_count(1)
    expect(page.get_by_test_id("enterprise-row")).to_contain_text("Cơ khí Đức Thành")
    page.locator("#id_q").fill("không có doanh nghiệp này")
    page.locator("#id_q").press("Enter")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    screenshot("enterprises-list-empty")

    # Create, with a wrong tax code first.
    page.goto("/enterprises/")
    page.get_by_test_id("add-enterprise").click()
    page.locator("#id_tax_code").fill("0100233489")
    page.locator("#id_name").fill("Công ty TNHH Điện tử Chính xác Minh Long Việt Nam")
    page.locator("#id_short_name").fill("MINHLONG")
    page.locator("#id_zone").select_option(str(zone_a.pk))
    page.locator("#id_legal_form").select_option("tnhh_2tv")
    page.locator("#id_capital_source").select_option("lien_doanh")
    page.locator("#id_investor_country").fill("Hàn Quốc")
    page.locator("#id_established_on").fill("15/03/2010")
    page.locator("#id_phone").fill("0228 3456 789")
    page.locator("#id_total_workers").fill("1200")
    page.locator("#id_female_workers").fill("1500")
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#div_id_tax_code .invalid-feedback")).to_contain_text("0100233489")
    expect(page.locator("#id_name")).to_have_value(
        "Công ty TNHH Điện tử Chính xác Minh Long Việt Nam")
    expect(page.locator("#id_established_on")).to_have_value("15/03/2010")
    screenshot("enterprise-form-errors")

    page.locator("#id_tax_code").fill("0100233488001")
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")
    # The workforce rule is checked by the service, on its field.
    expect(page.locator("#div_id_female_workers .invalid-feedback")).to_be_visible()
    page.locator("#id_female_workers").fill("700")
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/enterprises/\d+/$"))
    expect(page.get_by_test_id("tax-code")).to_have_text("0100233488-001")
    expect(page.get_by_test_id("identity")).to_contain_text("15/03/2010")
    enterprise = Enterprise.objects.get(tax_code="0100233488-001")
    assert enterprise.zone == zone_a

    # Edit.
    page.get_by_test_id("edit").click()
    page.locator("#id_phone").fill("0228 3999 000")
    page.locator("#id_status").select_option("suspended")
    page.locator("#id_status_since").fill("01/07/2025")
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(rf"/enterprises/{enterprise.pk}/$"))
    latest = page.get_by_test_id("history-entry").first
    expect(latest).to_contain_text(iz_officer.full_name)
    expect(latest).to_contain_text("0228 3456 789")
    expect(latest).to_contain_text("0228 3999 000")
    expect(page.get_by_test_id("status")).to_contain_text("01/07/2025")

    # Workforce and a trade union through htmx, without reloading the page.
    page.evaluate("window.__kept = true")
    page.locator("#id_workforce-as_of").fill("01/10/2025")
    page.locator("#id_workforce-total_workers").fill("1350")
    page.get_by_test_id("workforce-submit").click()
    expect(page.locator("#workforce-panel tbody tr")).to_have_count(2)
    page.locator("#id_massorg-kind").select_option("trade_union")
    page.locator("#id_massorg-established_on").fill("01/05/2012")
    page.get_by_test_id("massorg-submit").click()
    expect(page.get_by_test_id("massorg-row")).to_have_count(1)
    # The history was refreshed out of band.
    expect(page.get_by_test_id("history-entry")).to_have_count(5)
    assert page.evaluate("window.__kept") is True
    screenshot("enterprise-profile")

    # Another zone's enterprise by URL: not found.
    response = page.goto(f"/enterprises/{registry['zone_b'].pk}/")
    assert response.status == 404
    response = page.goto(f"/enterprises/{registry['zone_b'].pk}/edit/")
    assert response.status == 404

    # Tablet width.
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto("/enterprises/")
    screenshot("enterprises-list-tablet")
    page.goto(enterprise.get_absolute_url())
    screenshot("enterprise-profile-tablet")
    page.goto(f"/enterprises/{enterprise.pk}/edit/")
    page.locator("#id_status_since").fill("31/02/2025")
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#div_id_status_since .invalid-feedback")).to_be_visible()
    screenshot("enterprise-form-errors-tablet")

    # Only the two pages refused on purpose.
    assert [e for e in errors if "status of 404" not in e] == [], errors


def test_party_committee_officer_browses_zones_and_party_organizations(page, signed_in, screenshot,
                                                                       pc_officer, registry):
    errors = _watch_console(page)
    signed_in("pc_officer")
    page.goto("/enterprises/zones/")
    expect(page.get_by_test_id("zone-row")).to_have_count(2)
    screenshot("zones-list")
    page.goto("/enterprises/party-organizations/")
    expect(page.get_by_test_id("partyorg-row")).to_have_count(4)
    screenshot("partyorgs-list")
    page.get_by_test_id("partyorg-row").first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("partyorg-details")).to_be_visible()
    page.get_by_test_id("dissolve-toggle").click()
    page.locator("#id_dissolved_on").fill("30/06/2025")
    expect(page.locator("#id_dissolved_on")).to_have_value("30/06/2025")
    # Wait for the answer to the POST itself (networkidle may be reached before it leaves).
    with page.expect_navigation():
        page.get_by_test_id("dissolve-submit").click()
    expect(page.locator("[data-testid=dissolve-form] .invalid-feedback")).to_have_count(0)
    expect(page.get_by_test_id("partyorg-dissolved-on")).to_have_text("30/06/2025")
    screenshot("partyorg-detail")
    assert errors == []
