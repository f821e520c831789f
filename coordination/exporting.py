"""Workbook exports of party development, in the import templates' columns.

Streaming: rows come from ``.iterator()`` and go to an openpyxl write-only
sheet, so memory stays flat however many members there are. Every text cell
is written as text (never a formula) by ``core.excel.writer``.

Citizen IDs. DESIGN §3/§7 want them masked in exports, but rows of the
import match by citizen ID, so a file can only re-import unchanged with the
full IDs. Hence:

- ``masked=True`` (the default) writes ``••••••••1234``: every export offered
  to users in the web UI. Such a file cannot be re-imported: the import
  refuses a masked ID with a clear message.
- ``masked=False`` writes the full 12 digits. Only the ``export_workbook``
  command asks for it: the system operator runs it on the server for round
  trips (moving data, correcting a file and importing it back).

Each member's row shows where the member is now (or was last, for a member
off the rolls) and since when (``Ngày chuyển đến``: the start of the latest
period), so the import finds nothing to move.

Candidates who were admitted are not exported here: they are party members
(imported and exported as ``party_members``).

A reason given in the user's own words (Other) is written as those words,
which the import reads back as the same reason (``reason_cell``).
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access, Perm
from core import exports, registry
from core.excel.writer import WorkbookWriter

from . import selectors
from .filters import CandidateFilter, MemberFilter
from .models import AdmissionCandidate, PartyMember, Placement
from .workbooks import (
    CANDIDATE_COLUMNS,
    CLOSE_REASONS,
    GENDERS,
    LEFT_REASONS,
    MEMBER_COLUMNS,
    MILESTONES,
    UNDATED_MARK,
    education_label,
    label_of,
    reason_cell,
)

WIDTHS = {
    "full_name": 28, "citizen_id": 16, "tax_code": 16, "party_organization": 32,
    "responsible_organization": 32, "left_reason": 24, "closed_reason": 24,
    "age_override_reference": 24, "given": 12,
}


def _columns(columns):
    return [(c.header, WIDTHS.get(c.key, 16)) for c in columns]


def _citizen_id(person, masked: bool) -> str:
    return person.masked_citizen_id if masked else person.citizen_id


def export_party_members(queryset: QuerySet[PartyMember], target, *,
                         masked: bool = True) -> int:
    """Write ``queryset`` (already scoped) as the party member import template;
    returns the number of members written."""
    # Since when the member is where the row says: the latest period's start.
    placed_on = Subquery(Placement.objects.filter(member=OuterRef("pk"))
                         .order_by("-starts_on", "-pk").values("starts_on")[:1])
    rows = (queryset.select_related("enterprise", "party_organization")
            .annotate(placed_on=placed_on).order_by("sort_key", "pk"))
    book = WorkbookWriter()
    sheet = book.sheet("Đảng viên", columns=_columns(MEMBER_COLUMNS))
    sheet.header([c.header for c in MEMBER_COLUMNS])
    written = 0
    for m in rows.iterator(chunk_size=2000):
        values = {
            "full_name": m.full_name,
            "given": m.given_name,
            "date_of_birth": m.date_of_birth,
            "gender": label_of(GENDERS, m.gender),
            "citizen_id": _citizen_id(m, masked),
            "admitted_on": m.admitted_on,
            "official_on": m.official_on,
            "party_card_number": m.party_card_number,
            "tax_code": m.enterprise.tax_code,
            "party_organization": m.party_organization.name if m.party_organization else "",
            "placed_on": m.placed_on,
            "is_enterprise_owner": "Có" if m.is_enterprise_owner else "",
            "left_on": m.left_on,
            "left_reason": reason_cell(LEFT_REASONS, m.left_reason, m.left_note),
        }
        sheet.row([values[c.key] for c in MEMBER_COLUMNS])
        written += 1
    book.save(target)
    return written


def _milestone(candidate: AdmissionCandidate, field: str):
    """A milestone's date, or the words for a step done without a known date."""
    value = getattr(candidate, field)
    if value is None and field in candidate.undated_steps:
        return UNDATED_MARK
    return value


def export_candidates(queryset: QuerySet[AdmissionCandidate], target, *,
                      masked: bool = True) -> int:
    """Write ``queryset`` (already scoped) as the candidate import template;
    returns the number of candidates written.

    Open and closed cases; admitted ones are party members now.
    """
    rows = (queryset.filter(ceremony_on__isnull=True)
            .select_related("enterprise", "responsible_organization")
            .order_by("sort_key", "identified_on", "pk"))
    book = WorkbookWriter()
    sheet = book.sheet("Quần chúng ưu tú", columns=_columns(CANDIDATE_COLUMNS))
    sheet.header([c.header for c in CANDIDATE_COLUMNS])
    written = 0
    for c in rows.iterator(chunk_size=2000):
        organization = c.responsible_organization
        values = {
            "full_name": c.full_name,
            "given": c.given_name,
            "date_of_birth": c.date_of_birth,
            "gender": label_of(GENDERS, c.gender),
            "citizen_id": _citizen_id(c, masked),
            "tax_code": c.enterprise.tax_code,
            "identified_on": c.identified_on,
            "education_grade": education_label(c.education_grade),
            "responsible_organization": organization.name if organization else "",
            **{field: _milestone(c, field) for field in MILESTONES},
            "certificate_number": c.certificate_number,
            "votes_for": c.votes_for,
            "cell_official_members": c.cell_official_members,
            "age_override_reference": c.age_override_reference,
            "decision_number": c.decision_number,
            "decision_body": c.decision_body,
            "decision_received_on": c.decision_received_on,
            "closed_on": c.closed_on,
            "closed_reason": reason_cell(CLOSE_REASONS, c.closed_reason, c.closed_note),
        }
        sheet.row([values[col.key] for col in CANDIDATE_COLUMNS])
        written += 1
    book.save(target)
    return written


EXPORTERS = {
    "party_members": (export_party_members, PartyMember.objects.all),
    "candidates": (export_candidates, AdmissionCandidate.objects.all),
}

registry.register_exporters(EXPORTERS)


# --- the lists' exports in the background (core.exports) ------------------------------------


def member_list_rows(*, access: Access, query, search: str = "") -> QuerySet[PartyMember]:
    """The member list as ``access`` sees it with these filters and search;
    PermissionDenied without personal data, FiltersRefused on invalid filters."""
    filterset = MemberFilter(query or None, queryset=selectors.member_queryset(access=access),
                             access=access)
    return selectors.searched(exports.filtered(filterset), search)


def candidate_list_rows(*, access: Access, query,
                        search: str = "") -> QuerySet[AdmissionCandidate]:
    """The candidate list as ``access`` sees it with these filters and search."""
    filterset = CandidateFilter(query or None,
                                queryset=selectors.candidate_queryset(access=access),
                                access=access)
    return selectors.searched(exports.filtered(filterset), search)


exports.register(
    exports.ListExport(
        kind="party_members", label=_("Party members"), perm=Perm.VIEW_PERSONAL_DATA,
        rows=member_list_rows, write=export_party_members, filename="dang-vien",
        list_url="coordination:member_list", personal=True,
        record_type=PartyMember._meta.label_lower,
    ),
    exports.ListExport(
        kind="candidates", label=_("Admission candidates"), perm=Perm.VIEW_PERSONAL_DATA,
        rows=candidate_list_rows, write=export_candidates, filename="quan-chung-uu-tu",
        list_url="coordination:candidate_list", personal=True,
        record_type=AdmissionCandidate._meta.label_lower,
    ),
)
