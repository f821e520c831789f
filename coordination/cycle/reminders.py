"""Daily reminders of replies due (collected through coordination.reminders).

A letter whose reply is due within 7 days, or overdue, is reminded every
day until it is answered, to the officers of the body that answers for the
reply (:func:`rules.responsible_side`) who may see the letter: the Party
Committee's officers (Perm.EDIT_PLANS), or the IZ Board's officers who
record letters (Perm.RECORD_CORRESPONDENCE) and whose zones it concerns. A
letter the IZ Board's officers may not see (one with personal data) goes to
the Party Committee's officers; its subject never travels by e-mail.

Conclusions are plan tasks: the plan tasks' reminders cover them.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Perm, access_for
from core.notifications import Reminder, accounts_with

from . import rules
from .models import Correspondence

DUE_WITHIN_DAYS = 7


def collect(today: date) -> list[Reminder]:
    letters = list(Correspondence.objects.filter(
        replied_on__isnull=True, reply_due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS))
        .prefetch_related("enterprises").order_by("reply_due_on", "pk"))
    if not letters:
        return []
    party = tuple(accounts_with(Perm.EDIT_PLANS))
    iz_board = [u for u in accounts_with(Perm.RECORD_CORRESPONDENCE)
                if u.organization == User.Organization.IZ_BOARD]
    reminders = []
    for letter in letters:
        zones = [e.zone_id for e in letter.enterprises.all()]
        recipients = party
        if rules.responsible_side(letter.direction) == User.Organization.IZ_BOARD:
            recipients = tuple(u for u in iz_board
                               if rules.may_see_correspondence(access_for(u), letter, zones)) \
                or party
        overdue = letter.reply_due_on < today
        what = letter.number if letter.personal_data else f"{letter.number} · {_shorten(letter.subject)}"
        title = (_("Reply overdue (due %(date)s): %(letter)s") if overdue
                 else _("Reply due %(date)s: %(letter)s")) % {
            "date": letter.reply_due_on.strftime("%d/%m/%Y"), "letter": what}
        reminders.append(Reminder(
            key=f"correspondence:{letter.pk}:{'overdue' if overdue else 'due'}", title=title,
            url=letter.get_absolute_url(), body=str(letter.get_direction_display()),
            recipients=recipients))
    return reminders


def _shorten(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
