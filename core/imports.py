"""The import engine shared by every workbook import (DESIGN §4).

An importer reads a table with ``core.excel.reader``, turns each row into
service calls, and reports each row as new / updated / unchanged / error.
All-or-nothing: the whole run happens in one transaction, which is rolled
back when any row fails or when it is a dry run (the preview).

Most files are valid, so a run first goes the quick way: no savepoint per
row, and an importer that ``supports_bulk`` validates its new rows in Python
and writes them in batches at the end (``finish``). The first error ends that
pass (everything it wrote is rolled back) and the file is run again the
careful way, each row in a savepoint, so every row's errors are collected
exactly as before; should the batched write itself be refused (a rule only
the database knows, or a concurrent change), the careful pass also writes
each row on its own, so the refusal is reported on its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from .excel.reader import Column, Row, Table, WorkbookError, read_table
from .services import (
    OUT_OF_SCOPE_MESSAGE,
    TOO_MANY_REFUSALS,
    out_of_scope_refused,
    refusals_exceeded,
)

NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"


class RowError(Exception):
    """A value of a row is refused; ``key`` names its column (or None)."""

    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


class RowErrors(Exception):
    """Several refused values of one row."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass
class RowResult:
    number: int
    status: str = UNCHANGED
    label: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Each error as (column key or None, message), for the annotated copy of the file.
    problems: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    file_error: str = ""
    # Where the rows were read: the sheet, its header row, each column's position.
    sheet_name: str = ""
    header_row: int = 0
    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def created(self) -> int:
        return self.count(NEW)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def ok(self) -> bool:
        return not self.file_error and not any(r.errors for r in self.rows)

    @property
    def errors(self) -> list[str]:
        if self.file_error:
            return [self.file_error]
        return [e for r in self.rows for e in r.errors]

    @property
    def summary(self) -> str:
        return f"created={self.created} updated={self.updated} unchanged={self.unchanged}"


class _Retry(Exception):
    """Ends a quick pass; ``write`` when the batched write was refused."""

    def __init__(self, *, write: bool = False):
        super().__init__()
        self.write = write


