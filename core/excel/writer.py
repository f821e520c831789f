"""Streaming .xlsx writer that never lets text become a formula, and import templates.

Rows go straight to openpyxl's write-only worksheets, so memory stays flat however
many rows an export has. Every piece of text is written as a string cell: characters
illegal in XML are dropped, and text starting like a formula ("=", "+", "-", "@"...)
is stored as plain text with Excel's quote prefix, so opening an export can never run
a formula a user typed into the application (CSV/formula injection).
"""

import contextlib
import functools
import io
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from lxml.etree import xmlfile
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel, to_ISO8601
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import SHEET_MAIN_NS

from .reader import Column

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
# Literal Vietnamese: these belong to the file format the reader reads back.
YES = "Có"
DATA_SHEET_TITLE = "Dữ liệu"
INSTRUCTIONS_SHEET_TITLE = "Hướng dẫn"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
TIME_FORMAT = "hh:mm"

_MAX_TEXT_LENGTH = 32767
_MAX_TITLE_LENGTH = 31
_INVALID_TITLE_CHARS = re.compile(r"[\\/*?:\[\]]")
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_ALIGNMENT = Alignment(wrap_text=True, horizontal="center", vertical="center")


def text_cell(worksheet, value: str) -> Cell | None:
    """A string cell that can never be a formula; None when nothing is left of ``value``.

    Characters illegal in XML (NUL included) are dropped. Text that started with a
    formula trigger also gets Excel's quote prefix, so editing the cell in Excel does
    not turn it into a formula either.
    """
    content = _text_content(value)
    if content is None:
        return None
    cleaned, _format, quote = content
    cell = string_cell(worksheet, cleaned)
    if quote:
        cell.quotePrefix = True
    return cell


def string_cell(worksheet, text: str) -> Cell:
    """A cell holding ``text`` as a string whatever it looks like (``text`` comes
    from :func:`cell_content`): openpyxl would make "=..." a formula and "#N/A"
    an error value."""
    cell = WriteOnlyCell(worksheet, text)
    cell.data_type = "s"
    return cell


def cell_content(value) -> tuple[object, str | None, bool] | None:
    """How a value is written: ``(value, number format, quote prefix)``, or None
    for an empty cell.

    Text (anything not a number or a date) is cleaned of characters illegal in
    XML and must be written as a string (:func:`string_cell`), with the quote
    prefix when it starts like a formula; numbers stay numbers; dates, datetimes
    (in local time) and times get dd/mm/yyyy formats; True is "Có", False and
    None an empty cell.
    """
    if type(value) is str:  # the most frequent, tested first
        return _text_content(value)
    if value is None or value is False:
        return None
    if value is True:
        return YES, None, False
    if isinstance(value, int | float | Decimal):
        return value, None, False
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value, DATETIME_FORMAT, False
    if isinstance(value, date):
        return value, DATE_FORMAT, False
    if isinstance(value, time):
        return value, TIME_FORMAT, False
    return _text_content(str(value))


def _text_content(value: str) -> tuple[str, None, bool] | None:
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_TEXT_LENGTH]
    if not cleaned:
        return None
    return cleaned, None, value.startswith(FORMULA_TRIGGERS) or cleaned.startswith(FORMULA_TRIGGERS)


class PreparedRow(list):
    """A row of ``(value, data type, style id)`` items to append to a
    streaming sheet, one per column from the first: the value as
    :func:`cell_content` gives it (None: an empty cell that only shows its
    style), its openpyxl data type (``"s"`` text, ``"n"`` a number or empty,
    ``"d"`` a date, datetime or time) and the index of its style in the
    workbook (:func:`register_style`; 0, no style). See :func:`prepared_item`.
    The sheet writes it with no cell object (:class:`_RowWriter`).
    """

    __slots__ = ()


def prepared_item(content: tuple[object, str | None, bool] | None,
                  style_id: int) -> tuple[object, str, int]:
    """The :class:`PreparedRow` item of what :func:`cell_content` returned."""
    if content is None:
        return None, "n", style_id
    value = content[0]
    if isinstance(value, str):
        return value, "s", style_id
    return value, "d" if isinstance(value, date | time) else "n", style_id


def register_style(worksheet, style: StyleArray) -> int:
    """The index of ``style`` among the workbook's cell styles (added when new):
    what openpyxl looks up for every styled cell it writes."""
    return worksheet.parent._cell_styles.add(style)


