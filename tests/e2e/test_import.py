"""An IZ officer imports a workbook through the preview in a real browser."""


import openpyxl
import pytest

from enterprises.models import Enterprise
from tests.enterprises.factories import valid_tax_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _workbook(tmp_path, rows, name="ds.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["BAN QUẢN LÝ CÁC KCN - DANH SÁCH DOANH NGHIỆP"])
    ws.append([])
    ws.append(["STT", "Tên doanh nghiệp", "Mã số thuế", "KCN", "Loại hình", "Nguồn vốn",
               "Số lao động", "LĐ nữ"])
    for i, row in enumerate(rows, 1):
        ws.append([i, *row])
    path = tmp_path / name
    wb.save(path)
    return path


def test_iz_officer_previews_then_confirms_an_import(page, signed_in, screenshot, iz_officer,
                                                     zone_a, zone_b, tmp_path):
    good = _workbook(tmp_path, [
        ["Công ty TNHH Đức Thành", valid_tax_code(1), zone_a.code, "TNHH MTV", "FDI", "1.250", 700],
        ["Công ty cổ phần May Sông Đào", valid_tax_code(2), zone_a.name, "Cổ phần",
         "Ngoài nhà nước", 320, 200],
    ])
    signed_in(iz_officer.username)
    page.goto("/imports/enterprises/")
    page.set_input_files("input[type=file]", str(good))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    counts = page.get_by_test_id("counts").inner_text()
    assert "2" in counts
    rows = page.get_by_test_id("preview-rows").inner_text()
    assert "Công ty TNHH Đức Thành" in rows and "Sông Đào" in rows
    assert not Enterprise.objects.exists()
    screenshot("import-preview")
    page.locator("form[action$='/confirm/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("applied").is_visible()
    assert Enterprise.objects.filter(zone=zone_a).count() == 2
    screenshot("import-applied")


def test_rows_of_another_zone_are_refused_with_the_row_and_column(page, signed_in, screenshot,
                                                                  iz_officer, zone_a, zone_b,
                                                                  tmp_path):
    bad = _workbook(tmp_path, [
        ["Công ty A", valid_tax_code(1), zone_a.code, "Khác", "FDI", 10, 5],
        ["Công ty B", valid_tax_code(2), zone_b.code, "Khác", "FDI", 10, 5],
        ["Công ty C", "0100233489", zone_a.code, "Khác", "FDI", 10, 50],
    ])
    signed_in(iz_officer.username)
    page.goto("/imports/enterprises/")
    page.set_input_files("input[type=file]", str(bad))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    errors = page.get_by_test_id("row-errors").inner_text()
    assert "Dòng 5, cột 'KCN'" in errors
    assert "Dòng 6, cột 'Mã số thuế'" in errors
    assert page.locator("form[action$='/confirm/']").count() == 0
    screenshot("import-errors")
    assert not Enterprise.objects.exists()
