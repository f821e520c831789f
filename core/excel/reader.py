"""Reading one table out of an uploaded .xlsx file, safely and forgivingly.

Real provincial spreadsheets have title rows above the header, merged and two-row
headers, blank rows, extra columns in any order and headers spelled in many ways.
``read_table`` finds the header row, maps the columns it knows by their headers and
returns the non-blank data rows with the spreadsheet's own row numbers.

The file is checked before openpyxl sees it (size, zip structure, zip bombs), opened
with ``read_only=True, data_only=False`` (formulas come back as their text and are
never evaluated; openpyxl parses XML without expanding entities, through lxml with
entity resolution off or defusedxml) and read row by row, stopping as
soon as the row limit is passed. Every problem with the file as a whole is a
``WorkbookError`` carrying a user-facing message, never a server error.
"""

import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from django.utils import formats
from django.utils.translation import gettext
from openpyxl import load_workbook

from core.text import clean_text, fold

from .values import header_key

HEADER_SCAN_ROWS = 30
MAX_ZIP_ENTRIES = 10_000
# A member this large that expands more than this ratio is treated as a zip bomb.
BOMB_MIN_BYTES = 10 * 1024 * 1024
BOMB_MAX_RATIO = 200

_MB = 1024 * 1024
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Password-protected .xlsx files are OLE2 containers holding this stream.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Cells of a "column numbers" row under the header: 1, 2, 3 or (1), (2), or A, B.
_COLUMN_NUMBER = re.compile(r"\(?\s*(\d{1,3}|[A-Za-z])\s*\)?")


@dataclass(frozen=True)
class Column:
    """A column the caller knows, found in the file by its header."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    # A required column whose cells may be left blank (the header must be there).
    blank: bool = False


class WorkbookError(Exception):
    """The file as a whole is refused; ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    """One data row: its number as Excel shows it and the raw values by column key."""

    number: int
    values: dict[str, object]


@dataclass
class Table:
    """The table read from one sheet.

    ``header_row`` is the number of the (last) header row; ``headers`` maps each column
    found to its header as written in the file (line breaks cleaned), for messages such
    as "Row 7, column 'MST': ..."; ``positions`` maps it to its column (0 for A);
    ``rows`` holds the non-blank data rows only.
    """

    sheet_name: str
    header_row: int
    headers: dict[str, str]
    rows: list[Row]
    positions: dict[str, int] = field(default_factory=dict)


@dataclass
class _Layout:
    """Where the table's header is in a sheet and which column holds which key."""

    header_row: int
    positions: dict[str, int]
    headers: dict[str, str]


def read_table(
    source,
    columns: list[Column],
    *,
    max_bytes: int,
    max_uncompressed_bytes: int,
    max_rows: int,
    sheet: str | None = None,
) -> Table:
    """Read the table described by ``columns`` from an .xlsx file.

    ``source`` is a path, bytes or a binary file-like object (a Django UploadedFile).
    Without ``sheet``, the first sheet whose header has every required column is read,
    so an instructions sheet placed first is skipped. Raises ``WorkbookError``.
    """
    data = _read_source(source, max_bytes)
    _check_archive(data, max_uncompressed_bytes)
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception as exc:
        raise WorkbookError(_damaged()) from exc
    try:
        return _read_workbook(workbook, columns, max_rows=max_rows, sheet=sheet)
    finally:
        workbook.close()