class _RowWriter(WorksheetWriter):
    """openpyxl's worksheet writer, writing a :class:`PreparedRow` itself: the
    row's XML is built as one string and written to the sheet's file as it is,
    the same bytes that openpyxl's ``write_row`` and ``write_cell`` write cell
    by cell through lxml from cell objects (tests/core/test_excel_writer.py
    compares the two byte for byte: ASCII with character references, empty
    elements as ``<c ...></c>``). Building three lxml elements per cell, as
    openpyxl does, was most of a large report's writing time."""

    def get_stream(self):
        """openpyxl's stream of the sheet's XML, on a file this writer holds
        (openpyxl gives lxml the file's name), so that :meth:`write_row` can
        write to it between lxml's writes, once lxml has flushed its own."""
        with contextlib.ExitStack() as stack:
            self._handle = (stack.enter_context(open(self.out, "wb"))
                            if isinstance(self.out, str) else self.out)
            xf = stack.enter_context(xmlfile(self._handle))
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        element = (yield)
                        if element is True:
                            yield xf
                        elif element is not None:
                            xf.write(element)
                except GeneratorExit:
                    pass

    def write_row(self, xf, row, row_idx):
        if type(row) is not PreparedRow:
            return WorksheetWriter.write_row(self, xf, row, row_idx)
        number = f"{row_idx}"
        workbook = self.ws.parent
        parts = [f'<row r="{number}"']
        for key, value in self.ws.row_dimensions.get(row_idx, {}):
            parts.append(f' {key}="{value.translate(_ATTRIBUTE_ESCAPES)}"')
        parts.append(">")
        for letter, (value, data_type, style_id) in zip(_letters(len(row)), row, strict=True):
            if style_id:
                parts.append(f'<c r="{letter}{number}" s="{style_id}"')
            elif value is None:
                continue  # openpyxl leaves out an empty cell without a style
            else:
                parts.append(f'<c r="{letter}{number}"')
            if data_type == "s":
                kind = "inlineStr"
            elif data_type == "d" and value is not None:
                if workbook.iso_dates and not isinstance(value, timedelta):
                    kind, value = "d", to_ISO8601(value)
                else:
                    kind, value = "n", to_excel(value, workbook.epoch)
            else:
                kind = data_type
            if value is None or value == "":
                parts.append(f' t="{kind}"></c>')
            elif data_type == "s":
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(f' t="{kind}"><is><t{space}>{_escaped(value)}</t></is></c>')
            else:
                parts.append(f' t="{kind}"><v>{_escaped(safe_string(value))}</v></c>')
        parts.append("</row>")
        xf.flush()
        self._handle.write("".join(parts).encode("ascii", "xmlcharrefreplace"))


# What lxml writes for these characters in text and in attribute values.
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_NEEDS_ESCAPE = re.compile("[&<>\r]")


def _escaped(text: str) -> str:
    """``text`` as lxml writes it in an element (most text needs nothing)."""
    return text.translate(_TEXT_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                    "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


@functools.cache
def _letters(width: int) -> tuple[str, ...]:
    """The letters of the columns 1..``width``."""
    return tuple(get_column_letter(index) for index in range(1, width + 1))


class _StreamingSheet(WriteOnlyWorksheet):
    """openpyxl's write-only worksheet, taking styled cells without a detour.

    openpyxl binds every appended item as a cell *value* first and accepts a
    cell only once that fails with a ValueError (whose message formats the
    cell's repr), then allocates a fresh cell for the next item because the
    previous one had a style. For exports and reports whose every cell is
    styled, that detour cost a third of the writing time. This version yields
    a given cell as it is and binds plain values into one reused cell, as
    openpyxl does. (``_values_to_row`` is openpyxl 3.1's hook for this, called
    by ``append`` only; tests/core/test_excel_writer.py reads styled and plain
    cells back.)

    A :class:`PreparedRow` goes further: its values are already cleaned and
    typed and its styles registered, so it is written as it is, without a cell
    object (:class:`_RowWriter`): for a large report, allocating a cell per
    value, binding each value again and looking each cell's style up cost more
    than writing the XML.
    """

    def _get_writer(self):
        if self._writer is None:
            self._writer = _RowWriter(self)
            self._writer.write_top()

    def _values_to_row(self, values, row_idx):
        if type(values) is PreparedRow:
            return values
        return self._given_cells(values, row_idx)

    def _given_cells(self, values, row_idx):
        plain = WriteOnlyCell(self)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                plain.value = value
                cell = plain
            cell.column = col_idx
            cell.row = row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell
            if cell is plain and (plain.has_style or plain.hyperlink):
                plain = WriteOnlyCell(self)


def _create_sheet(workbook: Workbook, title: str) -> _StreamingSheet:
    """A new :class:`_StreamingSheet` after the workbook's sheets."""
    sheet = _StreamingSheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)
    return sheet


