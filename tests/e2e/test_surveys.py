"""A survey visit on a tablet, in a real browser.

An IZ Board officer opens the working group's campaign on a tablet-sized
screen, records a visit (a refused photo first: the message names the file
and nothing typed is lost), applies the figures to the enterprise (the new
workforce record shows on its profile) and registers the outstanding worker
met there, who then counts in the admission pipeline; the Party Committee
officer then sees the same pages, names included. Locators use ids and
data-testid attributes, so the test holds whatever the interface language.
"""

import base64
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coordination.models import AdmissionCandidate
from surveys.models import SurveyVisit
from tests.coordination.factories import make_working_group
from tests.enterprises.factories import make_enterprise
from tests.surveys.factories import make_campaign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
TABLET = {"width": 820, "height": 1180}
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture
def campaign(pc_officer, zone_a, zone_b):
    textile = make_enterprise(zone_a, name="Công ty TNHH Dệt may Hòa Xá Việt Nam",
                              short_name="DỆT MAY HÒA XÁ")
    make_enterprise(zone_a, name="Công ty TNHH Điện tử Chính xác Sông Hồng")
    make_enterprise(zone_b, name="Công ty Cổ phần Cơ khí Bình Đông")
    group = make_working_group(name="Tổ công tác phát triển đảng viên trong doanh nghiệp KCN")
    campaign = make_campaign(pc_officer, [zone_a, zone_b], group=group,
                             name="Khảo sát doanh nghiệp chưa có tổ chức đảng")
    return {"campaign": campaign, "textile": textile}