def check_workbook(source, *, max_bytes: int, max_uncompressed_bytes: int) -> None:
    """Refuse at once a file that cannot be an .xlsx workbook (no sheet is read).

    The checks ``read_table`` runs first (size, zip structure, the parts of an
    .xlsx, unsafe part names, zip bombs), then every member is unpacked once to
    catch corrupt data and members larger than declared. For an upload form, so
    that nothing is stored from a file that would be refused anyway. Raises
    ``WorkbookError``; a file-like ``source`` is left at its start.
    """
    try:
        data = _read_source(source, max_bytes)
        _check_archive(data, max_uncompressed_bytes)
        _check_members(data)
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _check_members(data: bytes) -> None:
    """Unpack every member once, in chunks, checking its CRC.

    A member that holds more than its declared size (a zip bomb lying in its
    directory) or whose data is corrupt fails here: zipfile never inflates past
    the declared size, which ``_check_archive`` has already bounded.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bad = archive.testzip()
    except Exception as exc:  # BadZipFile, zlib.error, EOFError...: all mean "damaged"
        raise WorkbookError(_damaged()) from exc
    if bad is not None:
        raise WorkbookError(_damaged())


def _read_source(source, max_bytes: int) -> bytes:
    """The whole file in memory, refused when larger than ``max_bytes``."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > max_bytes:
            raise _too_large(len(data), max_bytes)
        return data
    if isinstance(source, str | os.PathLike):
        size = os.path.getsize(source)
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        with open(source, "rb") as handle:
            return handle.read()
    size = getattr(source, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(size, max_bytes)
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        rest = sum(len(chunk) for chunk in iter(lambda: source.read(_MB), b""))
        raise _too_large(len(data) + rest, max_bytes)
    return data


def _check_archive(data: bytes, max_uncompressed_bytes: int, required_parts=None) -> None:
    """Refuse anything that is not a plausible, reasonably sized .xlsx zip archive.

    The sizes declared in the zip directory can be trusted as upper bounds: Python's
    zipfile never inflates a member beyond its declared size (it fails the CRC check).
    """
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        if data.startswith(_OLE2_SIGNATURE):
            if _ENCRYPTED_PACKAGE in data:
                raise WorkbookError(
                    gettext(
                        "The file is password-protected; remove the password in Excel "
                        "and upload it again."
                    )
                )
            raise WorkbookError(
                gettext(
                    "This is an old .xls (Excel 97-2003) file, which is not supported; "
                    "open it in Excel and save it as .xlsx (Excel Workbook)."
                )
            )
        if _looks_like_text(data[:4096]):
            raise WorkbookError(
                gettext(
                    "The file is text (CSV, HTML or similar), not an Excel .xlsx file; "
                    "open it in Excel and save it as .xlsx (Excel Workbook)."
                )
            )
        raise WorkbookError(_not_xlsx())
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError) as exc:
        raise WorkbookError(_damaged()) from exc
    if len(members) > MAX_ZIP_ENTRIES:
        raise WorkbookError(
            gettext("The file contains too many parts (%(count)s) and is refused.")
            % {"count": formats.number_format(len(members), force_grouping=True)}
        )
    names = {member.filename for member in members}
    if not all(part in names for part in (required_parts or _REQUIRED_PARTS)):
        raise WorkbookError(_not_xlsx())
    if any(_unsafe_part_name(name) for name in names):
        raise WorkbookError(
            gettext("The file contains a part with an unsafe name (such as '../') and is refused.")
        )
    if sum(member.file_size for member in members) > max_uncompressed_bytes:
        raise WorkbookError(
            gettext("The file expands to more than %(limit)s MB when unpacked and is refused.")
            % {"limit": _megabytes(max_uncompressed_bytes)}
        )
    for member in members:
        if member.file_size > BOMB_MIN_BYTES and (
            member.file_size > BOMB_MAX_RATIO * member.compress_size
        ):
            raise WorkbookError(
                gettext("The file contains an abnormally compressed part and is refused.")
            )


def _read_workbook(workbook, columns: list[Column], *, max_rows: int, sheet: str | None) -> Table:
    """Pick the sheet, find its header and read its data rows."""
    worksheets = workbook.worksheets
    if sheet is not None:
        worksheets = [ws for ws in worksheets if ws.title == sheet] or [
            ws for ws in worksheets if fold(ws.title) == fold(sheet)
        ]
        if not worksheets:
            raise WorkbookError(
                gettext("The sheet '%(sheet)s' was not found; the file has: %(sheets)s.")
                % {"sheet": sheet, "sheets": _quoted(ws.title for ws in workbook.worksheets)}
            )
    required = [column for column in columns if column.required]
    matcher = _HeaderMatcher(columns)
    best_found: set[str] = set()
    for worksheet in worksheets:
        rows = _sheet_rows(worksheet)
        head = list(islice(rows, HEADER_SCAN_ROWS))
        layout = _find_header(head, matcher)
        found = set(layout.positions) if layout else set()
        if layout and all(column.key in found for column in required):
            following = chain(head[layout.header_row :], rows)
            return Table(
                sheet_name=worksheet.title,
                header_row=layout.header_row,
                headers=layout.headers,
                rows=_data_rows(following, layout, max_rows),
                positions=layout.positions,
            )
        if len(found) > len(best_found):
            best_found = found
    missing = [column.header for column in required if column.key not in best_found]
    raise WorkbookError(
        gettext(
            "No header row with the required columns %(missing)s was found "
            "(sheets looked at: %(sheets)s)."
        )
        % {"missing": _quoted(missing), "sheets": _quoted(ws.title for ws in worksheets)}
    )