class Importer:
    """Base class: subclasses set ``kind``, ``columns`` and ``import_row``."""

    kind: str = ""
    label: str = ""
    columns: list[Column] = []
    # Who may run it from the web (services still check every row).
    perm = None
    # {column key: [allowed values]} for the template's instructions sheet.
    choices: dict[str, list] = {}
    instructions: list[str] = []
    # The list page the import feeds (for the breadcrumb).
    list_url_name: str = ""
    # The model label of the people a file of this kind names (members,
    # candidates): its preview and its errors workbook are in the access log.
    personal_record_type: str = ""
    # ValidationError field names that belong to another column key.
    field_columns: dict[str, str] = {}
    # Whether import_row may leave new rows to ``finish`` when ``self.bulk``.
    supports_bulk = False
    # What the date the run is made as of (``--as-of``) means for this kind, for
    # the web form that asks for it (a kind with workforce figures asks anyway).
    as_of_label: str = ""
    as_of_help: str = ""

    def __init__(self, *, actor=None, as_of: date | None = None):
        self.actor = actor
        self.as_of = as_of or date.today()
        # Rows refused because of a record outside the account's scope: logged
        # once the run's transaction is over (ids only).
        self.refused: list[tuple[int, str]] = []
        self.table: Table | None = None
        self.bulk = False

    @classmethod
    def template_bytes(cls) -> bytes:
        """The downloadable template: the columns, instructions and allowed values."""
        from .excel.writer import template_workbook

        allowed = {key: [option[1] for option in options] for key, options in cls.choices.items()}
        for column in cls.columns:
            if column.key.startswith("has_") or column.key in ("is_active",):
                allowed.setdefault(column.key, ["Có", "Không"])
        general = [
            _("Fill in the sheet 'Dữ liệu' from its second row; keep the header row."),
            _("Columns in red are required; other columns may be left out or left blank "
              "(a blank cell changes nothing)."),
            _("Dates as dd/mm/yyyy or Excel dates; numbers may use '.' for thousands."),
            _("The whole file is checked first: if any row has an error, nothing is written."),
        ]
        return template_workbook(cls.columns, title=str(cls.label),
                                 instructions=general + [str(i) for i in cls.instructions],
                                 allowed_values=allowed)

    # --- to implement -------------------------------------------------------------
    def prepare(self) -> None:
        """Load what every row needs, once (lookup tables)."""

    def import_row(self, row: Row, result: RowResult) -> None:
        """Apply one row through the services; set result.status/label/changes.

        When ``self.bulk`` is true, a new row may be validated only and kept
        for ``finish``; otherwise every row is written here.
        """
        raise NotImplementedError

    def finish(self) -> None:
        """Write what import_row kept (bulk mode), after every row passed."""

    # --- engine -------------------------------------------------------------------------
    def out_of_scope(self, key: str, record_type: str) -> RowError:
        """The one neutral refusal of a row naming a record outside the account's
        scope (a tax code, a citizen ID): it says nothing of where the record
        is, and is logged and counted against probing."""
        self.refused.append((self._row_number, record_type))
        return RowError(key, str(OUT_OF_SCOPE_MESSAGE))

    def run(self, source, *, dry_run: bool = False) -> ImportResult:
        return self._guarded(lambda: self._run(source, dry_run=dry_run), dry_run=dry_run)

    def run_table(self, table: Table, *, dry_run: bool = False) -> ImportResult:
        """The same run over rows that come from elsewhere than a workbook
        (the REST API's items): the same rules, passes and refusals."""
        self.table = table
        return self._guarded(lambda: self._run_table(dry_run=dry_run), dry_run=dry_run)

    def _guarded(self, run, *, dry_run: bool) -> ImportResult:
        if self.actor is not None and refusals_exceeded(self.actor):
            result = ImportResult(kind=self.kind, dry_run=dry_run)
            result.file_error = str(TOO_MANY_REFUSALS)
            return result
        try:
            return run()
        finally:
            for number, record_type in dict.fromkeys(self.refused):
                out_of_scope_refused(user=self.actor, record_type=record_type,
                                     detail=f"import {self.kind}, row {number}: refused")
            self.refused = []

    def _run(self, source, *, dry_run: bool) -> ImportResult:
        try:
            self.table = read_table(
                source,
                self.columns,
                max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
                max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
                max_rows=settings.IMPORT_MAX_ROWS,
            )
        except WorkbookError as exc:
            result = ImportResult(kind=self.kind, dry_run=dry_run)
            result.file_error = exc.message
            return result
        return self._run_table(dry_run=dry_run)

    def _run_table(self, *, dry_run: bool) -> ImportResult:
        try:
            return self._apply(dry_run, careful=False, bulk=self.supports_bulk)
        except _Retry as retry:
            if self.supports_bulk and not retry.write:
                try:
                    return self._apply(dry_run, careful=True, bulk=True)
                except _Retry:
                    pass
            return self._apply(dry_run, careful=True, bulk=False)

    def _apply(self, dry_run: bool, *, careful: bool, bulk: bool) -> ImportResult:
        """One pass over the rows in one transaction.

        Quick (``careful=False``): raises _Retry at the first error, its
        writes rolled back. Careful: each row in a savepoint, every error
        collected. With ``bulk``, a refused batched write raises _Retry.
        """
        table = self.table
        result = ImportResult(kind=self.kind, dry_run=dry_run, sheet_name=table.sheet_name,
                              header_row=table.header_row, positions=table.positions,
                              headers=table.headers)
        self.bulk = bulk
        self.refused = []
        with transaction.atomic():
            self.prepare()
            for row in self.table.rows:
                row_result = RowResult(number=row.number, label=self.row_label(row))
                result.rows.append(row_result)
                self._import(row, row_result, savepoint=careful)
                if row_result.errors and not careful:
                    raise _Retry
            if result.ok and bulk:
                try:
                    self.finish()
                except (ValidationError, PermissionDenied, DatabaseError) as exc:
                    raise _Retry(write=True) from exc
            if dry_run or not result.ok:
                transaction.set_rollback(True)
        return result

    def _import(self, row: Row, row_result: RowResult, *, savepoint: bool) -> None:
        self._row_number = row.number
        try:
            if savepoint:
                with transaction.atomic():
                    self.import_row(row, row_result)
            else:
                self.import_row(row, row_result)
        except RowError as exc:
            self._fail(row_result, exc.key, exc.message)
        except RowErrors as exc:
            for error in exc.errors:
                self._fail(row_result, error.key, error.message)
        except ValidationError as exc:
            self._fail_validation(row_result, exc)
        except PermissionDenied:
            self._fail(row_result, None, _("You may not change this row's data."))
        except IntegrityError:
            # A uniqueness the validation checked, lost to a change saved meanwhile
            # (a second import of the same file confirmed at the same moment).
            self._fail(row_result, None, _(
                "This record was saved by someone else at the same moment (for example the "
                "same file imported twice). Check the list, then import again if needed."))
        except DatabaseError:
            self._fail(row_result, None, _(
                "The database could not save this row. Nothing of the file was written; "
                "try again in a moment."))

    def row_label(self, row: Row) -> str:
        """A first label for the row, shown even when its values are refused."""
        for column in self.columns:
            value = row.values.get(column.key)
            if column.required and not column.blank and isinstance(value, str) \
                    and value.strip():
                return value.strip()[:120]
        return ""

    def header(self, key: str | None) -> str:
        if key is None or self.table is None:
            return ""
        if key in self.table.headers:
            return self.table.headers[key]
        for column in self.columns:
            if column.key == key:
                return column.header
        return key

    def _fail(self, row_result: RowResult, key: str | None, message: str) -> None:
        row_result.status = ERROR
        row_result.changes = []
        header = self.header(key)
        if header:
            text = _("Row %(row)s, column '%(column)s': %(message)s") % {
                "row": row_result.number, "column": header, "message": message}
        else:
            text = _("Row %(row)s: %(message)s") % {"row": row_result.number, "message": message}
        row_result.errors.append(text)
        row_result.problems.append((key if header else None, message))

    def _fail_validation(self, row_result: RowResult, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field_name, errors in exc.message_dict.items():
                key = self.field_columns.get(field_name, field_name)
                if key not in {c.key for c in self.columns}:
                    key = None
                for message in errors:
                    self._fail(row_result, key, message)
        else:
            for message in exc.messages:
                self._fail(row_result, None, message)

    # --- helpers for subclasses ----------------------------------------------------------------
    def value(self, row: Row, key: str, parser, **kwargs):
        """Parse the cell ``key`` of ``row``; a refused value becomes a RowError."""
        try:
            return parser(row.values.get(key), **kwargs)
        except ValueError as exc:
            raise RowError(key, str(exc)) from exc

    def parse(self, row: Row, parsers: dict) -> dict:
        """Parse several cells at once: ``{key: parser or (parser, kwargs)}``.

        Every refused value of the row is reported, not only the first; a
        required column left blank is refused too.
        """
        required = {c.key for c in self.columns if c.required and not c.blank}
        values, errors = {}, []
        for key, spec in parsers.items():
            parser, kwargs = spec if isinstance(spec, tuple) else (spec, {})
            try:
                values[key] = parser(row.values.get(key), **kwargs)
            except ValueError as exc:
                errors.append(RowError(key, str(exc)))
                continue
            if key in required and values[key] in (None, ""):
                errors.append(RowError(key, _("This column is required.")))
        if errors:
            raise RowErrors(errors)
        return values

    def present(self, key: str) -> bool:
        """Whether the file has the column ``key`` (absent columns change nothing)."""
        return self.table is not None and key in self.table.headers
