"""A refused import hands the uploader's own file back with its errors written in."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.models import ImportRun
from enterprises.models import Enterprise
from tests.enterprises.factories import ZoneFactory, valid_tax_code

pytestmark = pytest.mark.django_db

TITLE = "DANH SÁCH DOANH NGHIỆP KCN HÒA XÁ"
HEADER = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
          "Nguồn vốn", "Tổng số lao động"]
BAD_TAX_CODE = "0100233489"  # its check digit is wrong


def workbook_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append([TITLE])
    sheet.merge_cells("A1:F1")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def hx(db):
    return ZoneFactory(code="HX", name="Khu công nghiệp Hòa Xá")


def upload(client, rows):
    response = client.post(reverse("core:import_upload", args=["enterprises"]), {
        "file": SimpleUploadedFile("danh-sach-hx.xlsx", workbook_bytes(rows)),
        "as_of": "30/06/2026"})
    assert response.status_code == 302
    return ImportRun.objects.latest("pk")


def vi(text):
    with translation.override("vi"):
        return translation.gettext(text)


ROWS = [
    ["Công ty A", BAD_TAX_CODE, "HX", "Khác", "FDI", 10],                 # row 3
    ["Công ty B", valid_tax_code(2), "HX", "Khác", "FDI", 20],            # row 4: fine
    ["Công ty C", valid_tax_code(3), "HX", "Khác", "=1+1", "nhiều"],      # row 5: two errors
]


def test_the_file_comes_back_with_a_column_of_errors_and_the_refused_cells_in_red(
        client, pc_officer, hx):
    client.force_login(pc_officer)
    run = upload(client, ROWS)
    preview = client.get(reverse("core:import_preview", args=[run.pk])).content.decode()
    url = reverse("core:import_errors", args=[run.pk])
    assert url in preview

    assert client.get(url).status_code == 405  # a download of the file: POST
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="danh-sach-hx-loi.xlsx"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active

    assert sheet.title == "Danh sách"
    assert sheet["A1"].value == TITLE and "A1:F1" in sheet.merged_cells  # untouched
    assert [sheet.cell(2, c).value for c in range(1, 7)] == HEADER
    assert sheet["G2"].value == vi("Errors to fix")
    # The user's values stay as they were, the formula-looking one included.
    assert [sheet.cell(r, 2).value for r in (3, 4, 5)] == [r[1] for r in ROWS]
    notes = {row: sheet.cell(row, 7).value for row in (3, 4, 5)}
    assert notes[4] is None
    assert "Mã số thuế" in notes[3] and not notes[3].startswith(vi("Row"))
    assert notes[5].count("\n") == 1  # one line per error
    assert "Nguồn vốn" in notes[5] and "Tổng số lao động" in notes[5] and "=1+1" in notes[5]
    red = {(cell.row, cell.column) for row in sheet.iter_rows(min_row=3)
           for cell in row if cell.fill.fgColor.rgb == "00FFC7CE"}
    assert red == {(3, 2), (5, 5), (5, 6)}  # the refused cells
    assert sheet["G3"].font.color.rgb == "009C0006"
    # The notes are text: the only formula is the one the user's own file had.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r'<c r="([A-Z]+\d+)"[^>]*>(?:<v>[^<]*</v>)?<f>', xml) == ["E5"]
    assert sheet["G5"].data_type == "s"
    # The download writes nothing and leaves the run to be corrected.
    assert not Enterprise.objects.exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEWED


def test_the_error_column_goes_right_of_anything_already_there(client, pc_officer, hx):
    client.force_login(pc_officer)
    rows = [[*ROWS[0], "ghi chú của người lập"]]
    run = upload(client, rows)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(
        client.post(reverse("core:import_errors", args=[run.pk])).streaming_content))).active
    assert sheet["G3"].value == "ghi chú của người lập"
    assert sheet["G2"].value is None
    assert sheet["H2"].value == vi("Errors to fix")
    assert "Mã số thuế" in sheet["H3"].value


def test_a_file_without_errors_sends_back_to_the_preview(client, pc_officer, hx):
    client.force_login(pc_officer)
    run = upload(client, [ROWS[1]])
    response = client.post(reverse("core:import_errors", args=[run.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:import_preview", args=[run.pk])
    assert vi("The file has no row errors any more.") in response.content.decode()


def test_only_the_uploader_gets_the_file(client, pc_officer, iz_officer, hx):
    client.force_login(pc_officer)
    run = upload(client, ROWS)
    url = reverse("core:import_errors", args=[run.pk])
    client.force_login(iz_officer)  # may import enterprises, but this is not their file
    assert client.post(url).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.post(url)["Location"]