def _sheet_rows(worksheet) -> Iterator[tuple[int, tuple]]:
    """Yield ``(row number, cell values)`` for every row, blank rows included.

    The dimensions stored in the file are ignored: they are often wrong, and a hostile
    file could declare a huge range.
    """
    worksheet.reset_dimensions()
    cells = worksheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(cells)
        except StopIteration:
            return
        except Exception as exc:
            raise WorkbookError(_damaged()) from exc
        number += 1
        yield number, values


class _HeaderMatcher:
    """Maps header cell text to column keys through ``header_key``."""

    def __init__(self, columns: list[Column]):
        self._keys: dict[str, str] = {}
        for column in columns:
            for text in (column.header, *column.aliases):
                if folded := header_key(text):
                    self._keys.setdefault(folded, column.key)

    def match(self, value) -> str | None:
        if _is_blank(value):
            return None
        return self._keys.get(header_key(str(value)))


def _find_header(head: list[tuple[int, tuple]], matcher: _HeaderMatcher) -> _Layout | None:
    """The header among the first rows: the row (plus its continuation) matching most columns.

    Ties go to the upper row. Returns None when no row matches any column.
    """
    best: _Layout | None = None
    for index, (number, cells) in enumerate(head):
        matched = _match_row(cells, matcher)
        if not matched:
            continue
        header_row = number
        below = head[index + 1] if index + 1 < len(head) else None
        if below is not None:
            more = _match_continuation(cells, below[1], matched, matcher)
            if more:
                matched |= more
                header_row = below[0]
        if best is None or len(matched) > len(best.positions):
            best = _Layout(
                header_row=header_row,
                positions={key: position for key, (position, _) in matched.items()},
                headers={key: text for key, (_, text) in matched.items()},
            )
    return best


def _match_row(cells: tuple, matcher: _HeaderMatcher) -> dict[str, tuple[int, str]]:
    """Column key -> (position, header text) for one row; the leftmost duplicate wins."""
    matched: dict[str, tuple[int, str]] = {}
    for position, value in enumerate(cells):
        key = matcher.match(value)
        if key is not None and key not in matched:
            matched[key] = (position, clean_text(value))
    return matched


def _match_continuation(
    top: tuple, below: tuple, matched: dict[str, tuple[int, str]], matcher: _HeaderMatcher
) -> dict[str, tuple[int, str]]:
    """The further columns named by the row under a header row (a two-row header).

    Under a merged group cell such as "Lao động", sub-headers such as "Tổng số" are
    matched as "Lao động Tổng số" first, then on their own. The row only counts as a
    header row if it adds columns and has nothing but header text under the columns
    already matched (vertically merged cells leave those blank); otherwise it is data.
    """
    taken = {position for position, _ in matched.values()}
    found: dict[str, tuple[int, str]] = {}
    for position, value in enumerate(below):
        if _is_blank(value):
            continue
        group = _group_above(top, position)
        key = None
        text = clean_text(value)
        if group:
            key = matcher.match(f"{group} {text}")
        if key is not None:
            text = f"{group} - {text}"
        else:
            key = matcher.match(value)
        if position in taken:
            if key is None:
                return {}
            continue
        if key is not None and key not in matched and key not in found:
            found[key] = (position, text)
    return found


def _group_above(top: tuple, position: int) -> str:
    """The text of the nearest non-blank cell at or left of ``position`` in the row above.

    In read-only mode a merged cell's value is only in its top-left cell.
    """
    for value in reversed(top[: position + 1]):
        if not _is_blank(value):
            return clean_text(value)
    return ""


def _data_rows(rows, layout: _Layout, max_rows: int) -> list[Row]:
    """The non-blank data rows after the header; raises when there are more than ``max_rows``.

    The first non-blank row may number the columns (see ``_is_column_numbers``): it is skipped.
    """
    result: list[Row] = []
    numbering_possible = True
    for number, cells in rows:
        if numbering_possible and not all(_is_blank(value) for value in cells):
            numbering_possible = False
            if _is_column_numbers(cells):
                continue
        values = {key: _cell_value(cells, position) for key, position in layout.positions.items()}
        if all(value is None for value in values.values()):
            continue
        if len(result) >= max_rows:
            raise WorkbookError(
                gettext("The file has more than %(limit)s data rows; split it into several files.")
                % {"limit": formats.number_format(max_rows, force_grouping=True)}
            )
        result.append(Row(number=number, values=values))
    return result


def _cell_value(cells: tuple, position: int):
    value = cells[position] if position < len(cells) else None
    return None if _is_blank(value) else value


