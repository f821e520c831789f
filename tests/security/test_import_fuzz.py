"""Random hostile workbooks through every importer, the way the command runs them.

Each kind of ``core.registry.importers()`` gets workbooks made from its real
headers (and their aliases) mixed with junk headers, in any order, with title
rows, merged cells, and cells holding formulas, huge numbers, odd dates, control
characters, emoji, NFD text, SQL and HTML. The rows start from a real export of
existing data, so some files are accepted. Whatever the file:

- ``manage.py import_workbook`` never fails with an unhandled exception;
- it either succeeds, or prints row errors as ``Dòng N, cột '<header>': ...``
  (``Dòng N: ...`` when no single column is at fault), or one message about the
  file as a whole;
- when it refuses the file (or runs with --dry-run) no table changes at all.
"""

import io
import os
import re
import unicodedata
from datetime import date, datetime

import openpyxl
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.registry import exporters, importers
from core.text import clean_text
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory, ZoneFactory

from .conftest import XSS

pytestmark = pytest.mark.django_db

KINDS = sorted(importers())
ROW_ERROR = re.compile(r"^Dòng (\d+)(?:, cột '(.*?)')?: (.+)$", re.S)
SUMMARY = re.compile(r"^created=(\d+) updated=(\d+) unchanged=(\d+)$", re.M)
# A deeper hunt: IMPORT_FUZZ_EXAMPLES=1000 (then the examples are random, not fixed).
_EXAMPLES = int(os.environ.get("IMPORT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=_EXAMPLES, deadline=None, derandomize=_EXAMPLES == 60,
                database=None, suppress_health_check=list(HealthCheck))

SPECIAL_TEXT = [
    "=1+2", '=HYPERLINK("http://example.invalid","x")', "=cmd|' /C calc'!A0", "@SUM(A1:A2)",
    "+84 912 345 678", "-1", "#N/A", "#REF!", XSS, "'; DROP TABLE enterprises_enterprise; --",
    "%' OR 1=1 --", "👩‍👩‍👧 Công ty 🏭", unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết"),
    unicodedata.normalize("NFD", "Khu công nghiệp Hòa Xá"), "\u202eRTL\u202c", "\u200b", "   ",
    "x" * 400, "1.234.567,89", "1e308", "NaN", "31/02/2024", "00/00/0000", "2024-13-45",
    "Có", "Không", "x", "0100233488", "0100233488-001", "036090000001", "TRUE", "\t\n\r",
    "Dòng 2, cột 'X': giả mạo", "None", "null", "∞", "١٢٣", "１２３",
]


def cell_values():
    return st.one_of(
        st.none(),
        st.sampled_from(SPECIAL_TEXT),
        st.text(max_size=30),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.dates(min_value=date(1800, 1, 1), max_value=date(9999, 12, 31)),
        st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(9999, 12, 31)),
        st.times(),
    )


