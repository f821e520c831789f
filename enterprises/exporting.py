"""Workbook exports of the registry, in the import templates' columns.

Streaming: rows come from ``.iterator()`` and go to an openpyxl write-only
sheet, so memory stays flat however many enterprises there are. Every text
cell is written as text (never a formula) by ``core.excel.writer``.
"""

from __future__ import annotations

from django.db.models import DateField, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access, Perm
from core import exports, registry
from core.excel.writer import WorkbookWriter

from .filters import EnterpriseFilter
from .models import Enterprise, IndustrialZone, MassOrganization, PartyOrganization
from .selectors import enterprise_scope, latest_workforce
from .workbooks import (
    CAPITAL_SOURCES,
    ENTERPRISE_COLUMNS,
    LEGAL_FORMS,
    PARTY_ORG_COLUMNS,
    PARTY_ORG_KINDS,
    STATUSES,
    TRADE_UNION,
    YOUTH_UNION,
    ZONE_COLUMNS,
    label_of,
)

WIDTHS = {
    "name": 40, "tax_code": 16, "zone": 28, "legal_form": 30, "capital_source": 24,
    "address": 40, "sector": 28, "parent": 36, "kind": 20,
}


def _columns(columns):
    return [(c.header, WIDTHS.get(c.key, 16)) for c in columns]


def _active_since(kind: str) -> Subquery:
    return Subquery(
        MassOrganization.objects.filter(
            enterprise=OuterRef("pk"), kind=kind, dissolved_on__isnull=True
        ).order_by("-established_on").values("established_on")[:1],
        output_field=DateField(),
    )


def _active_exists(kind: str) -> Subquery:
    return MassOrganization.objects.filter(
        enterprise=OuterRef("pk"), kind=kind, dissolved_on__isnull=True
    ).values("pk")[:1]


def export_enterprises(queryset: QuerySet[Enterprise], target) -> int:
    """Write ``queryset`` (already scoped) as the enterprise import template;
    returns the number of enterprises written."""
    # Values, not model instances: an export may list every enterprise.
    rows = (
        queryset.annotate(
            x_total=latest_workforce("total_workers"),
            x_female=latest_workforce("female_workers"),
            x_union_members=latest_workforce("union_members"),
            x_youth_members=latest_workforce("youth_union_members"),
            x_union_since=_active_since(TRADE_UNION),
            x_union=Subquery(_active_exists(TRADE_UNION)),
            x_youth_since=_active_since(YOUTH_UNION),
            x_youth=Subquery(_active_exists(YOUTH_UNION)),
        )
        .order_by("sort_name", "pk")
        .values("name", "tax_code", "zone__code", "legal_form", "capital_source", "short_name",
                "established_on", "status", "status_since", "investor_country", "sector",
                "address", "representative", "phone", "email", "x_total", "x_female",
                "x_union_members", "x_youth_members", "x_union_since", "x_union",
                "x_youth_since", "x_youth")
    )
    book = WorkbookWriter()
    sheet = book.sheet("Doanh nghiệp", columns=_columns(ENTERPRISE_COLUMNS))
    sheet.header([c.header for c in ENTERPRISE_COLUMNS])
    written = 0
    for e in rows.iterator(chunk_size=2000):
        dissolved = e["status_since"] if e["status"] == Enterprise.Status.DISSOLVED else None
        values = {
            "name": e["name"],
            "tax_code": e["tax_code"],
            "zone": e["zone__code"],
            "legal_form": label_of(LEGAL_FORMS, e["legal_form"]),
            "capital_source": label_of(CAPITAL_SOURCES, e["capital_source"]),
            "total_workers": e["x_total"],
            "female_workers": e["x_female"],
            "short_name": e["short_name"],
            "established_on": e["established_on"],
            "status": label_of(STATUSES, e["status"]),
            "dissolved_on": dissolved,
            "has_union": "Có" if e["x_union"] else "",
            "union_established_on": e["x_union_since"],
            "union_members": e["x_union_members"],
            "has_youth_union": "Có" if e["x_youth"] else "",
            "youth_union_established_on": e["x_youth_since"],
            "youth_union_members": e["x_youth_members"],
            "investor_country": e["investor_country"],
            "sector": e["sector"],
            "address": e["address"],
            "representative": e["representative"],
            "phone": e["phone"],
            "email": e["email"],
        }
        sheet.row([values[c.key] for c in ENTERPRISE_COLUMNS])
        written += 1
    book.save(target)
    return written


def export_zones(queryset: QuerySet[IndustrialZone], target) -> None:
    book = WorkbookWriter()
    sheet = book.sheet("Khu công nghiệp", columns=_columns(ZONE_COLUMNS))
    sheet.header([c.header for c in ZONE_COLUMNS])
    for z in queryset.order_by("code").iterator(chunk_size=2000):
        sheet.row([z.code, z.name, z.commune, z.province, z.area_ha, z.established_on,
                   "Có" if z.is_active else "Không"])
    book.save(target)


def export_party_organizations(queryset: QuerySet[PartyOrganization], target) -> None:
    """Parents come before their cells, so the file re-imports in one pass."""
    rows = queryset.select_related("enterprise", "zone", "parent").order_by("sort_name", "pk")
    book = WorkbookWriter()
    sheet = book.sheet("Tổ chức đảng", columns=_columns(PARTY_ORG_COLUMNS))
    sheet.header([c.header for c in PARTY_ORG_COLUMNS])
    for o in _parents_first(rows):
        sheet.row([
            o.name,
            label_of(PARTY_ORG_KINDS, o.kind),
            o.established_on,
            o.enterprise.tax_code if o.enterprise else "",
            o.zone.code if o.zone else "",
            o.parent.name if o.parent else "",
            o.decision_number,
            o.dissolved_on,
        ])
    book.save(target)


def _parents_first(rows):
    """Organizations without a superior first; cells (a few hundred) after."""
    deferred = []
    for org in rows.iterator(chunk_size=2000):
        if org.parent_id is None:
            yield org
        else:
            deferred.append(org)
    yield from deferred


EXPORTERS = {
    "zones": (export_zones, IndustrialZone.objects.all),
    "enterprises": (export_enterprises, Enterprise.objects.all),
    "party_organizations": (export_party_organizations, PartyOrganization.objects.all),
}

registry.register_exporters(EXPORTERS)


def enterprise_list_rows(*, access: Access, query, search: str = "") -> QuerySet[Enterprise]:
    """The enterprise list as ``access`` sees it with the filters of ``query``
    (its search box is one of them); FiltersRefused when they are not valid."""
    return exports.filtered(EnterpriseFilter(
        query or None, queryset=enterprise_scope(access=access), access=access))


exports.register(exports.ListExport(
    kind="enterprises", label=_("Enterprises"), perm=Perm.VIEW_REGISTRY,
    rows=enterprise_list_rows, write=export_enterprises, filename="doanh-nghiep",
    list_url="enterprises:enterprise_list",
))
