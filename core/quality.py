"""Data review (rà soát dữ liệu): what in the records needs someone's attention.

Figures go stale and enterprises close; a record that was right becomes wrong
without anyone editing it. Each app declares checks in its ``quality``
module (:func:`register`, found by core.registry). The review page
counts each check in the account's scope; each count opens the list that
shows those rows, whose ``issue`` filter (:class:`IssueFilter`) applies the
same condition, so the page and the list always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.policy import Access, Perm, access_for

from .notifications import Reminder, register_reminders

# The weekly reminder (core.notifications) goes out on Mondays.
REMINDER_WEEKDAY = 0
# Who is reminded: those who enter the data the checks are about.
REMINDED_PERMS = (Perm.EDIT_REGISTRY, Perm.EDIT_PARTY_DEVELOPMENT)


@dataclass(frozen=True)
class Check:
    """One kind of record needing review.

    ``condition(today)`` selects the rows on the model of the list
    ``list_name``; ``scope(access)`` is that model's rows in the account's
    scope. ``perm`` lets an account see the count, ``list_perm`` open the list.
    """

    code: str
    label: str
    hint: str
    list_name: str
    scope: Callable[[Access], QuerySet]
    condition: Callable[[date], Q]
    perm: Perm = Perm.VIEW_REGISTRY
    list_perm: Perm = Perm.VIEW_REGISTRY

    def rows(self, access: Access, today: date | None = None) -> QuerySet:
        return self.scope(access).filter(self.condition(today or timezone.localdate()))

    def url(self) -> str:
        return f"{reverse(self.list_name)}?issue={self.code}"


_checks: list[Check] = []


def register(*checks: Check) -> None:
    """Add an app's checks to the data review (in the order given)."""
    for item in checks:
        if item.code in {c.code for c in _checks if c is not item}:
            raise ValueError(f"Data-review check {item.code!r} is declared twice.")
        if item not in _checks:
            _checks.append(item)


def checks() -> tuple[Check, ...]:
    return tuple(_checks)


def check(code: str) -> Check | None:
    return next((c for c in checks() if c.code == code), None)


def review(access: Access, today: date | None = None) -> list[dict]:
    """Each check the account may see: its count, and its list's address when
    the account may open that list (one count query per check)."""
    today = today or timezone.localdate()
    found = []
    for item in checks():
        if not access.can(item.perm):
            continue
        found.append({
            "check": item,
            "count": item.rows(access, today).order_by().count(),
            "url": item.url() if access.can(item.list_perm) else "",
        })
    return found


def _choices(list_name: str) -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in checks() if c.list_name == list_name]


def _apply(queryset, name, value):
    item = check(value)
    return queryset.filter(item.condition(timezone.localdate())) if item else queryset


class IssueFilter(django_filters.ChoiceFilter):
    """The ``issue`` filter of a list: the rows of one of the list's checks."""

    def __init__(self, list_name: str, **kwargs):
        kwargs.setdefault("label", _("Needs review"))
        kwargs.setdefault("empty_label", _("All"))
        super().__init__(choices=lambda: _choices(list_name), method=_apply, **kwargs)


@register_reminders
def collect(day: date):
    """The weekly reminder of the data review (core.notifications): on Mondays,
    each officer who enters data is told how many records in their scope need
    review (a count only, never a name)."""
    if day.weekday() != REMINDER_WEEKDAY:
        return []
    reminders = []
    week = day.isocalendar()
    url = reverse("core:data_review")
    for user in User.objects.filter(is_active=True).prefetch_related("zones"):
        access = access_for(user)
        if not any(access.can(perm) for perm in REMINDED_PERMS):
            continue
        total = sum(row["count"] for row in review(access, day))
        if total:
            reminders.append(Reminder(
                key=f"data-review:{week.year}-{week.week}", url=url, recipients=(user,),
                title=ngettext("%(count)d record in your scope needs review",
                               "%(count)d records in your scope need review", total)
                % {"count": total}))
    return reminders
