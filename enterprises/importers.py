"""Workbook imports of the registry: zones, enterprises, party organizations."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.policy import Perm, access_for
from core import registry
from core.excel import values as v
from core.imports import NEW, UNCHANGED, UPDATED, Importer, RowError
from core.text import fold

from . import services
from .models import (
    Enterprise,
    IndustrialZone,
    MassOrganization,
    PartyOrganization,
    normalize_tax_code,
)
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
)


def zone_keys(text: str) -> set[str]:
    """The keys a zone may be written as: code, name, 'KCN X' for 'Khu công nghiệp X'."""
    folded = fold(text)
    folded = re.sub(r"^(khu cong nghiep|kcn\.?)\s+", "kcn ", folded)
    keys = {folded}
    if folded.startswith("kcn "):
        keys.add(folded[4:])
    return keys


class ZoneLookup:
    def __init__(self, zones):
        self.by_key: dict[str, IndustrialZone] = {}
        for zone in zones:
            self.by_key[fold(zone.code)] = zone
            for key in zone_keys(zone.name):
                self.by_key.setdefault(key, zone)

    def find(self, text: str) -> IndustrialZone | None:
        if fold(text) in self.by_key:
            return self.by_key[fold(text)]
        for key in zone_keys(text):
            if key in self.by_key:
                return self.by_key[key]
        return None


def tax_code_value(raw) -> str:
    """The tax code of a cell; a number cell lost its leading zero, restore it."""
    if isinstance(raw, bool):
        raise ValueError(_("Not a tax code."))
    if isinstance(raw, (int, float)) and float(raw).is_integer():
        digits = str(int(raw))
        return digits.zfill(10) if len(digits) == 9 else digits
    return v.parse_text(raw) or ""


def _tax_code(raw) -> str:
    text = tax_code_value(raw)
    if not text:
        return ""
    try:
        return normalize_tax_code(text)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from exc


def _labels(model, fields) -> list[str]:
    return [str(model._meta.get_field(f).verbose_name) for f in fields]


class ZoneImporter(Importer):
    kind = "zones"
    label = gettext_lazy("Industrial zones")
    columns = ZONE_COLUMNS
    perm = Perm.ADMINISTER
    list_url_name = "enterprises:zone_list"
    instructions = [gettext_lazy("Rows match existing zones by 'Mã KCN'.")]

    def prepare(self):
        self.zones = {z.code.upper(): z for z in IndustrialZone.objects.all()}
        self.seen: dict[str, int] = {}

    def import_row(self, row, result):
        val = self.parse(row, {
            "code": (v.parse_text, {"max_length": 20}),
            "name": (v.parse_text, {"max_length": 255}),
            "commune": (v.parse_text, {"max_length": 255}),
            "province": (v.parse_text, {"max_length": 100}),
            "area_ha": v.parse_decimal,
            "established_on": v.parse_date,
            "is_active": v.parse_bool,
        })
        code = val["code"].upper()
        if code in self.seen:
            raise RowError("code", _("Same zone code as row %(row)s.") % {"row": self.seen[code]})
        self.seen[code] = row.number
        result.label = f"{code} · {val['name']}"
        data = {k: val[k] for k in ("name", "commune", "province", "area_ha", "established_on",
                                    "is_active") if self.present(k) and val[k] not in (None, "")}
        data["code"] = code
        zone = self.zones.get(code)
        if zone is None:
            self.zones[code] = services.zone_create(actor=self.actor, **data)
            result.status = NEW
            return
        before = {f: getattr(zone, f) for f in data}
        services.zone_update(actor=self.actor, zone=zone, data=data)
        changed = [f for f in data if getattr(zone, f) != before[f]]
        result.status = UPDATED if changed else UNCHANGED
        result.changes = _labels(IndustrialZone, changed)


class EnterpriseImporter(Importer):
    kind = "enterprises"
    label = gettext_lazy("Enterprises")
    columns = ENTERPRISE_COLUMNS
    perm = Perm.IMPORT_DATA
    list_url_name = "enterprises:enterprise_list"
    choices = {"legal_form": LEGAL_FORMS, "capital_source": CAPITAL_SOURCES, "status": STATUSES}
    instructions = [
        gettext_lazy("Rows match existing enterprises by 'Mã số thuế' (10 digits, or 10-3 for "
                     "a branch)."),
        gettext_lazy("'Khu công nghiệp' takes the zone's code or name ('KCN Hòa Xá' or 'HX')."),
        gettext_lazy("Workforce figures are recorded as of the date chosen when importing."),
        gettext_lazy("The column 'Tổng số lao động' must be in the file, but may be left blank "
                     "for an enterprise whose figures are not known: nothing is recorded for "
                     "it, and an enterprise already in the registry keeps its figures. "
                     "'Lao động nữ', 'Số đoàn viên công đoàn' and 'Số đoàn viên thanh niên' "
                     "need 'Tổng số lao động' on the same row."),
        gettext_lazy("A 'Ngày giải thể' alone means the enterprise was dissolved that day."),
    ]
    field_columns = {"status_since": "dissolved_on"}
    supports_bulk = True

    SIMPLE_FIELDS = ("short_name", "established_on", "investor_country", "sector", "address",
                     "representative", "phone", "email")

    def prepare(self):
        self.access = access_for(self.actor) if self.actor is not None else None
        self.zones = ZoneLookup(IndustrialZone.objects.all())
        self.seen: dict[str, int] = {}
        self.existing = self._existing_enterprises()
        # New enterprises validated in bulk mode, written by finish().
        self.pending: list[services.NewEnterprise] = []

    def _existing_enterprises(self) -> dict[str, Enterprise]:
        """The registry's enterprises whose tax codes the file names (one query a thousand)."""
        codes = set()
        for row in self.table.rows:
            try:
                code = _tax_code(row.values.get("tax_code"))
            except ValueError:
                continue  # the row reports it
            if code:
                codes.add(code)
        found: dict[str, Enterprise] = {}
        codes = sorted(codes)
        for start in range(0, len(codes), 1000):
            for enterprise in Enterprise.objects.filter(tax_code__in=codes[start:start + 1000]):
                found[enterprise.tax_code] = enterprise
        return found

    def finish(self):
        services.enterprise_bulk_create(actor=self.actor, items=self.pending)

    def import_row(self, row, result):
        val = self.parse(row, {
            "name": (v.parse_text, {"max_length": 255}),
            "tax_code": _tax_code,
            "zone": v.parse_text,
            "legal_form": (v.parse_choice, {"options": LEGAL_FORMS}),
            "capital_source": (v.parse_choice, {"options": CAPITAL_SOURCES}),
            "total_workers": v.parse_int,
            "female_workers": v.parse_int,
            "short_name": (v.parse_text, {"max_length": 100}),
            "established_on": v.parse_date,
            "status": (v.parse_choice, {"options": STATUSES}),
            "dissolved_on": v.parse_date,
            "has_union": v.parse_bool,
            "union_established_on": v.parse_date,
            "union_members": v.parse_int,
            "has_youth_union": v.parse_bool,
            "youth_union_established_on": v.parse_date,
            "youth_union_members": v.parse_int,
            "investor_country": (v.parse_text, {"max_length": 100}),
            "sector": (v.parse_text, {"max_length": 255}),
            "address": (v.parse_text, {"max_length": 255}),
            "representative": (v.parse_text, {"max_length": 150}),
            "phone": (v.parse_text, {"max_length": 50}),
            "email": (v.parse_text, {"max_length": 254}),
        })
        tax_code = val["tax_code"]
        result.label = f"{tax_code} · {val['name']}"
        self._check_figures(val)
        workforce = self.workforce_of(row, val)
        if tax_code in self.seen:
            raise RowError("tax_code", _("Same tax code as row %(row)s.")
                           % {"row": self.seen[tax_code]})
        self.seen[tax_code] = row.number

        zone = self.zones.find(val["zone"])
        if zone is None:
            raise RowError("zone", _("No industrial zone '%(zone)s' (give its code or name).")
                           % {"zone": val["zone"]})
        if self.access is not None and not self.access.sees_zone(zone.pk):
            raise RowError("zone", _("Zone %(zone)s is outside the zones of your account.")
                           % {"zone": zone.code})

        data = {"name": val["name"], "zone": zone, "legal_form": val["legal_form"],
                "capital_source": val["capital_source"]}
        for field in self.SIMPLE_FIELDS:
            if val[field] not in (None, ""):
                data[field] = val[field]
        if val["dissolved_on"]:
            data["status"] = Enterprise.Status.DISSOLVED
            data["status_since"] = val["dissolved_on"]
        elif val["status"]:
            data["status"] = val["status"]
            if val["status"] == Enterprise.Status.DISSOLVED:
                raise RowError("status", _("A dissolved enterprise needs its 'Ngày giải thể'."))

        enterprise = self.existing.get(tax_code)
        if enterprise is None and self.bulk:
            # Validated now, written with the other new rows by finish().
            self.pending.append(services.enterprise_build(
                actor=self.actor, data={"tax_code": tax_code, **data},
                workforce_records=workforce,
                mass_organizations=[
                    (kind, since) for kind, has, since in (
                        (TRADE_UNION, val["has_union"], val["union_established_on"]),
                        (YOUTH_UNION, val["has_youth_union"], val["youth_union_established_on"]),
                    ) if has or since
                ],
            ))
            result.status = NEW
            return
        if enterprise is None:
            enterprise = services.enterprise_create(actor=self.actor, data={
                "tax_code": tax_code, **data})
            result.status = NEW
            changed = []
        else:
            if self.access is not None and not self.access.sees_zone(enterprise.zone_id):
                raise self.out_of_scope("tax_code", Enterprise._meta.label_lower)
            if enterprise.status == data.get("status") and "status_since" not in data:
                data.pop("status")
            changed = _labels(Enterprise, services.enterprise_update(
                actor=self.actor, enterprise=enterprise, data=data))

        recorded = [services.workforce_record(actor=self.actor, enterprise=enterprise, **figures)
                    for figures in workforce]
        if any(record is not None for record in recorded):
            changed.append(_("workforce"))
        for kind, has, since in (
            (TRADE_UNION, val["has_union"], val["union_established_on"]),
            (YOUTH_UNION, val["has_youth_union"], val["youth_union_established_on"]),
        ):
            if has or since:
                label = self._ensure_mass_organization(enterprise, kind, since)
                if label:
                    changed.append(label)
        if result.status != NEW:
            result.status = UPDATED if changed else UNCHANGED
            result.changes = changed

    FIGURES = ("female_workers", "union_members", "youth_union_members")

    def workforce_of(self, row, val) -> list[dict]:
        """The workforce figures a row records, each with the arguments of
        ``services.workforce_record``: the row's figures as of the run's date,
        none when its total is blank."""
        if val["total_workers"] is None:
            return []
        return [{"as_of": self.as_of, "total_workers": val["total_workers"],
                 "female_workers": val["female_workers"], "union_members": val["union_members"],
                 "youth_union_members": val["youth_union_members"],
                 "source": _("Excel import")}]

    def _check_figures(self, val) -> None:
        """A blank total means the figures are not known: no other figure then."""
        given = [key for key in self.FIGURES if val[key] is not None]
        if val["total_workers"] is None and given:
            raise RowError("total_workers", _(
                "%(columns)s given: give the total workers too, or leave all the workforce "
                "figures blank when they are not known.")
                % {"columns": ", ".join(f"'{self.header(key)}'" for key in given)})

    def _ensure_mass_organization(self, enterprise, kind, since) -> str:
        """Make sure an active organization of ``kind`` exists; returns what changed."""
        active = MassOrganization.objects.filter(
            enterprise=enterprise, kind=kind, dissolved_on__isnull=True).first()
        label = str(MassOrganization.Kind(kind).label)
        if active is None:
            services.mass_organization_create(actor=self.actor, enterprise=enterprise, kind=kind,
                                              established_on=since)
            return label
        if since and active.established_on != since:
            services.mass_organization_update(actor=self.actor, organization=active,
                                              data={"established_on": since})
            return label
        return ""