class SheetWriter:
    """One write-only worksheet: optional title rows, a header row, then data rows.

    Call ``print_setup`` and ``title_rows`` before ``header``, and ``header`` before
    ``row``: openpyxl writes the sheet's views (frozen panes) and properties with the
    first row. Title rows are kept until the header is written, data rows never are.
    """

    def __init__(self, workbook_writer, title, columns: list[tuple[str, float]] | None = None):
        """``columns`` gives each column's header label and width."""
        self._ws = _create_sheet(workbook_writer.workbook, _sheet_title(title))
        self._labels = [label for label, _ in columns or ()]
        for index, (_, width) in enumerate(columns or (), start=1):
            self._ws.column_dimensions[get_column_letter(index)].width = width
        self._title_rows: list[list] = []
        self._started = False
        self._row_count = 0
        self._header_row: int | None = None
        self._header_width = 0
        self._row_style_ids: dict[tuple[str | None, str | None, bool], int] = {}

    def print_setup(self, *, landscape: bool = True) -> None:
        """Print on A4, fitted to the page width, in landscape (or portrait)."""
        self._ensure_not_started("print_setup")
        setup = self._ws.page_setup
        setup.paperSize = Worksheet.PAPERSIZE_A4
        setup.orientation = "landscape" if landscape else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        setup.fitToPage = True

    def title_rows(self, rows: list[list]) -> None:
        """Rows above the header (a document header, a title), written as text."""
        self._ensure_not_started("title_rows")
        for values in rows:
            self._title_rows.append(
                [
                    None if value is None else text_cell(self._ws, _as_text(value))
                    for value in values
                ]
            )

    def header(self, labels=None, *, required=(), frozen: bool = True) -> None:
        """The header row: bold, wrapped, bordered; the labels given to ``__init__`` by default.

        ``required`` flags, column by column, the headers shown in red. With ``frozen``
        (the default) the panes are frozen below the header and the header is repeated
        on every printed page. An autofilter covers the header and the data rows.
        """
        self._ensure_not_started("header")
        labels = list(self._labels if labels is None else labels)
        self._header_row = len(self._title_rows) + 1
        self._header_width = len(labels)
        if frozen:
            self._ws.freeze_panes = f"A{self._header_row + 1}"
            self._ws.print_title_rows = f"{self._header_row}:{self._header_row}"
        flags = list(required)
        cells = []
        for index, label in enumerate(labels):
            cell = text_cell(self._ws, _as_text(label)) or WriteOnlyCell(self._ws)
            cell.font = _REQUIRED_FONT if index < len(flags) and flags[index] else _HEADER_FONT
            cell.alignment = HEADER_ALIGNMENT
            cell.border = BORDER
            cells.append(cell)
        self._append(cells)

    def row(self, values) -> None:
        """One data row, each value as :func:`cell_content` says: text as text
        (with the quote prefix when it starts like a formula), numbers as
        numbers, dates in their formats, None and False as empty cells."""
        self._append(self._prepared(values))

    def _prepared(self, values, kind: str | None = None) -> PreparedRow:
        """``values`` as a :class:`PreparedRow` (no cell object per value),
        each cell with the style of its (``kind``, number format, quote
        prefix), made by :meth:`_row_style` and registered once per sheet."""
        items = PreparedRow()
        style_ids = self._row_style_ids
        for value in values:
            content = cell_content(value)
            key = (kind, None, False) if content is None else (kind, *content[1:])
            style_id = style_ids.get(key)
            if style_id is None:
                style_id = style_ids[key] = register_style(self._ws, self._row_style(*key))
            items.append(prepared_item(content, style_id))
        return items

    def _row_style(self, kind: str | None, number_format: str | None,
                   quote: bool) -> StyleArray:
        """The style of a data cell: its kind's (:meth:`_row_template`), with
        its number format and the quote prefix when it has them."""
        template = self._row_template(kind)
        if number_format:
            template.number_format = number_format
        if quote:
            template.quotePrefix = True
        return template._style or StyleArray()  # None: a cell nothing was set on

    def _row_template(self, kind: str | None) -> WriteOnlyCell:
        """A cell styled as a data cell of ``kind`` (here: no style; a
        subclass with kinds of rows gives each its font and borders)."""
        return WriteOnlyCell(self._ws)

    def _append(self, cells: list) -> None:
        if not self._started:
            self._flush_title_rows()
        self._ws.append(cells)
        self._row_count += 1

    def _flush_title_rows(self) -> None:
        self._started = True
        for cells in self._title_rows:
            self._ws.append(cells)
            self._row_count += 1
        self._title_rows = []

    def _finish(self) -> None:
        """Write what is still pending and set the autofilter over the rows written."""
        if not self._started:
            self._flush_title_rows()
        if self._header_row is not None and self._header_width:
            last_column = get_column_letter(self._header_width)
            self._ws.auto_filter.ref = f"A{self._header_row}:{last_column}{self._row_count}"

    def _ensure_not_started(self, method: str) -> None:
        if self._started:
            raise RuntimeError(f"SheetWriter.{method}() must be called before any row is written.")


