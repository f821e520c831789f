"""The streaming writer: text never becomes a formula; exports are ready to filter and print."""

import io
import re
import zipfile
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core.excel.reader import Column, read_table
from core.excel.writer import (
    DATA_SHEET_TITLE,
    INSTRUCTIONS_SHEET_TITLE,
    YES,
    WorkbookWriter,
    template_workbook,
)

MB = 1024 * 1024
LIMITS = {"max_bytes": 10 * MB, "max_uncompressed_bytes": 100 * MB, "max_rows": 1000}
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def saved(fill, columns=(("Tên", 30), ("Mã số thuế", 15), ("Ngày", 12))):
    """The bytes of a one-sheet export filled by ``fill(sheet)``."""
    writer = WorkbookWriter()
    sheet = writer.sheet("Doanh nghiệp", list(columns))
    fill(sheet)
    buffer = io.BytesIO()
    writer.save(buffer)
    return buffer.getvalue()


def sheet_xml(data, index=1):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode()


def reopened(data):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_text_starting_like_a_formula_is_never_a_formula():
    def fill(sheet):
        sheet.header()
        for text in FORMULAS:
            sheet.row([text])

    data = saved(fill)
    assert not re.search(r"<f[ >/]", sheet_xml(data))
    cells = [row[0] for row in reopened(data).iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == FORMULAS
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.alignment is not None and cell.quotePrefix for cell in cells)


def test_characters_illegal_in_xml_are_dropped():
    def fill(sheet):
        sheet.row(["a\x00b\x07c", "\x00=1", "\x01", "end"])

    row = next(reopened(saved(fill)).iter_rows())
    assert row[0].value == "abc"
    assert row[1].value == "=1"
    assert row[1].quotePrefix
    assert row[2].value is None


def test_error_codes_and_number_like_text_stay_text():
    def fill(sheet):
        sheet.row(["0101234567", "#N/A", "12.50"])

    row = next(reopened(saved(fill)).iter_rows())
    assert [cell.value for cell in row] == ["0101234567", "#N/A", "12.50"]
    assert [cell.data_type for cell in row] == ["s", "s", "s"]
    assert not row[0].quotePrefix


def test_values_by_type():
    aware = datetime(2024, 1, 5, 3, 30, tzinfo=UTC)

    def fill(sheet):
        sheet.row([12, 12.5, Decimal("1234.50"), date(2024, 1, 5), aware, True, False, None, "x"])

    row = next(reopened(saved(fill)).iter_rows())
    assert [cell.value for cell in row[:3]] == [12, 12.5, 1234.5]
    assert row[3].value == datetime(2024, 1, 5)
    assert row[3].number_format == "dd/mm/yyyy"
    # Aware datetimes are shown in the project's time zone (Asia/Ho_Chi_Minh, UTC+7).
    assert row[4].value == datetime(2024, 1, 5, 10, 30)
    assert row[4].number_format.startswith("dd/mm/yyyy")
    assert row[5].value == YES == "Có"
    assert [cell.value for cell in row[6:8]] == [None, None]
    assert row[8].value == "x"


def test_freeze_panes_autofilter_print_setup_and_widths():
    def fill(sheet):
        sheet.print_setup(landscape=True)
        sheet.title_rows([["ĐẢNG ỦY KHỐI"], ["DANH SÁCH DOANH NGHIỆP", date(2024, 1, 5)]])
        sheet.header()
        for i in range(1, 11):
            sheet.row([f"Công ty {i}", f"010{i}", date(2024, 1, i)])

    worksheet = reopened(saved(fill))
    assert [cell.value for cell in worksheet[2]][:2] == ["DANH SÁCH DOANH NGHIỆP", "05/01/2024"]
    assert [cell.value for cell in worksheet[3]] == ["Tên", "Mã số thuế", "Ngày"]
    assert all(cell.font.bold and cell.alignment.wrap_text for cell in worksheet[3])
    assert all(cell.border.bottom.style == "thin" for cell in worksheet[3])
    assert worksheet.freeze_panes == "A4"
    assert worksheet.auto_filter.ref == "A3:C13"
    assert worksheet.print_title_rows == "$3:$3"
    assert str(worksheet.page_setup.paperSize) == worksheet.PAPERSIZE_A4
    assert worksheet.page_setup.orientation == "landscape"
    assert worksheet.page_setup.fitToWidth == 1
    assert worksheet.sheet_properties.pageSetUpPr.fitToPage
    assert worksheet.column_dimensions["A"].width == 30
    assert worksheet.column_dimensions["B"].width == 15