def writable(value):
    """The value as a cell can hold it: control characters as Excel escapes them."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04x}_", value)
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


@pytest.fixture
def baseline(db):
    """Existing data and, per kind, the header and rows of its export (valid rows)."""
    zone = ZoneFactory(code="AAA", name="Khu công nghiệp An Bình")
    ZoneFactory(code="BBB", name="Khu công nghiệp Bình Đông")
    for n in range(2):
        enterprise = EnterpriseFactory(zone=zone)
        organization = PartyOrganizationFactory(enterprise=enterprise)
        make_member(enterprise=enterprise, party_organization=organization)
        make_candidate(enterprise=enterprise, responsible_organization=organization,
                       identified_on=date(2025, 1, 10 + n))
    exported = {}
    for kind, (export, queryset) in exporters().items():
        buffer = io.BytesIO()
        export(queryset(), buffer)
        rows = list(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
                    .iter_rows(values_only=True))
        exported[kind] = (list(rows[0]), [list(row) for row in rows[1:]])
    return exported


def table_counts() -> dict[str, int]:
    """The row count of every table of every model, in one query."""
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)})
    sql = " UNION ALL ".join(
        f"SELECT %s, COUNT(*) FROM {connection.ops.quote_name(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


@st.composite
def workbooks(draw, kind, exported):
    header, rows = exported[kind]
    columns = importers()[kind].columns
    spellings = {column.header: [column.header, *column.aliases] for column in columns}
    chosen = []
    for text in header:
        if draw(st.integers(0, 9)) < 8:  # most real columns, sometimes spelled otherwise
            spelled = draw(st.sampled_from(spellings.get(text, [text])))
            if draw(st.booleans()):
                spelled = draw(st.sampled_from([spelled.upper(), f"{spelled} (*)", f" {spelled}:",
                                                spelled.replace(" ", "\n"), spelled]))
            chosen.append((text, spelled))
    for _ in range(draw(st.integers(0, 3))):
        junk = draw(st.one_of(st.sampled_from(["STT", "Ghi chú", "", None, "Mã số thuế",
                                               "Họ và tên", "=A1"]), st.text(max_size=12)))
        chosen.append((None, junk))
    order = draw(st.permutations(range(len(chosen))))
    chosen = [chosen[i] for i in order]

    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(draw(st.integers(0, 2))):
        sheet.append([writable(draw(cell_values())) for _ in range(draw(st.integers(0, 3)))])
    sheet.append([writable(spelled) for _, spelled in chosen])
    header_row = sheet.max_row
    source_index = {text: i for i, text in enumerate(header)}
    for _ in range(draw(st.integers(0, 4))):
        base = draw(st.sampled_from(rows)) if rows and draw(st.booleans()) else [None] * len(header)
        values = []
        for text, _spelled in chosen:
            value = base[source_index[text]] if text in source_index else None
            if draw(st.integers(0, 9)) < 3:
                value = draw(cell_values())
            values.append(writable(value))
        sheet.append(values)
    last = max(sheet.max_row, header_row)
    width = max(len(chosen), 1)
    for _ in range(draw(st.integers(0, 2))):
        top = draw(st.integers(1, last))
        left = draw(st.integers(1, width))
        bottom = draw(st.integers(top, min(top + 2, last)))
        right = draw(st.integers(left, min(left + 2, width)))
        if (top, left) != (bottom, right):
            sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), [clean_text(s) for _, s in chosen if isinstance(s, str)], last


def run_command(kind, path, dry_run):
    out, err = io.StringIO(), io.StringIO()
    args = ["import_workbook", "--kind", kind, "--as-of", "30/06/2026", str(path)]
    if dry_run:
        args.append("--dry-run")
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def check_errors(lines, headers, last_row, columns):
    """Row errors only, each naming a data row and a header of the file; or one file error."""
    known = {clean_text(c.header) for c in columns} | set(headers)
    row_errors = [ROW_ERROR.match(line) for line in lines]
    if len(lines) == 1 and row_errors[0] is None:
        assert "Traceback" not in lines[0] and "Error" not in lines[0], lines[0]
        return
    for line, match in zip(lines, row_errors, strict=True):
        assert match, f"not a row error: {line!r}"
        assert 1 < int(match.group(1)) <= last_row, line
        if match.group(2) is not None:
            column = match.group(2)
            assert column in known or any(column.endswith(f" - {h}") for h in known) \
                or any(h in column for h in headers if h), line


@pytest.mark.parametrize("kind", KINDS)
def test_random_workbooks_never_crash_nor_write_half(kind, baseline, tmp_path):
    assert kind in baseline, f"no export for {kind}: add one or a baseline for it"
    columns = importers()[kind].columns
    outcomes = {"ok": 0, "rows": 0, "file": 0}

    @FUZZ
    @given(book=workbooks(kind, baseline), dry_run=st.booleans())
    def check(book, dry_run):
        data, headers, last_row = book
        path = tmp_path / "fuzz.xlsx"
        path.write_bytes(data)
        before = table_counts()
        code, out, err = run_command(kind, path, dry_run)
        after = table_counts()
        lines = [line for line in err.splitlines() if line.strip()]
        if code == 0:
            outcomes["ok"] += 1
            assert not lines, err
            summary = SUMMARY.search(out)
            assert summary, out
            if dry_run:
                assert after == before
            else:
                assert all(after[t] >= before[t] for t in before), "a row was deleted"
            return
        assert code == 1
        assert after == before, "a refused file changed the database"
        assert lines and re.fullmatch(r"Không ghi gì: \d+ lỗi\.", lines[-1]), err
        check_errors(lines[:-1], headers, last_row, columns)
        is_row_error = ROW_ERROR.match(lines[0])
        outcomes["rows" if is_row_error else "file"] += 1

    check()
    # The generator reaches every outcome, so each branch above is exercised.
    assert outcomes["ok"] and outcomes["rows"] and outcomes["file"], outcomes


@pytest.mark.parametrize("poison", ["\x00", "\x01", "&#0;", "&#x1b;", "\ufffe"])
def test_control_characters_inside_the_sheet_xml_are_refused_plainly(baseline, tmp_path, poison):
    """Excel escapes control characters as _xHHHH_; raw ones make the XML invalid:
    the whole file is refused with one plain message, never a server error."""
    import zipfile

    header, rows = baseline["enterprises"]
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append([*rows[0][:-1], "MARKER"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    poisoned = io.BytesIO()
    with zipfile.ZipFile(poisoned, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(info.filename, content.replace(b"MARKER", f"A{poison}B".encode()))
    path = tmp_path / "poison.xlsx"
    path.write_bytes(poisoned.getvalue())
    before = table_counts()
    code, _out, err = run_command("enterprises", path, dry_run=False)
    assert table_counts() == before
    with translation.override("vi"):
        damaged = translation.gettext("The file is damaged or is not a readable .xlsx file.")
    assert code == 1
    assert [line for line in err.splitlines() if line.strip()][0] == damaged