def _watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_an_iz_officer_records_a_visit_on_a_tablet(page, signed_in, screenshot, iz_officer,
                                                   pc_officer, campaign):
    errors = _watch_console(page)
    page.set_viewport_size(TABLET)
    signed_in("iz_officer")
    textile, the_campaign = campaign["textile"], campaign["campaign"]

    page.goto(the_campaign.get_absolute_url())
    expect(page.get_by_test_id("enterprise-row")).to_have_count(2)  # zone A only
    expect(page.get_by_test_id("visited-count")).to_have_text("0")
    page.locator(f'[data-testid="enterprise-row"][data-enterprise="{textile.pk}"] a.btn').click()
    page.wait_for_url(re.compile(r"/visits/new/\?enterprise="))
    expect(page.locator("#id_enterprise")).to_have_value(str(textile.pk))

    visit_day = (TODAY - timedelta(days=2)).strftime("%d/%m/%Y")
    page.locator("#id_visited_on").fill(visit_day)
    page.locator("#id_participants").fill("Đ/c Phạm Minh Đức (BQL); đ/c Nguyễn Thị Hồng Nhung")
    page.locator("#id_workers").fill("640")
    page.locator("#id_female_workers").fill("410")
    page.locator("#id_party_members_found").fill("2")
    for name, value in (("trade_union", "present"), ("youth_union", "absent"),
                        ("owner_attitude", "supportive"), ("classification", "A")):
        radio_id = page.locator(f'input[name="{name}"][value="{value}"]').get_attribute("id")
        page.locator(f'label[for="{radio_id}"]').click()
        expect(page.locator(f"#{radio_id}")).to_be_checked()
    page.locator("#id_trade_union_members").fill("520")
    page.locator("#id_outstanding_workers").fill("1")
    page.locator("#id_findings").fill("Hai đảng viên sinh hoạt ghép; một công nhân ưu tú.")
    page.locator("#id_recommendations").fill("Chuẩn bị thành lập chi bộ trong năm.")
    page.locator("#id_follow_ups-0-action").fill("Làm việc với chủ doanh nghiệp về chi bộ")
    page.locator("#id_follow_ups-0-owner").select_option(str(pc_officer.pk))
    page.locator("#id_follow_ups-0-due_on").fill((TODAY + timedelta(days=20))
                                                 .strftime("%d/%m/%Y"))
    page.get_by_test_id("add-follow-up").click()
    expect(page.get_by_test_id("follow-up-row")).to_have_count(3)
    # A photo that is not one: refused by name, everything typed stays.
    page.set_input_files("#id_photos", files=[
        {"name": "anh-nha-xuong.png", "mimeType": "image/png", "buffer": b"not an image"}])
    screenshot("survey-visit-form-tablet-iz")
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#div_id_photos .invalid-feedback")).to_contain_text(
        "anh-nha-xuong.png")
    expect(page.locator("#id_participants")).to_have_value(
        "Đ/c Phạm Minh Đức (BQL); đ/c Nguyễn Thị Hồng Nhung")
    expect(page.locator("#id_workers")).to_have_value("640")
    expect(page.locator('input[name="classification"][value="A"]')).to_be_checked()
    expect(page.locator("#id_follow_ups-0-action")).to_have_value(
        "Làm việc với chủ doanh nghiệp về chi bộ")
    screenshot("survey-visit-form-refused-file-tablet")
    assert not SurveyVisit.objects.exists()
    page.set_input_files("#id_photos", files=[
        {"name": "anh-nha-xuong.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/surveys/visits/\d+/$"))
    visit = SurveyVisit.objects.get()
    expect(page.get_by_test_id("classification")).to_have_attribute("data-class", "A")
    expect(page.locator('[data-testid="photos"] img')).to_have_count(1)
    expect(page.get_by_test_id("follow-up")).to_have_count(1)

    # Apply the figures: the enterprise's profile shows the new workforce record.
    page.get_by_test_id("apply-workforce-submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("apply-workforce")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("apply-workforce-submit")).to_have_count(0)
    # The trade union found is recorded with the date people give.
    page.locator("#id_trade_union-established_on").fill("15/03/2019")
    page.get_by_test_id("massorg-submit-trade_union").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("apply-trade_union")).to_have_attribute("data-state", "recorded")

    # Register the outstanding worker met there.
    page.get_by_test_id("register-candidate").click()
    page.locator("#id_family_name").fill("Lương")
    page.locator("#id_middle_name").fill("Thị Thu")
    page.locator("#id_given_name").fill("Trang")
    page.locator("#id_date_of_birth").fill("14/02/1997")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_citizen_id").fill("036 197 004 567")
    page.locator("#id_education_grade").select_option("12")
    page.locator("#id_proposing_body").select_option("trade_union")
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(rf"/surveys/visits/{visit.pk}/$"))
    expect(page.locator(".messages .alert-success")).to_be_visible()
    expect(page.get_by_test_id("candidates")).to_have_attribute("data-registered", "1")
    expect(page.get_by_test_id("register-candidate")).to_have_count(0)
    assert "Lương Thị Thu Trang" not in page.content()
    candidate = AdmissionCandidate.objects.get()
    assert (candidate.enterprise, candidate.identified_on) == (textile, visit.visited_on)
    screenshot("survey-visit-detail-tablet-iz")

    page.goto(textile.get_absolute_url())
    table = page.get_by_test_id("workforce-table")
    expect(table).to_contain_text(visit_day)
    expect(table).to_contain_text("640")
    expect(page.get_by_test_id("survey-visit")).to_have_count(1)
    screenshot("survey-enterprise-profile-tablet-iz")

    page.goto("/party-development/")
    expect(page.get_by_test_id("pipeline-total")).to_have_text("1")

    page.goto(the_campaign.get_absolute_url())
    expect(page.get_by_test_id("visited-count")).to_have_text("1")
    expect(page.locator('[data-class="A"] [data-testid="class-count"]')).to_have_text("1")
    screenshot("survey-campaign-tablet-iz")
    page.goto("/surveys/")
    screenshot("survey-campaign-list-tablet-iz")
    assert errors == []

    # The Party Committee officer: every zone, names included.
    page.context.clear_cookies()
    signed_in("pc_officer")
    page.goto(the_campaign.get_absolute_url())
    expect(page.get_by_test_id("enterprise-row")).to_have_count(3)
    screenshot("survey-campaign-tablet-pc")
    page.goto(visit.get_absolute_url())
    expect(page.get_by_test_id("candidate-names")).to_contain_text("Lương Thị Thu Trang")
    screenshot("survey-visit-detail-tablet-pc")
    page.goto(f"{the_campaign.get_absolute_url()}visits/new/")
    screenshot("survey-visit-form-tablet-pc")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(the_campaign.get_absolute_url())
    screenshot("survey-campaign-desktop-pc")
    page.goto(visit.get_absolute_url())
    screenshot("survey-visit-detail-desktop-pc")
    assert errors == []
