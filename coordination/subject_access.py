"""Everything held on one person, as a workbook an officer hands over when the
person asks (Law 91/2025/QH15 on personal data protection: the data subject's
right to be informed and to get a copy).

One person = one citizen ID: the party member record, every admission case
with the documents of its dossier, where the member worked and attended, the
recognition and the cell's votes, the change history of all of these, and who
looked at them (the access log: accounts and dates).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.excel.writer import WorkbookWriter
from core.history import display_value, history_entries
from core.models import PersonalDataAccess

from .models import (
    AdmissionCandidate,
    DossierDocument,
    PartyMember,
    Placement,
    Recognition,
    RecognitionVote,
)

SKIPPED = {"id", "sort_key", "search_text", "stage", "member"}


def _fields(obj) -> list[tuple[str, str]]:
    """(label, value as the pages show it) of every stored field of ``obj``."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED:
            continue
        value = getattr(obj, field.attname)
        if field.name == "undated_steps":
            rows.append((capfirst(str(field.verbose_name)), ", ".join(
                str(obj._meta.get_field(name).verbose_name) for name in value or [])))
            continue
        rows.append((capfirst(str(field.verbose_name)),
                     display_value(field, value, {(field.related_model, value):
                                                  getattr(obj, field.name, None)}
                                   if field.is_relation else None)))
    return rows


def person_records(citizen_id: str) -> dict:
    """The records of one person (any zone: the caller checks the access)."""
    member = PartyMember.objects.filter(citizen_id=citizen_id).select_related(
        "enterprise", "party_organization", "probation_helper").first()
    cases = list(AdmissionCandidate.objects.filter(citizen_id=citizen_id).select_related(
        "enterprise", "responsible_organization", "helper_member", "sponsor_1", "sponsor_2")
        .order_by("identified_on", "pk"))
    return {"member": member, "cases": cases}


def write_subject_file(citizen_id: str, target, *, made_by) -> None:
    records = person_records(citizen_id)
    member, cases = records["member"], records["cases"]
    book = WorkbookWriter()

    sheet = book.sheet(_("Personal data"), columns=[(_("Field"), 40), (_("Value"), 60)])
    sheet.title_rows([[_("Everything held on this person by the coordination system")],
                      [_("Made on %(date)s by %(name)s") % {
                          "date": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
                          "name": made_by.get_full_name() or made_by.get_username()}]])
    sheet.header([_("Field"), _("Value")])
    if member is not None:
        sheet.row([_("Party member"), ""])
        for label, value in _fields(member):
            sheet.row([label, value])
    for number, case in enumerate(cases, start=1):
        sheet.row([_("Admission case %(n)s") % {"n": number}, ""])
        for label, value in _fields(case):
            sheet.row([label, value])
        # The case's dossier: each document with its date, number, file name, note.
        for document in case.documents.order_by("issued_on", "pk"):
            sheet.row([document.get_kind_display(), " · ".join(part for part in (
                document.issued_on.strftime("%d/%m/%Y"), document.number,
                document.original_name, document.note) if part)])

    if member is not None:
        placements = book.sheet(_("Workplaces"), columns=[(_("Field"), 40), (_("Value"), 60)])
        placements.header([_("Field"), _("Value")])
        for number, placement in enumerate(
                member.placements.select_related("enterprise", "party_organization")
                .order_by("starts_on", "pk"), start=1):
            placements.row([_("Period %(n)s") % {"n": number}, ""])
            for label, value in _fields(placement):
                placements.row([label, value])
        recognition = book.sheet(_("Recognition"), columns=[(_("Field"), 40), (_("Value"), 60)])
        recognition.header([_("Field"), _("Value")])
        for number, vote in enumerate(member.recognition_votes.order_by("held_on"), start=1):
            recognition.row([_("Vote of the cell %(n)s") % {"n": number}, ""])
            for label, value in _fields(vote):
                recognition.row([label, value])
        decided = Recognition.objects.filter(member=member).first()
        if decided is not None:
            recognition.row([_("Recognition as official member"), ""])
            for label, value in _fields(decided):
                recognition.row([label, value])

    history = book.sheet(_("Change history"), columns=[
        (_("When"), 18), (_("Who"), 26), (_("Record"), 30), (_("Field"), 30), (_("Before"), 30),
        (_("After"), 30)])
    history.header([_("When"), _("Who"), _("Record"), _("Field"), _("Before"), _("After")])
    querysets = [AdmissionCandidate.history.filter(id__in=[c.pk for c in cases]),
                 DossierDocument.history.filter(candidate_id__in=[c.pk for c in cases])]
    if member is not None:
        querysets += [PartyMember.history.filter(id=member.pk),
                      Placement.history.filter(member_id=member.pk),
                      Recognition.history.filter(member_id=member.pk),
                      RecognitionVote.history.filter(member_id=member.pk)]
    for entry in history_entries(*querysets, limit=10_000):
        when = timezone.localtime(entry["when"]).strftime("%d/%m/%Y %H:%M")
        changes = entry["changes"] or [{"field": "", "old": "", "new": _("created")}]
        for change in changes:
            history.row([when, entry["who"], entry["what"], change["field"], change["old"],
                         change["new"]])

    access = book.sheet(_("Who viewed"), columns=[(_("When"), 18), (_("Account"), 30),
                                                  (_("Action"), 20), (_("Record"), 30)])
    access.header([_("When"), _("Account"), _("Action"), _("Record")])
    records = [(PartyMember._meta.label_lower, member.pk)] if member is not None else []
    records += [(AdmissionCandidate._meta.label_lower, case.pk) for case in cases]
    for record_type, pk in records:
        for row in PersonalDataAccess.objects.filter(
                record_type=record_type, record_id=pk).select_related("user").order_by("at"):
            access.row([timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M"),
                        row.user.get_full_name() or row.user.get_username(),
                        row.get_action_display(),
                        str(PartyMember._meta.verbose_name if record_type.endswith("member")
                            else AdmissionCandidate._meta.verbose_name)])
    book.save(target)
