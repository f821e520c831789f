"""A candidate's dossier in a real browser: the officer sees what is missing
for the next step, records the certificate with its scan, corrects it, and
downloads the draft admission decision of a case the cell has voted on; the
board's card loses its marker once nothing is missing."""

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from coordination.models import AdmissionCandidate, DossierDocument
from tests.coordination.factories import advance, make_candidate
from tests.enterprises.factories import make_enterprise, make_partyorg

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Stage = AdmissionCandidate.Stage
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def test_an_officer_completes_a_dossier_and_prints_the_decision(page, signed_in, screenshot,
                                                                pc_officer, zone_a, settings,
                                                                tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise = make_enterprise(zone_a, name="Công ty TNHH Cơ khí Chính xác Hòa Xá")
    cell = make_partyorg("Chi bộ Công ty TNHH Cơ khí Chính xác Hòa Xá", enterprise=enterprise)
    course = advance(make_candidate(enterprise, family_name="Đinh", middle_name="Thị",
                                    given_name="Huệ", responsible_organization=cell),
                     Stage.COURSE)
    voted = advance(make_candidate(enterprise, family_name="Cao", middle_name="Văn",
                                   given_name="Lực", gender="male",
                                   responsible_organization=cell), Stage.CELL_RESOLUTION)
    scan = tmp_path / "giay-chung-nhan.pdf"
    scan.write_bytes(PDF)

    signed_in("pc_officer")
    page.goto("/party-development/")
    card = page.locator(f'[data-candidate="{course.pk}"]')
    expect(card.get_by_test_id("missing-documents")).to_be_visible()

    page.goto(f"/party-development/candidates/{course.pk}/")
    expect(page.get_by_test_id("dossier-missing")).to_be_visible()
    page.locator('[data-kind="certificate"] [data-testid="record-document"]').click()
    page.locator("#id_issued_on").fill("01/03/2025")
    page.locator("#id_number").fill("CN-2025-01")
    page.locator("#id_file").set_input_files(str(scan))
    screenshot("dossier-form")
    page.get_by_test_id("document-submit").click()
    row = page.locator('[data-testid="dossier-document"][data-kind="certificate"]')
    expect(row).to_have_attribute("data-state", "present")
    expect(row).to_contain_text("CN-2025-01")
    expect(page.get_by_test_id("dossier-complete")).to_be_visible()
    screenshot("dossier-complete")
    with page.expect_download() as download:
        row.get_by_test_id("document-file").click()
    assert download.value.suggested_filename == "giay-chung-nhan.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    assert DossierDocument.objects.get().original_name == "giay-chung-nhan.pdf"

    page.goto("/party-development/")
    expect(page.locator(f'[data-candidate="{course.pk}"]').get_by_test_id(
        "missing-documents")).to_have_count(0)

    page.goto(f"/party-development/candidates/{voted.pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("download-9-knd").click()
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = [p.text for p in document.paragraphs]
    assert any(p.startswith("Điều 1. Kết nạp quần chúng Cao Văn Lực") for p in text)
    assert date(2025, 7, 1).strftime("%d/%m/%Y") in " ".join(text)
