"""The IZ Board's sync: enterprises upserted by tax code, with dated
workforce records, through the enterprise import's own rules.

The items of a request become the rows of
:class:`enterprises.importers.EnterpriseImporter` (the same parsing, scope
checks, neutral refusal of a tax code outside the account's zones, services
and database constraints as an Excel import), run with
:meth:`core.imports.Importer.run_table`: all of them are written or none.
Each refused value is reported with the item's index and the field's name;
a workforce record's field as ``workforce[i].field``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.excel.reader import Row as TableRow
from core.excel.reader import Table
from core.imports import RowError, RowErrors
from enterprises import services
from enterprises.importers import EnterpriseImporter
from enterprises.models import Enterprise, normalize_tax_code
from enterprises.workbooks import CAPITAL_SOURCES, LEGAL_FORMS, STATUSES

# An API item's fields, by the import column each one fills (the same names).
FIELDS = ("tax_code", "name", "short_name", "zone", "legal_form", "capital_source",
          "established_on", "status", "dissolved_on", "investor_country", "sector",
          "address", "representative", "phone", "email")
WORKFORCE_FIGURES = ("total_workers", "female_workers", "union_members",
                     "youth_union_members")
# The API gives fixed values as codes; the importer reads them as labels.
_LABELS = {name: {option[0]: option[1] for option in options}
           for name, options in (("legal_form", LEGAL_FORMS),
                                 ("capital_source", CAPITAL_SOURCES),
                                 ("status", STATUSES))}


class SyncImporter(EnterpriseImporter):
    """The enterprise import over API items: each item's workforce records
    carry their own dates (a workbook's share the run's)."""

    kind = "enterprises"

    def workforce_of(self, row, val) -> list[dict]:
        records, errors = [], []
        for index, item in enumerate(row.values.get("workforce") or ()):
            prefix = f"workforce[{index}]"
            figures = {"as_of": item["as_of"], "source": self.source}
            figures.update({name: item.get(name) for name in WORKFORCE_FIGURES})
            try:
                # The record's own rules (figures within the total), checked
                # here to name the record; the service checks them all again.
                services.workforce_record_check(**figures)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    key = f"{prefix}.{name}" if name in figures else prefix
                    errors += [RowError(key, message) for message in messages]
            records.append(figures)
        if errors:
            raise RowErrors(errors)
        return records

    @property
    def source(self) -> str:
        return _("REST API")


@dataclass
class ItemResult:
    index: int
    tax_code: str
    status: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    id: int | None = None


@dataclass
class SyncResult:
    items: list[ItemResult]
    # A refusal of the whole request (too many refused entries this hour).
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not any(item.errors for item in self.items)

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)


def _cell(name: str, value):
    if name in _LABELS and value:
        return _LABELS[name].get(value, value)
    return value


def enterprises_sync(*, actor, items: list[dict], dry_run: bool = False) -> SyncResult:
    """Upsert ``items`` (validated API items) as ``actor``: all or nothing.

    Nothing is written when any item is refused (or with ``dry_run``).
    """
    rows = []
    for index, item in enumerate(items):
        values = {name: _cell(name, item[name]) for name in FIELDS if name in item}
        values["workforce"] = item.get("workforce") or []
        rows.append(TableRow(number=index, values=values))
    present = {name for item in items for name in FIELDS if name in item}
    table = Table(sheet_name="api", header_row=0, rows=rows,
                  headers={name: name for name in present})
    outcome = SyncImporter(actor=actor).run_table(table, dry_run=dry_run)
    results = []
    for item, row in zip(items, outcome.rows, strict=True):
        result = ItemResult(index=row.number, tax_code=_normal(item.get("tax_code", "")),
                            status=row.status, changes=[str(c) for c in row.changes])
        result.errors = [{"field": key or "item", "message": str(message)}
                         for key, message in row.problems]
        results.append(result)
    sync = SyncResult(items=results, error=outcome.file_error)
    if sync.ok and not dry_run:
        ids = dict(Enterprise.objects.filter(tax_code__in=[r.tax_code for r in results])
                   .values_list("tax_code", "pk"))
        for result in results:
            result.id = ids.get(result.tax_code)
    return sync


def _normal(tax_code: str) -> str:
    try:
        return normalize_tax_code(tax_code)
    except ValidationError:
        return tax_code
