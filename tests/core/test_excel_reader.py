"""Reading real-world provincial spreadsheets, and refusing hostile files."""

import io
import time
import unicodedata
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from core.excel import reader
from core.excel.reader import Column, WorkbookError, read_table
from core.excel.values import parse_date, parse_int, parse_text
from core.text import clean_text

MB = 1024 * 1024
LIMITS = {"max_bytes": 10 * MB, "max_uncompressed_bytes": 100 * MB, "max_rows": 1000}
COLUMNS = [
    Column("name", "Tên doanh nghiệp", ("Tên DN",), required=True),
    Column("tax_code", "Mã số thuế", ("MST", "Mã số thuế doanh nghiệp"), required=True),
    Column("founded", "Ngày thành lập"),
    Column("workers", "Số lao động"),
]
HEADER = ["STT", "Tên doanh nghiệp", "Mã số thuế", "Ngày thành lập", "Số lao động"]


def to_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_bytes(rows, *, merges=(), title="Sheet1"):
    """A one-sheet workbook with ``rows`` from row 1 ([] leaves a blank row)."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for values in rows:
        worksheet.append(values)
    for cell_range in merges:
        worksheet.merge_cells(cell_range)
    return to_bytes(workbook)


def read(source, columns=COLUMNS, **options):
    return read_table(source, columns, **{**LIMITS, **options})


def raw_zip(members):
    """Zip bytes with the given {name: bytes} members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def refused(source, **options) -> str:
    """The English message of the WorkbookError raised for ``source``."""
    with pytest.raises(WorkbookError) as error, translation.override("en"):
        read(source, **options)
    return error.value.message


# --- layouts ------------------------------------------------------------------------------


