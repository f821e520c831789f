"""Who may see and do what with the reviews, and the periods they cover.

Who may do what (``accounts.policy``):

- a review is a joint document of the two bodies: every account with
  Perm.VIEW_PLANS reads the finished reviews and their province-wide and
  per-zone figures (IZ Board accounts of some zones included), and
  Perm.DOWNLOAD_REPORTS downloads the Word report;
- a draft is the Party Committee's working document: seen only by the
  accounts that write or approve plans (404 to the others);
- Party Committee officers (Perm.EDIT_PLANS) write reviews, finish them,
  reopen a finished one (with a reason) and make the agreed targets the
  next plan's draft targets;
- a commendation proposed for an individual names a party member: only
  accounts with Perm.VIEW_PERSONAL_DATA see it (the others see how many
  there are), and a page that shows one writes the access log.

The periods: a calendar period (year, half-year, quarter, month) or any
span of days; two shortcuts give spans counted from the regulation's
signing date.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from accounts.policy import Access, Perm
from core.periods import SPAN, Period, add_years, span_too_long

from ..plans.rules import sees_drafts
from .models import Review

Status = Review.Status


def may_edit_reviews(access: Access) -> bool:
    return access.can(Perm.EDIT_PLANS)


def may_see_review(access: Access, review: Review) -> bool:
    if not access.can(Perm.VIEW_PLANS):
        return False
    return review.status == Status.FINISHED or sees_drafts(access)


def sees_individuals(access: Access) -> bool:
    """Whether the names of individual commendations are shown."""
    return access.can(Perm.VIEW_PERSONAL_DATA)


def may_download(access: Access) -> bool:
    return access.can(Perm.DOWNLOAD_REPORTS)


# --- Periods ------------------------------------------------------------------------------


def regulation_year(signed_on: date, number: int) -> Period:
    """Year ``number`` of a regulation signed on ``signed_on``: from the
    signing day's anniversary to the day before the next one (year 1 of a
    regulation signed 24/09/2025 is 24/09/2025–23/09/2026)."""
    if number < 1:
        raise ValueError("A regulation's years are counted from 1.")
    start = add_years(signed_on, number - 1)
    return Period.span(start, add_years(signed_on, number) - timedelta(days=1))


def since_signing(signed_on: date, end: date) -> Period:
    """From the signing day to ``end``."""
    if end < signed_on:
        raise ValueError("The span ends before the regulation was signed.")
    return Period.span(signed_on, end)


def period_errors(review: Review) -> dict:
    """The rules of a review's period, by field: it ends on or after it
    starts, a calendar period's days are that period's, and it covers at most
    five years."""
    start, end, kind = review.period_start, review.period_end, review.period_kind
    if start is None or end is None or not kind:
        return {}
    if end < start:
        return {"period_end": [_("A period cannot end before it starts.")]}
    if kind != SPAN:
        expected = Period.containing(kind, start)
        if (expected.start, expected.end) != (start, end):
            return {"period_start": [_(
                "These days are not one %(kind)s: choose a span of days instead.") % {
                "kind": Review.PeriodKind(kind).label.lower()}]}
    elif span_too_long(start, end):
        return {"period_end": [_("A review covers at most five years.")]}
    return {}


def default_subject(*, kind: str, period: Period, regulation) -> str:
    """The subject line the form suggests: ``Sơ kết một năm thực hiện Quy
    chế phối hợp ...`` for year 1 of the regulation, else with the period in
    words."""
    verb = "Sơ kết" if kind == Review.Kind.INTERIM else "Tổng kết"
    what = f"thực hiện Quy chế phối hợp số {regulation.number}"
    for number in range(1, 6):
        if period == regulation_year(regulation.signed_on, number):
            years = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm"}[number]
            return f"{verb} {years} năm {what}"
    if period.kind == SPAN:
        return f"{verb} {what} ({period.label})"
    return f"{verb} {what} {period.label}"