class WorkbookWriter:
    """A write-only workbook made of ``SheetWriter`` sheets."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self._sheets: list[SheetWriter] = []

    def sheet(self, title, columns: list[tuple[str, float]] | None = None) -> SheetWriter:
        """A new sheet, after the existing ones."""
        sheet = SheetWriter(self, title, columns)
        self._sheets.append(sheet)
        return sheet

    def save(self, target) -> None:
        """Write the workbook to a path or a binary file-like object (once)."""
        for sheet in self._sheets:
            sheet._finish()
        self.workbook.save(target)


def template_workbook(
    columns: list[Column],
    *,
    title: str,
    instructions: list[str],
    allowed_values: dict[str, list[str]],
    example_rows: list[list] = (),
) -> bytes:
    """An import template: the "Dữ liệu" sheet to fill in, then the "Hướng dẫn" sheet.

    The data sheet comes first so that ``read_table`` picks it; its required headers
    are red. The instructions sheet lists the instructions, then every column with
    whether it is required and its allowed values.
    """
    writer = WorkbookWriter()
    writer.workbook.properties.title = title
    data = writer.sheet(
        DATA_SHEET_TITLE,
        [(column.header, _template_width(column)) for column in columns],
    )
    data.header(required=[column.required for column in columns])
    for values in example_rows:
        data.row(values)

    guide = writer.sheet(
        INSTRUCTIONS_SHEET_TITLE,
        [(gettext("Column"), 35), (gettext("Required"), 12), (gettext("Allowed values"), 70)],
    )
    guide.title_rows([[title], *([line] for line in instructions), []])
    guide.header(frozen=False)
    for column in columns:
        guide.row(
            [
                column.header,
                (gettext("yes, may be blank") if column.blank else gettext("yes"))
                if column.required else gettext("no"),
                "; ".join(allowed_values.get(column.key, ())),
            ]
        )
    buffer = io.BytesIO()
    writer.save(buffer)
    return buffer.getvalue()


def _as_text(value) -> str:
    """Title and header values as text; dates as dd/mm/yyyy."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _sheet_title(title) -> str:
    """A sheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    cleaned = _INVALID_TITLE_CHARS.sub("-", ILLEGAL_CHARACTERS_RE.sub("", str(title)))
    return cleaned.strip("' ")[:_MAX_TITLE_LENGTH] or "Sheet"


def _template_width(column: Column) -> float:
    """A column width that fits the header (long headers wrap)."""
    return max(14, min(40, len(column.header) + 4))


# Vietnamese translations of the messages above, for locale/vi/LC_MESSAGES/django.po.
VI_MESSAGES = {
    "Column": "Cột",
    "Required": "Bắt buộc",
    "Allowed values": "Giá trị cho phép",
    "yes": "có",
    "yes, may be blank": "có, ô có thể để trống",
    "no": "không",
}