def test_title_rows_and_merged_title_above_a_header_on_row_4():
    data = sheet_bytes(
        [
            ["ĐẢNG ỦY KHỐI", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            ["DANH SÁCH DOANH NGHIỆP TRONG KHU CÔNG NGHIỆP"],
            [],
            HEADER,
            [1, "Công ty TNHH Minh Anh", "0101234567", datetime(2024, 1, 5), 120],
        ],
        merges=["A1:C1", "D1:E1", "A2:E2"],
    )
    table = read(data)
    assert table.sheet_name == "Sheet1"
    assert table.header_row == 4
    assert table.headers == {
        "name": "Tên doanh nghiệp",
        "tax_code": "Mã số thuế",
        "founded": "Ngày thành lập",
        "workers": "Số lao động",
    }
    [row] = table.rows
    assert row.number == 5
    assert row.values == {
        "name": "Công ty TNHH Minh Anh",
        "tax_code": "0101234567",
        "founded": datetime(2024, 1, 5),
        "workers": 120,
    }


def test_two_row_header_with_merged_group_cells():
    columns = [
        Column("name", "Tên doanh nghiệp", required=True),
        Column("workers", "Tổng số lao động", ("Lao động Tổng số",)),
        Column("female_workers", "Lao động nữ", ("Lao động Nữ",)),
        Column("members", "Số đảng viên", ("Đảng viên Tổng số",)),
        Column("female_members", "Đảng viên nữ", ("Đảng viên Nữ",)),
    ]
    data = sheet_bytes(
        [
            ["BÁO CÁO TÌNH HÌNH LAO ĐỘNG"],
            ["STT", "Tên doanh nghiệp", "Lao động", None, "Đảng viên", None],
            [None, None, "Tổng số", "Nữ", "Tổng số", "Nữ"],
            [1, "Công ty A", "1.250", 700, 12, 5],
        ],
        merges=["A1:F1", "A2:A3", "B2:B3", "C2:D2", "E2:F2"],
    )
    table = read(data, columns)
    assert table.header_row == 3
    assert table.headers["name"] == "Tên doanh nghiệp"
    assert table.headers["female_workers"] == "Lao động - Nữ"
    assert table.headers["female_members"] == "Đảng viên - Nữ"
    [row] = table.rows
    assert row.number == 4
    assert row.values == {
        "name": "Công ty A",
        "workers": "1.250",
        "female_workers": 700,
        "members": 12,
        "female_members": 5,
    }
    assert parse_int(row.values["workers"]) == 1250


def test_columns_in_any_order_with_extra_columns():
    data = sheet_bytes(
        [
            ["Ghi chú", "Số lao động", "MST", "Địa chỉ", "Tên DN"],
            ["mới", 45, "0109999999", "Lô A1", "Công ty B"],
        ]
    )
    table = read(data)
    assert table.headers == {"workers": "Số lao động", "tax_code": "MST", "name": "Tên DN"}
    assert table.rows[0].values == {"workers": 45, "tax_code": "0109999999", "name": "Công ty B"}


@pytest.mark.parametrize(
    "variant",
    [
        "MÃ SỐ THUẾ (*)",
        "Ma so thue",
        "Mã  số\nthuế:",
        unicodedata.normalize("NFD", "Mã số thuế"),
        "mst",
        "Mã số thuế doanh nghiệp",
    ],
)
def test_header_variants(variant):
    data = sheet_bytes([["Tên doanh nghiệp (*)", variant], ["Công ty C", "0101"]])
    table = read(data)
    assert table.rows[0].values == {"name": "Công ty C", "tax_code": "0101"}
    assert table.headers["tax_code"] == clean_text(variant)
    assert "\n" not in table.headers["tax_code"]


def test_a_column_matched_twice_keeps_the_leftmost():
    data = sheet_bytes([["MST", "Tên DN", "Mã số thuế"], ["0101", "Công ty D", "0202"]])
    table = read(data)
    assert table.headers["tax_code"] == "MST"
    assert table.rows[0].values["tax_code"] == "0101"


def test_nfd_text_comes_back_nfc_through_parse_text():
    name = "Công ty Cổ phần Đông Á"
    data = sheet_bytes([HEADER, [1, unicodedata.normalize("NFD", name), "0101"]])
    value = read(data).rows[0].values["name"]
    assert parse_text(value) == name
    assert unicodedata.is_normalized("NFC", parse_text(value))


def test_blank_rows_are_skipped_and_row_numbers_are_the_spreadsheets():
    data = sheet_bytes(
        [
            HEADER,
            [1, "Công ty A", "0101"],
            [],
            [None, "   ", None, None, None],
            # Only a column the caller does not know is filled: nothing to import.
            [3, None, None, None, None, "ghi chú"],
            [4, "Công ty B", "0202"],
            [],
        ]
    )
    rows = read(data).rows
    assert [row.number for row in rows] == [2, 6]
    assert rows[0].values["founded"] is None


@pytest.mark.parametrize(
    "numbers",
    [
        [1, 2, 3, 4, 5],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["A", "B", 1, 2, 3],
        ["(A)", "(B)", "(1)", "(2)", "(3)"],
    ],
)
def test_a_column_numbers_row_under_the_header_is_skipped(numbers):
    data = sheet_bytes([HEADER, numbers, [1, "Công ty A", "0101", None, 7]])
    rows = read(data).rows
    assert [row.number for row in rows] == [3]


def test_a_first_data_row_of_numbers_is_not_taken_for_column_numbers():
    # Numbers that do not run up by one across the row are data.
    data = sheet_bytes([HEADER, [1, "25", "0101", None, 40]])
    rows = read(data).rows
    assert [row.number for row in rows] == [2]


def test_a_data_row_holding_header_text_is_not_a_second_header_row():
    columns = [*COLUMNS, Column("note", "Ghi chú")]
    data = sheet_bytes(
        [
            ["Tên doanh nghiệp", "Mã số thuế"],
            ["Công ty A", "0101", "Ghi chú"],
        ]
    )
    table = read(data, columns)
    assert table.header_row == 1
    assert [row.number for row in table.rows] == [2]


def test_an_instructions_sheet_placed_first_is_skipped():
    workbook = Workbook()
    guide = workbook.active
    guide.title = "Hướng dẫn"
    guide.append(["Điền mỗi doanh nghiệp trên một dòng."])
    guide.append(["Tên doanh nghiệp", "bắt buộc"])
    data = workbook.create_sheet("Dữ liệu")
    data.append(["Tên doanh nghiệp", "Mã số thuế"])
    data.append(["Công ty A", "0101"])
    table = read(to_bytes(workbook))
    assert table.sheet_name == "Dữ liệu"
    assert table.rows[0].values == {"name": "Công ty A", "tax_code": "0101"}


def test_a_named_sheet_is_read_and_an_unknown_one_refused():
    workbook = Workbook()
    workbook.active.title = "Năm 2023"
    workbook.active.append(["Tên doanh nghiệp", "Mã số thuế"])
    workbook.active.append(["Công ty cũ", "0101"])
    current = workbook.create_sheet("Năm 2024")
    current.append(["Tên doanh nghiệp", "Mã số thuế"])
    current.append(["Công ty mới", "0202"])
    data = to_bytes(workbook)
    assert read(data, sheet="Năm 2024").rows[0].values["name"] == "Công ty mới"
    assert read(data, sheet="nam 2024").sheet_name == "Năm 2024"
    message = refused(data, sheet="Năm 2025")
    assert "'Năm 2025'" in message
    assert "'Năm 2023', 'Năm 2024'" in message


def test_a_missing_required_column_is_named():
    data = sheet_bytes([["STT", "Tên doanh nghiệp", "Địa chỉ"], [1, "Công ty A", "Lô B2"]])
    message = refused(data)
    assert "'Mã số thuế'" in message
    assert "'Tên doanh nghiệp'" not in message
    assert "'Sheet1'" in message


def test_a_sheet_without_any_header_names_every_required_column():
    message = refused(sheet_bytes([["Họ tên", "Tuổi"], ["A", 3]]))
    assert "'Tên doanh nghiệp', 'Mã số thuế'" in message


def test_a_formula_comes_back_as_its_text():
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(HEADER)
    worksheet.append([1, "Công ty A", "0101", None, None])
    worksheet["E2"] = "=1+1"
    worksheet["B2"] = '=HYPERLINK("http://evil.example","A")'
    values = read(to_bytes(workbook)).rows[0].values
    assert values["workers"] == "=1+1"
    assert values["name"] == '=HYPERLINK("http://evil.example","A")'


def test_dates_come_back_as_datetimes_or_text():
    data = sheet_bytes(
        [
            HEADER,
            [1, "A", "01", datetime(2024, 1, 5)],
            [2, "B", "02", "05/01/2024"],
            [3, "C", "03", 45296],
        ]
    )
    assert [parse_date(row.values["founded"]).isoformat() for row in read(data).rows] == [
        "2024-01-05"
    ] * 3


def test_wrong_stored_dimensions_do_not_hide_rows():
    data = sheet_bytes([HEADER, [1, "A", "01"], [2, "B", "02"], [3, "C", "03"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:E4"/>' in sheet
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        b'<dimension ref="A1:E4"/>', b'<dimension ref="A1"/>'
    )
    assert [row.number for row in read(raw_zip(members)).rows] == [2, 3, 4]


# --- sources and limits -------------------------------------------------------------------


def test_sources_path_bytes_and_uploaded_file(tmp_path):
    data = sheet_bytes([HEADER, [1, "Công ty A", "0101"]])
    path = tmp_path / "danh sach.xlsx"
    path.write_bytes(data)
    upload = SimpleUploadedFile("danh sach.xlsx", data)
    upload.read(10)  # a form may have looked at it already
    for source in (data, path, str(path), upload, io.BytesIO(data)):
        assert read(source).rows[0].values["name"] == "Công ty A"


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    data = sheet_bytes([HEADER] + [[i, f"Công ty {i}", "0101"] for i in range(2000)])
    limit = len(data) - 1
    path = tmp_path / "big.xlsx"
    path.write_bytes(data)
    for source in (data, path, SimpleUploadedFile("big.xlsx", data), io.BytesIO(data)):
        message = refused(source, max_bytes=limit)
        assert "too large" in message
        assert "MB" in message


def test_more_rows_than_the_limit_are_refused():
    rows = [[i, f"Công ty {i}", "0101"] for i in range(1, 6)]
    assert len(read(sheet_bytes([HEADER, *rows]), max_rows=5).rows) == 5
    message = refused(sheet_bytes([HEADER, *rows, [6, "Công ty 6", "0106"]]), max_rows=5)
    assert "more than 5 data rows" in message


def test_reading_stops_as_soon_as_the_row_limit_is_passed(monkeypatch):
    consumed = []
    original = reader._sheet_rows

    def counting(worksheet):
        for item in original(worksheet):
            consumed.append(item[0])
            yield item

    monkeypatch.setattr(reader, "_sheet_rows", counting)
    data = sheet_bytes([HEADER] + [[i, f"Công ty {i}", "0101"] for i in range(1000)])
    with pytest.raises(WorkbookError):
        read(data, max_rows=10)
    assert max(consumed) <= reader.HEADER_SCAN_ROWS + 1


# --- hostile and wrong files ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "Tên doanh nghiệp,Mã số thuế\nCông ty A,0101\n".encode(),
        b"\xef\xbb\xbfTen,MST\r\n",
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    ],
)
def test_csv_or_html_is_not_an_xlsx(content):
    message = refused(content)
    assert "not an Excel .xlsx file" in message
    assert "CSV" in message


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary"])
def test_other_files_are_not_an_xlsx(content):
    assert "not an Excel .xlsx file" in refused(content)


def test_an_old_xls_file_gets_a_specific_message():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
    message = refused(ole)
    assert ".xls (Excel 97-2003)" in message
    assert ".xlsx" in message


def test_a_password_protected_xlsx_gets_a_specific_message():
    encrypted = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 100
        + "EncryptedPackage".encode("utf-16-le")
    )
    assert "password" in refused(encrypted)


