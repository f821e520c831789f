"""The user's own workbook handed back with its errors written in.

When an import is refused, the person who uploaded it gets the same file back
with one more column beside the header ("Lỗi cần sửa") holding each refused
row's errors, and the refused cells filled red: fix them in place, delete the
column or not (the reader ignores columns it does not know), upload again.

The workbook is loaded whole (not read-only) so everything else in it (title
rows, merged cells, formats, other sheets) stays as it was; the file already
passed ``reader.check_workbook`` at upload and holds at most IMPORT_MAX_ROWS
rows. Text written is never a formula (``writer.cell_content``).
"""

from __future__ import annotations

import io

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .writer import cell_content

# Excel's own "Bad" cell style.
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
HEADING_FONT = Font(bold=True, color="9C0006")
NOTE_WIDTH = 70


def annotate(source, *, sheet_name: str, header_row: int, heading: str,
             notes: dict[int, str], marked: dict[int, set[int]]) -> bytes:
    """The workbook ``source`` with ``notes`` ({row number: text}) in a new column
    titled ``heading`` after the table, and the cells ``marked`` ({row number:
    column numbers, 1 for A}) filled red. Returns the .xlsx bytes."""
    workbook = load_workbook(source)
    worksheet = workbook[sheet_name]
    column = _free_column(worksheet, header_row, notes)
    heading_cell = worksheet.cell(header_row, column)
    _write_text(heading_cell, heading)
    heading_cell.font = HEADING_FONT
    heading_cell.fill = ERROR_FILL
    heading_cell.alignment = Alignment(wrap_text=True, vertical="center")
    worksheet.column_dimensions[get_column_letter(column)].width = NOTE_WIDTH
    for row, text in notes.items():
        cell = worksheet.cell(row, column)
        _write_text(cell, text)
        cell.font = ERROR_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for position in marked.get(row, ()):
            worksheet.cell(row, position).fill = ERROR_FILL
    workbook.active = workbook.worksheets.index(worksheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _free_column(worksheet, header_row: int, notes: dict[int, str]) -> int:
    """The first column right of the header that is empty on the header row and
    on every row to annotate (a two-row header's upper row counts too)."""
    rows = [r for r in (header_row - 1, header_row) if r >= 1]
    last = 0
    for row in rows:
        for cell in worksheet[row]:
            if cell.value not in (None, ""):
                last = max(last, cell.column)
    column = last + 1
    while any(worksheet.cell(row, column).value not in (None, "")
              for row in (*rows, *notes)):
        column += 1
    return column


def _write_text(cell, text: str) -> None:
    content = cell_content(text)
    if content is None:
        return
    value, _format, quote = content
    cell.value = value
    cell.data_type = "s"  # "=..." stays text, "#N/A" is no error value
    if quote:
        cell.quotePrefix = True