def _is_column_numbers(cells: tuple) -> bool:
    """Whether a row numbers the columns, as party forms do: 1, 2, 3... or (1), (2)...

    Letters such as (A), (B) may precede the numbers, which must run up by one.
    """
    values = [value for value in cells if not _is_blank(value)]
    numbers = []
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value != int(value):
                return False
            numbers.append(int(value))
            continue
        match = _COLUMN_NUMBER.fullmatch(str(value).strip())
        if not match:
            return False
        if match.group(1).isdigit():
            numbers.append(int(match.group(1)))
    return len(numbers) >= 2 and all(
        b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False)
    )


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unsafe_part_name(name: str) -> bool:
    """Whether a zip member name climbs out of the archive or is absolute.

    Excel never writes such names; a file that has them was made to attack
    whatever unpacks it.
    """
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or ".." in parts
        or ":" in parts[0]
        or any(ord(ch) < 32 for ch in name)
    )


def _looks_like_text(head: bytes) -> bool:
    """Whether the start of a file is readable text (CSV, HTML, TSV...)."""
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end inside a multi-byte character.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text.lstrip("\ufeff"))


def _megabytes(size: int) -> str:
    """A size in MB as the user reads it: "10", "10,5" in Vietnamese."""
    value = size / _MB
    return formats.number_format(value, 0 if value == int(value) else 1)


def _quoted(names) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _too_large(size: int, limit: int) -> WorkbookError:
    return WorkbookError(
        gettext("The file is too large (%(size)s MB; the limit is %(limit)s MB).")
        % {"size": _megabytes(size), "limit": _megabytes(limit)}
    )


def _damaged() -> str:
    return gettext("The file is damaged or is not a readable .xlsx file.")


def _not_xlsx() -> str:
    return gettext("The file is not an Excel .xlsx file.")


# Vietnamese translations of the messages above, for locale/vi/LC_MESSAGES/django.po.
VI_MESSAGES = {
    "The file is password-protected; remove the password in Excel and upload it again.": (
        "Tệp được đặt mật khẩu; hãy gỡ mật khẩu trong Excel rồi tải lên lại."
    ),
    "This is an old .xls (Excel 97-2003) file, which is not supported; "
    "open it in Excel and save it as .xlsx (Excel Workbook).": (
        "Tệp có định dạng .xls cũ (Excel 97-2003) không được hỗ trợ; "
        "hãy mở bằng Excel và lưu lại dưới dạng .xlsx (Excel Workbook)."
    ),
    "The file is text (CSV, HTML or similar), not an Excel .xlsx file; "
    "open it in Excel and save it as .xlsx (Excel Workbook).": (
        "Tệp là văn bản (CSV, HTML hoặc tương tự), không phải tệp Excel .xlsx; "
        "hãy mở bằng Excel và lưu lại dưới dạng .xlsx (Excel Workbook)."
    ),
    "The file contains too many parts (%(count)s) and is refused.": (
        "Tệp chứa quá nhiều thành phần (%(count)s) nên bị từ chối."
    ),
    "The file expands to more than %(limit)s MB when unpacked and is refused.": (
        "Tệp khi giải nén vượt quá %(limit)s MB nên bị từ chối."
    ),
    "The file contains a part with an unsafe name (such as '../') and is refused.": (
        "Tệp chứa thành phần có tên không an toàn (như '../') nên bị từ chối."
    ),
    "The file contains an abnormally compressed part and is refused.": (
        "Tệp chứa thành phần nén bất thường nên bị từ chối."
    ),
    "The sheet '%(sheet)s' was not found; the file has: %(sheets)s.": (
        "Không tìm thấy trang tính '%(sheet)s'; tệp có: %(sheets)s."
    ),
    "No header row with the required columns %(missing)s was found "
    "(sheets looked at: %(sheets)s).": (
        "Không tìm thấy dòng tiêu đề có các cột bắt buộc %(missing)s "
        "(các trang tính đã xem: %(sheets)s)."
    ),
    "The file has more than %(limit)s data rows; split it into several files.": (
        "Tệp có hơn %(limit)s dòng dữ liệu; hãy chia thành nhiều tệp."
    ),
    "The file is too large (%(size)s MB; the limit is %(limit)s MB).": (
        "Tệp quá lớn (%(size)s MB; giới hạn là %(limit)s MB)."
    ),
    "The file is damaged or is not a readable .xlsx file.": (
        "Tệp bị hỏng hoặc không phải là tệp .xlsx đọc được."
    ),
    "The file is not an Excel .xlsx file.": "Tệp không phải là tệp Excel .xlsx.",
}