def test_a_zip_without_a_workbook_is_refused():
    docx_like = raw_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    assert "not an Excel .xlsx file" in refused(docx_like)


def test_a_damaged_workbook_is_refused_not_crashed():
    broken = raw_zip(
        {"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"not xml at all \x00\xff"}
    )
    assert "damaged" in refused(broken)
    truncated = sheet_bytes([HEADER, [1, "A", "01"]])[:-200]
    assert refused(truncated)


@pytest.mark.parametrize(
    ("part", "anchor"),
    [("xl/workbook.xml", b"<sheets>"), ("xl/worksheets/sheet1.xml", b"<sheetData>")],
)
def test_xml_entity_expansion_is_refused(part, anchor):
    data = sheet_bytes([HEADER, [1, "A", "01"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members[part]
    assert anchor in xml
    members[part] = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + xml.split(b"?>", 1)[-1].replace(anchor, anchor + b"&lol2;")
    )
    assert "damaged" in refused(raw_zip(members))


def _zip_with_zeros(size_mb):
    """An .xlsx-shaped zip whose sheet is ``size_mb`` MB of zeros, built chunk by chunk."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * MB
            for _ in range(size_mb):
                member.write(chunk)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("openpyxl opened a file that should have been refused")

    monkeypatch.setattr(reader, "load_workbook", fail)


def test_a_zip_bomb_is_refused_quickly_without_opening_it(openpyxl_must_not_open):
    bomb = _zip_with_zeros(200)
    assert len(bomb) < 1 * MB
    started = time.monotonic()
    message = refused(bomb, max_uncompressed_bytes=100 * MB)
    assert time.monotonic() - started < 1
    assert "100 MB" in message


def test_an_abnormally_compressed_part_is_refused(openpyxl_must_not_open):
    message = refused(_zip_with_zeros(20), max_uncompressed_bytes=100 * MB)
    assert "abnormally compressed" in message


def test_too_many_zip_entries_are_refused(openpyxl_must_not_open, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ZIP_ENTRIES", 5)
    members = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    members.update({f"xl/media/{i}.bin": b"x" for i in range(5)})
    assert "too many parts" in refused(raw_zip(members))