def test_autofilter_on_a_header_without_rows():
    worksheet = reopened(saved(lambda sheet: sheet.header()))
    assert worksheet.auto_filter.ref == "A1:C1"
    assert worksheet.freeze_panes == "A2"


def test_setup_after_the_first_row_is_refused():
    writer = WorkbookWriter()
    sheet = writer.sheet("Dữ liệu")
    sheet.header(["A"])
    for late in (
        lambda: sheet.title_rows([["x"]]),
        sheet.print_setup,
        lambda: sheet.header(["B"]),
    ):
        with pytest.raises(RuntimeError):
            late()
    writer.save(io.BytesIO())


def test_many_rows_stream_to_a_path(tmp_path):
    writer = WorkbookWriter()
    sheet = writer.sheet("Lớn", [("Số", 10), ("Tên", 20)])
    sheet.header()
    for i in range(20_000):
        sheet.row([i, f"Công ty {i}"])
    path = tmp_path / "export.xlsx"
    writer.save(path)
    workbook = load_workbook(path, read_only=True)
    assert sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) == 20_001
    workbook.close()


def test_sheet_titles_are_made_acceptable_to_excel():
    writer = WorkbookWriter()
    writer.sheet("Báo cáo: quý 1/2024 [bản nháp] của Đảng ủy Khối").row(["x"])
    buffer = io.BytesIO()
    writer.save(buffer)
    title = load_workbook(buffer).sheetnames[0]
    assert len(title) <= 31
    assert not set(title) & set("[]:*?/\\")


# --- templates -------------------------------------------------------------------------------

COLUMNS = [
    Column("name", "Tên doanh nghiệp", required=True),
    Column("tax_code", "Mã số thuế", ("MST",), required=True),
    Column("kind", "Loại hình"),
    Column("founded", "Ngày thành lập"),
]


def make_template(**options):
    arguments = {
        "title": "Mẫu nhập danh sách doanh nghiệp",
        "instructions": ["Mỗi doanh nghiệp một dòng.", "Ngày ghi theo dạng dd/mm/yyyy."],
        "allowed_values": {"kind": ["Nhà nước", "Tư nhân", "FDI"]},
        **options,
    }
    return template_workbook(COLUMNS, **arguments)


def test_template_has_the_data_sheet_first_then_the_instructions():
    workbook = load_workbook(io.BytesIO(make_template()))
    assert workbook.sheetnames == [DATA_SHEET_TITLE, INSTRUCTIONS_SHEET_TITLE]
    assert workbook.properties.title == "Mẫu nhập danh sách doanh nghiệp"
    data = workbook[DATA_SHEET_TITLE]
    header = data[1]
    assert [cell.value for cell in header] == [column.header for column in COLUMNS]
    assert all(cell.font.bold for cell in header)
    red = [
        cell.font.color is not None and cell.font.color.rgb.endswith("C00000") for cell in header
    ]
    assert red == [column.required for column in COLUMNS]
    assert data.freeze_panes == "A2"
    assert data.column_dimensions["A"].width >= len("Tên doanh nghiệp")


def test_template_instructions_sheet():
    with translation.override("en"):
        guide = load_workbook(io.BytesIO(make_template()))[INSTRUCTIONS_SHEET_TITLE]
    rows = [[cell.value for cell in row] for row in guide.iter_rows()]
    assert rows[0][0] == "Mẫu nhập danh sách doanh nghiệp"
    assert rows[1][0] == "Mỗi doanh nghiệp một dòng."
    assert rows[2][0] == "Ngày ghi theo dạng dd/mm/yyyy."
    assert ["Column", "Required", "Allowed values"] in rows
    assert ["Tên doanh nghiệp", "yes", None] in rows
    assert ["Loại hình", "no", "Nhà nước; Tư nhân; FDI"] in rows
    assert guide.freeze_panes is None


def test_template_reads_back_through_read_table():
    template = make_template(
        example_rows=[["Công ty TNHH Minh Anh", "0101234567", "Tư nhân", date(2024, 1, 5)]]
    )
    table = read_table(template, COLUMNS, **LIMITS)
    assert table.sheet_name == DATA_SHEET_TITLE
    assert table.header_row == 1
    [row] = table.rows
    assert row.number == 2
    assert row.values == {
        "name": "Công ty TNHH Minh Anh",
        "tax_code": "0101234567",
        "kind": "Tư nhân",
        "founded": datetime(2024, 1, 5),
    }
    assert read_table(make_template(), COLUMNS, **LIMITS).rows == []


