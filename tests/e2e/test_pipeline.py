"""The admission pipeline in a real browser.

A Party Committee officer registers an outstanding worker and records every
step of the procedure through the forms (one refused on its field on the way)
until the ceremony lands on the new probationary member's page; an IZ officer
opens the same board and sees counts only. Locators use ids and data-testid
attributes, so the test holds whatever the interface language.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coordination.models import AdmissionCandidate, PartyMember
from enterprises import services as registry
from tests.coordination.factories import STEPS, advance, make_candidate, make_member
from tests.enterprises.factories import make_enterprise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Stage = AdmissionCandidate.Stage
TODAY = timezone.localdate()

PEOPLE = [
    # (family, middle, given, stage reached)
    ("Nguyễn", "Thị Thanh", "Hương", Stage.IDENTIFIED),
    ("Trần", "Văn", "Đức", Stage.IDENTIFIED),
    ("Lê", "Hoàng Minh", "Châu", Stage.COURSE),
    ("Phạm", "Thị", "Ánh", Stage.APPLICATION),
    ("Vũ", "Đình", "Khải", Stage.SPONSORSHIP),
    ("Đặng", "Thị Mỹ", "Linh", Stage.ASSESSMENT),
    ("Bùi", "Quang", "Vinh", Stage.CELL_RESOLUTION),
    ("Đỗ", "Thị", "Ngọc", Stage.COMMITTEE_RESOLUTION),
    ("Hồ", "Văn", "Tài", Stage.DECISION),
]


@pytest.fixture
def pipeline(zone_a, zone_b):
    textile = make_enterprise(zone_a, name="Công ty TNHH Dệt may Xuất khẩu Hòa Xá Việt Nam",
                              short_name="DỆT MAY HÒA XÁ")
    electronics = make_enterprise(zone_a, name="Công ty TNHH Điện tử Chính xác Sông Hồng")
    eastern = make_enterprise(zone_b, name="Công ty Cổ phần Cơ khí Bình Đông")
    cell = registry.party_organization_create(data={
        "name": "Chi bộ ghép các doanh nghiệp Khu công nghiệp An Bình", "kind": "chi_bo_co_so",
        "zone": zone_a, "established_on": date(2019, 5, 1)})
    helpers = [make_member(textile, family_name="Ngô", middle_name="Văn", given_name=name,
                           party_organization=cell, official_on=date(2021, 3, 1))
               for name in ("Hải", "Sơn", "Tùng")]
    make_member(electronics, family_name="Lý", middle_name="Thị", given_name="Mai",
                admitted_on=TODAY - timedelta(days=400), official_on=None)
    # Step 9 (8-KNĐ) belongs only to a đảng bộ cơ sở's cases.
    committee = registry.party_organization_create(data={
        "name": "Đảng bộ các doanh nghiệp Khu công nghiệp An Bình", "kind": "dang_bo_co_so",
        "zone": zone_a, "established_on": date(2019, 5, 1)})
    enterprises = [textile, electronics, eastern]
    for i, (family, middle, given, stage) in enumerate(PEOPLE):
        candidate = make_candidate(enterprises[i % 3], family_name=family, middle_name=middle,
                                   given_name=given, responsible_organization=(
                                       committee if stage == Stage.COMMITTEE_RESOLUTION
                                       else cell),
                                   helper_member=helpers[i % 3])
        if stage != Stage.IDENTIFIED:
            advance(candidate, stage)
    # A certificate about to expire.
    course = TODAY - timedelta(days=59 * 30)
    expiring = make_candidate(textile, family_name="Mai", middle_name="Xuân",
                              given_name="Trường", identified_on=course - timedelta(days=20))
    advance(expiring, Stage.COURSE,
            [(Stage.COURSE, course, {"certificate_number": "CN-2021-77"})])
    return {"textile": textile, "cell": cell, "helper": helpers[0]}


def _watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def _record_step(page, field, on, choices=None, **extras):
    form = page.get_by_test_id("step-form")
    form.locator(f"#id_step-{field}").fill(on)
    for name, value in extras.items():
        form.locator(f"#id_step-{name}").fill(str(value))
    for name, value in (choices or {}).items():
        form.locator(f"#id_step-{name}").select_option(str(value))
    form.get_by_test_id("step-submit").click()
    page.wait_for_load_state("networkidle")


def test_party_committee_officer_takes_a_candidate_to_the_ceremony(page, signed_in, screenshot,
                                                                   pc_officer, pipeline):
    errors = _watch_console(page)
    signed_in("pc_officer")

    page.goto("/party-development/")
    board = page.get_by_test_id("pipeline-board")
    expect(board.get_by_test_id("candidate-card")).to_have_count(len(PEOPLE) + 1)
    expect(board.locator('[data-stage="cell_resolution"] [data-testid="overdue"]')) \
        .to_have_count(1)
    expect(board.get_by_test_id("certificate-expiring")).to_have_count(1)
    screenshot("pipeline-board-pc")

    # Register a new outstanding worker; the helper choices follow the enterprise (htmx).
    page.get_by_test_id("add-candidate").click()
    page.locator("#id_family_name").fill("Lương")
    page.locator("#id_middle_name").fill("Thị Thu")
    page.locator("#id_given_name").fill("Trang")
    page.locator("#id_date_of_birth").fill("14/02/1997")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_citizen_id").fill("036 197 004 567")
    page.locator("#id_enterprise").select_option(str(pipeline["textile"].pk))
    expect(page.locator("#id_helper_member option")).to_have_count(4)
    page.locator("#id_helper_member").select_option(str(pipeline["helper"].pk))
    page.locator("#id_education_grade").select_option("12")
    page.locator("#id_responsible_organization").select_option(str(pipeline["cell"].pk))
    page.locator("#id_proposing_body").select_option("trade_union")
    page.locator("#id_identified_on").fill("10/01/2025")
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/party-development/candidates/\d+/$"))
    expect(page.get_by_test_id("citizen-id")).to_have_text("036197004567")
    candidate = AdmissionCandidate.objects.get(citizen_id="036197004567")
    assert candidate.helper_member == pipeline["helper"]

    # Every step, from the case page; the cell resolution is refused once.
    for stage, on, extras in STEPS:
        field = dict(AdmissionCandidate.STEPS)[stage]
        if stage == Stage.COMMITTEE_RESOLUTION:
            # A chi bộ cơ sở: no committee resolution, and the page says so.
            expect(page.get_by_test_id("no-committee-step")).to_be_visible()
            continue
        if stage == Stage.SPONSORSHIP:
            _record_step(page, field, on.strftime("%d/%m/%Y"), choices={
                "sponsor_kind": "youth_union", "sponsor_1": pipeline["helper"].pk})
            expect(page.locator('[data-testid="timeline-step"][data-stage="sponsorship"]')) \
                .to_contain_text("Ngô Văn Hải")
            continue
        if stage == Stage.CELL_RESOLUTION:
            _record_step(page, field, on.strftime("%d/%m/%Y"), votes_for=3,
                         cell_official_members=6)
            expect(page.locator("#div_id_step-votes_for .invalid-feedback")).to_contain_text("3")
            expect(page.locator("#id_step-votes_for")).to_have_value("3")
            expect(page.locator("#id_step-cell_resolution_on")).to_have_value("01/07/2025")
            screenshot("candidate-step-error")
            page.locator("#id_step-votes_for").fill("5")
            page.get_by_test_id("step-submit").click()
            page.wait_for_url(re.compile(rf"/candidates/{candidate.pk}/$"))
            continue
        if stage == Stage.DECISION:
            screenshot("candidate-detail")
        _record_step(page, field, on.strftime("%d/%m/%Y"), **extras)
        if stage != Stage.CEREMONY:
            expect(page.locator(f'[data-testid="timeline-step"][data-stage="{stage}"]')) \
                .to_have_attribute("data-state", "done")

    # The ceremony lands on the new probationary member's page.
    page.wait_for_url(re.compile(r"/party-development/members/\d+/$"))
    expect(page.get_by_test_id("member-name")).to_have_text("Lương Thị Thu Trang")
    expect(page.get_by_test_id("member-status")).to_have_attribute("data-status",
                                                                  "probationary")
    expect(page.get_by_test_id("admitted-on")).to_have_text("03/09/2025")
    expect(page.get_by_test_id("citizen-id")).to_have_text("036197004567")
    member = PartyMember.objects.get(citizen_id="036197004567")
    assert page.url.endswith(member.get_absolute_url())
    screenshot("member-detail")

    page.goto("/party-development/qualifying/")
    expect(page.get_by_test_id("qualifying-row")).to_have_count(1)
    screenshot("qualifying")
    page.goto("/party-development/candidates/")
    screenshot("candidate-list")
    page.goto("/party-development/members/")
    screenshot("member-list")

    # Tablet width.
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto("/party-development/")
    screenshot("pipeline-board-pc-tablet")
    page.goto(candidate.get_absolute_url())
    screenshot("candidate-detail-tablet")
    assert errors == []


def test_iz_officer_sees_counts_only(page, signed_in, screenshot, iz_officer, pipeline):
    errors = _watch_console(page)
    signed_in("iz_officer")
    page.goto("/party-development/")
    expect(page.get_by_test_id("zone-counts")).to_be_visible()
    expect(page.get_by_test_id("zone-row")).to_have_count(1)
    expect(page.get_by_test_id("candidate-card")).to_have_count(0)
    content = page.content()
    for family, middle, given, _stage in PEOPLE:
        assert f"{family} {middle} {given}" not in content
    assert "Mai Xuân Trường" not in content
    # Zone A holds 2 of every 3 candidates and the one whose certificate expires.
    expect(page.get_by_test_id("pipeline-total")).to_have_text("7")
    screenshot("pipeline-board-iz")
    response = page.goto("/party-development/candidates/")
    assert response.status == 403
    page.goto("/party-development/qualifying/")
    expect(page.get_by_test_id("qualifying-row")).to_have_count(1)
    assert [e for e in errors if "status of 403" not in e] == [], errors
