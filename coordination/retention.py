"""Retention of party development's personal data (core.retention): members
who left the rolls and closed admission cases are pseudonymised
PSEUDONYMISE_AFTER_YEARS years after (default: kept).

Pseudonymised: the names become ``Ẩn danh <id>``, the citizen ID
``000`` + the id (no citizen ID starts with 000: the first three digits are a
province code, 001–096), the birth date the 1st of January of its year, the
party card number and the free-text notes are emptied; in the change
history too. A case's dossier keeps its documents' kinds and dates; their
scanned files are deleted and their notes emptied. Dates of admission,
leaving and the steps stay, so every figure of every period is unchanged.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from core.retention import register
from core.text import fold, person_sort_key

from .calendar import add_months
from .models import AdmissionCandidate, DossierDocument, PartyMember

PREFIX = "000"
GIVEN = "Ẩn danh"


def pseudonym(pk: int) -> dict:
    given = f"{GIVEN} {pk}"
    return {"family_name": "", "middle_name": "", "given_name": given,
            "citizen_id": f"{PREFIX}{pk:09d}", "sort_key": person_sort_key("", "", given),
            "search_text": fold(given)}


def _cutoff(today: date) -> date | None:
    years = settings.PSEUDONYMISE_AFTER_YEARS
    if years is None:
        return None
    return add_months(today, -12 * years)


def _pseudonymise(model, rows, extra: dict, dry_run: bool) -> int:
    count = 0
    for pk, born in rows:
        count += 1
        if dry_run:
            continue
        values = {**pseudonym(pk), "date_of_birth": date(born.year, 1, 1), **extra}
        model.objects.filter(pk=pk).update(**values)
        history = {k: v for k, v in values.items() if k not in ("sort_key", "search_text")}
        model.history.filter(id=pk).update(**history)
    return count


@register("party members pseudonymised")
def members(today: date, dry_run: bool) -> int:
    cutoff = _cutoff(today)
    if cutoff is None:
        return 0
    rows = PartyMember.objects.filter(left_on__isnull=False, left_on__lte=cutoff) \
        .exclude(citizen_id__startswith=PREFIX).values_list("pk", "date_of_birth")
    return _pseudonymise(PartyMember, rows, {"party_card_number": "", "left_note": ""},
                         dry_run)


@register("closed admission cases pseudonymised")
def candidates(today: date, dry_run: bool) -> int:
    cutoff = _cutoff(today)
    if cutoff is None:
        return 0
    rows = list(AdmissionCandidate.objects.filter(closed_on__isnull=False,
                                                  closed_on__lte=cutoff, member__isnull=True)
                .exclude(citizen_id__startswith=PREFIX).values_list("pk", "date_of_birth"))
    count = _pseudonymise(AdmissionCandidate, rows,
                          {"closed_note": "", "certificate_number": ""}, dry_run)
    if not dry_run:
        _empty_dossiers([pk for pk, _born in rows])
    return count


def _empty_dossiers(candidate_ids: list[int]) -> None:
    """The dossiers of pseudonymised cases keep which documents there were and
    their dates; the scanned files are deleted and the notes emptied."""
    documents = DossierDocument.objects.filter(candidate_id__in=candidate_ids)
    for document in documents.exclude(file=""):
        document.file.delete(save=False)
    values = {"file": "", "original_name": "", "mime_type": "", "size": None, "note": ""}
    documents.update(**values)
    DossierDocument.history.filter(candidate_id__in=candidate_ids).update(**values)