def test_styled_cells_and_plain_values_mixed_in_a_row_keep_their_place_and_style():
    """The streaming sheet takes styled cells as they are and plain values into
    one reused cell: neither may take another's position, value or style."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    def fill(sheet):
        ws = sheet._ws
        bold = WriteOnlyCell(ws, "bold")
        bold.font = Font(bold=True)
        italic = WriteOnlyCell(ws, 7)
        italic.font = Font(italic=True)
        sheet._append([1, bold, None, "plain", italic, 2.5])
        sheet._append(["again", None, 3])

    first, second = list(reopened(saved(fill)).iter_rows(max_col=6))
    assert [cell.value for cell in first] == [1, "bold", None, "plain", 7, 2.5]
    assert [(cell.font.b, cell.font.i) for cell in first] == [
        (False, False), (True, False), (False, False), (False, False), (False, True),
        (False, False)]
    assert [cell.value for cell in second[:3]] == ["again", None, 3]
    assert not any(cell.font.b or cell.font.i for cell in second)


def test_prepared_rows_are_written_as_openpyxl_writes_the_same_cells():
    """A PreparedRow is written without cell objects: its XML must be, byte for
    byte, what openpyxl writes for cells holding the same values and styles
    (text padded with spaces, text that looks like a formula or an error,
    text with XML's special characters, line breaks, carriage returns, tabs and
    characters outside the BMP,
    numbers, NaN, dates, datetimes, times, empty styled cells, unstyled cells,
    a row with a height)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.styles.cell_style import StyleArray

    from core.excel.writer import PreparedRow, cell_content, prepared_item, register_style

    values = ["Công ty", "  cách  ", "=1+1", "#N/A", "", 42, -2.5, Decimal("1.25"),
              "A & B <C> \"D\" 'E'", "dòng 1\ndòng 2", "a\r\nb\rc", "cột\tkế", "\r=1", " ",
              "Ngọc 😀", "]]> &amp; &#13;",
              float("nan"), True, False, None, date(2026, 3, 1), datetime(2026, 3, 1, 8, 30),
              datetime(2026, 3, 1, 1, 30, tzinfo=UTC), time(8, 5)]

    def style_of(worksheet, number_format, quote):
        template = WriteOnlyCell(worksheet)
        template.font = Font(name="Times New Roman", bold=True)
        if number_format:
            template.number_format = number_format
        template.quotePrefix = quote
        return template._style

    def ours(styled: bool) -> str:
        writer = WorkbookWriter()
        sheet = writer.sheet("A")
        ws = sheet._ws
        ws.row_dimensions[2].height = 30
        for _ in range(2):
            items = PreparedRow()
            for value in values:
                content = cell_content(value)
                style = (style_of(ws, *(content or (None, None, False))[1:])
                         if styled else StyleArray())
                items.append(prepared_item(content, register_style(ws, style)))
            sheet._append(items)
        buffer = io.BytesIO()
        writer.save(buffer)
        return sheet_xml(buffer.getvalue())

    def openpyxl_own(styled: bool) -> str:
        book = Workbook(write_only=True)
        ws = book.create_sheet("A")
        ws.row_dimensions[2].height = 30
        for _ in range(2):
            cells = []
            for value in values:
                content = cell_content(value)
                if content is None:
                    cell = WriteOnlyCell(ws)
                else:
                    cell = WriteOnlyCell(ws, content[0])
                    if isinstance(content[0], str):
                        cell.data_type = "s"
                if styled:
                    cell._style = style_of(ws, *(content or (None, None, False))[1:])
                else:
                    cell._style = StyleArray()
                cells.append(cell)
            ws.append(cells)
        buffer = io.BytesIO()
        book.save(buffer)
        return sheet_xml(buffer.getvalue())

    for styled in (True, False):
        expected = openpyxl_own(styled)
        assert "<sheetData><row " in expected
        assert ours(styled) == expected
    # What the comparison covered: text kept as text, padded text, an empty styled cell.
    xml = ours(True)
    assert '<c r="C1" s="' in xml and "<t>=1+1</t>" in xml and "<f>" not in xml
    assert '<t xml:space="preserve">  c' in xml
    assert re.search(r'<c r="E1" s="\d+" t="n"></c>', xml)
    assert '<row r="2" ht="30" customHeight="1">' in xml
    assert "<t>A &amp; B &lt;C&gt; \"D\" 'E'</t>" in xml and "a&#13;\nb&#13;c" in xml