class PartyOrganizationImporter(Importer):
    kind = "party_organizations"
    label = gettext_lazy("Party organizations")
    columns = PARTY_ORG_COLUMNS
    perm = Perm.EDIT_PARTY_ORGS
    list_url_name = "enterprises:partyorg_list"
    choices = {"kind": PARTY_ORG_KINDS}
    instructions = [
        gettext_lazy("Rows match existing organizations by name and enterprise tax code."),
        gettext_lazy("Leave 'Mã số thuế doanh nghiệp' blank for a joint cell of several "
                     "enterprises, and give its 'Khu công nghiệp'."),
        gettext_lazy("List a grassroots party committee above its subordinate cells."),
    ]
    field_columns = {"enterprise": "tax_code"}

    def prepare(self):
        self.zones = ZoneLookup(IndustrialZone.objects.all())
        self.seen: dict[tuple, int] = {}

    def import_row(self, row, result):
        val = self.parse(row, {
            "name": (v.parse_text, {"max_length": 255}),
            "kind": (v.parse_choice, {"options": PARTY_ORG_KINDS}),
            "established_on": v.parse_date,
            "tax_code": _tax_code,
            "zone": v.parse_text,
            "parent": (v.parse_text, {"max_length": 255}),
            "decision_number": (v.parse_text, {"max_length": 100}),
            "dissolved_on": v.parse_date,
        })
        result.label = val["name"]
        enterprise = None
        if val["tax_code"]:
            enterprise = Enterprise.objects.filter(tax_code=val["tax_code"]).first()
            if enterprise is None:
                raise RowError("tax_code", _("No enterprise with tax code %(code)s in the registry.")
                               % {"code": val["tax_code"]})
        zone = None
        if val["zone"]:
            zone = self.zones.find(val["zone"])
            if zone is None:
                raise RowError("zone", _("No industrial zone '%(zone)s' (give its code or name).")
                               % {"zone": val["zone"]})
        key = (fold(val["name"]), enterprise.pk if enterprise else None)
        if key in self.seen:
            raise RowError("name", _("The same organization is already on row %(row)s.")
                           % {"row": self.seen[key]})
        self.seen[key] = row.number
        parent = self._parent(val["parent"], enterprise) if val["parent"] else None

        data = {"name": val["name"], "kind": val["kind"], "established_on": val["established_on"],
                "enterprise": enterprise, "parent": parent}
        if zone is not None or enterprise is None:
            data["zone"] = zone if enterprise is None else enterprise.zone
        for field in ("decision_number", "dissolved_on"):
            if val[field] not in (None, ""):
                data[field] = val[field]
        existing = PartyOrganization.objects.filter(
            search_text=fold(val["name"]), enterprise=enterprise).first()
        if existing is None:
            services.party_organization_create(actor=self.actor, data=data)
            result.status = NEW
            return
        changed = services.party_organization_update(actor=self.actor, organization=existing,
                                                     data=data)
        result.status = UPDATED if changed else UNCHANGED
        result.changes = _labels(PartyOrganization, changed)

    def _parent(self, name: str, enterprise):
        candidates = list(PartyOrganization.objects.filter(search_text=fold(name)))
        if len(candidates) > 1 and enterprise is not None:
            same = [c for c in candidates if c.enterprise_id == enterprise.pk]
            candidates = same or candidates
        if not candidates:
            raise RowError("parent", _(
                "No party organization '%(name)s' (list the superior organization above its cells).")
                % {"name": name})
        if len(candidates) > 1:
            raise RowError("parent", _("Several party organizations are named '%(name)s'.")
                           % {"name": name})
        return candidates[0]


IMPORTERS = {
    "zones": ZoneImporter,
    "enterprises": EnterpriseImporter,
    "party_organizations": PartyOrganizationImporter,
}

registry.register_importers(IMPORTERS)
