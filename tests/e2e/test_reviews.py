"""A one-year review of the regulation in a real browser.

A Party Committee officer starts a review of the regulation's first year
(the period chosen as "one year of the regulation": only that way's input
shows), writes its heading and signature, finishes it (the figures are
frozen), and downloads the Word report, whose header, number, signature
block and figures are read back from the file.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from coordination.cycle import services as cycle_services
from coordination.reviews.models import Review
from tests.coordination.factories import make_member
from tests.enterprises.factories import EnterpriseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
# Signed some 400 days ago (never on a 29 February, whose anniversaries the
# rules place by their own convention): its first year ended five weeks ago.
SIGNED = TODAY - timedelta(days=400)
if (SIGNED.month, SIGNED.day) == (2, 29):
    SIGNED -= timedelta(days=1)
FIRST_YEAR_END = SIGNED.replace(year=SIGNED.year + 1) - timedelta(days=1)


def _texts(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found += [" | ".join(cell.text for cell in row.cells)]
    return found


@pytest.fixture
def regulation_world(zone_a):
    cycle_services.regulation_create(data={
        "number": "01-QC/ĐUK-BQL", "title": "Quy chế phối hợp", "signed_on": SIGNED,
        "effective_from": SIGNED, "in_force_until": None,
        "party_signatory_name": "Nguyễn Văn Thành", "party_signatory_title": "Bí thư",
        "iz_signatory_name": "Lê Quốc Hưng", "iz_signatory_title": "Trưởng ban",
        "summary": ""})
    enterprise = EnterpriseFactory(zone=zone_a, name="Công ty TNHH May Sông Hồng",
                                   established_on=SIGNED - timedelta(days=3000))
    # Two members on the rolls at the end of the first year, one of them
    # admitted within it; a third admitted after it counts in neither.
    make_member(enterprise, admitted_on=SIGNED - timedelta(days=2000),
                official_on=SIGNED - timedelta(days=1635))
    make_member(enterprise, given_name="Bình", admitted_on=SIGNED + timedelta(days=30))
    make_member(enterprise, given_name="Cường", admitted_on=FIRST_YEAR_END + timedelta(days=1))


def test_an_officer_writes_a_one_year_review_and_downloads_its_word_report(
        page, signed_in, screenshot, regulation_world, pc_officer):
    signed_in(pc_officer.username)
    page.goto("/party-development/reviews/new/")
    # One year of the regulation is the way offered first: its input alone shows.
    expect(page.locator("#id_regulation_year")).to_be_visible()
    expect(page.locator("#id_span_start")).to_be_hidden()
    page.fill("#id_regulation_year", "1")
    page.fill("#id_number", "15-BC/ĐUK-BQL")
    page.fill("#id_dated", TODAY.strftime("%d/%m/%Y"))
    page.fill("#id_situation", "Tình hình chung của các khu công nghiệp.")
    page.fill("#id_results", "Hai bên phối hợp chặt chẽ.")
    page.fill("#id_signer_title", "PHÓ BÍ THƯ")
    page.fill("#id_signer_name", "Trần Văn Quang")
    page.fill("#id_iz_signer_title", "TRƯỞNG BAN")
    page.fill("#id_iz_signer_name", "Lê Quốc Hưng")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("review-period")).to_contain_text(
        f"{SIGNED:%d/%m/%Y} – {FIRST_YEAR_END:%d/%m/%Y}")
    review = Review.objects.get()
    assert (review.period_start, review.period_end) == (SIGNED, FIRST_YEAR_END)

    page.get_by_test_id("finish-review").click()
    expect(page.get_by_test_id("download-document")).to_be_visible(timeout=30_000)
    rows = page.get_by_test_id("figure-row")
    expect(rows.filter(has_text="Tổng số đảng viên").get_by_test_id("figure-value")).to_have_text("2")
    screenshot("review-finished")

    with page.expect_download() as download_info:
        page.get_by_test_id("download-document").click()
    content = Path(download_info.value.path()).read_bytes()
    texts = _texts(content)
    assert any("ĐẢNG CỘNG SẢN VIỆT NAM" in t for t in texts)
    assert any("Số 15-BC/ĐUK-BQL" in t for t in texts)
    assert any("T/M BAN THƯỜNG VỤ" in t for t in texts)
    assert any("Trần Văn Quang" in t for t in texts)
    assert any(t.startswith("Nơi nhận") for t in texts)
    figures = {t.split(" | ")[1]: t.split(" | ")[2] for t in texts if t.count(" | ") >= 2}
    assert figures["Tổng số đảng viên"] == "2"
    assert figures["Đảng viên kết nạp mới trong kỳ"] == "1"
