"""In-app notifications (the bell) and their e-mails.

:func:`notify` is the one way to create notifications: it creates at most one
per (recipient, key, day), so calling it twice with the same key on the same
day does nothing the second time, and returns only the notifications it
created (the ones to e-mail).

The daily reminder job calls every ``collect(day)`` the apps registered with
:func:`register_reminders` (from their ``reminders`` module, found by
core.registry), which yields :class:`Reminder` items; each is addressed to
accounts the app chose with the policy, so nobody is told about what their
role may not see.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import access_for

from .models import Notification

logger = logging.getLogger(__name__)

_collectors: list[Callable[[date], Iterable]] = []


@dataclass(frozen=True)
class Reminder:
    """One thing to remind ``recipients`` of (accounts), identified by ``key``."""

    key: str
    title: str
    url: str = ""
    body: str = ""
    recipients: tuple = ()


def notify(recipients: Iterable, *, key: str, title: str, url: str = "", body: str = "",
           day: date | None = None, include_inactive: bool = False) -> list[Notification]:
    """Create the notification for each recipient that does not have it today
    (active accounts only, unless ``include_inactive``: a deactivated account
    is still told by e-mail that it was)."""
    day = day or timezone.localdate()
    created = []
    for user in recipients:
        if not (user.is_active or include_inactive):
            continue
        try:
            with transaction.atomic():
                notification, was_created = Notification.objects.get_or_create(
                    recipient=user, key=key[:100], day=day,
                    defaults={"title": title[:255], "url": url[:255], "body": body},
                )
        except IntegrityError:  # another job created it at the same instant
            continue
        if was_created:
            created.append(notification)
    return created


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (once: the first reading time is kept)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, recipient) -> int:
    """Mark every unread notification of ``recipient`` read; returns how many."""
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now())


def register_reminders(collect: Callable[[date], Iterable[Reminder]]):
    """Add ``collect(day)`` to the daily reminder job (usable as a decorator)."""
    if collect not in _collectors:
        _collectors.append(collect)
    return collect


def collect_reminders(day: date) -> list[Reminder]:
    reminders: list[Reminder] = []
    for collect in _collectors:
        reminders.extend(collect(day))
    return reminders


def send_reminders(day: date | None = None) -> dict:
    """The daily job: create today's notifications and e-mail each person the
    new ones in one message. Idempotent per day."""
    day = day or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        created: list[Notification] = []
        for reminder in collect_reminders(day):
            created += notify(reminder.recipients, key=reminder.key, title=reminder.title,
                              url=reminder.url, body=reminder.body, day=day)
        emailed = email_new(created)
    logger.info("reminders: %d notifications created, %d e-mails sent", len(created), emailed)
    return {"created": len(created), "emailed": emailed}


def email_new(notifications: list[Notification], *, subject: str = "",
              intro: str = "") -> int:
    """One e-mail per recipient listing their new notifications; marks them
    emailed. ``subject`` and ``intro`` replace the daily reminders' own."""
    by_user = defaultdict(list)
    for notification in notifications:
        if notification.recipient.email:
            by_user[notification.recipient].append(notification)
    sent = 0
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for user, items in by_user.items():
        title = subject or _("Reminders for %(date)s: %(count)s items") % {
            "date": items[0].day.strftime("%d/%m/%Y"), "count": len(items)}
        body = render_to_string("core/email/reminders.txt",
                                {"user": user, "items": items, "base": base, "intro": intro})
        try:
            send_mail(title, body, None, [user.email])
        except OSError:
            # The notifications stay in the bell; the e-mail is retried tomorrow with the rest.
            logger.warning("reminders: e-mail to account %s failed", user.pk)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(
            emailed_at=timezone.now())
        sent += 1
    return sent


def accounts_with(perm, *, zone_id=None, users=None) -> list:
    """Active accounts the policy grants ``perm`` (and, if given, that see ``zone_id``)."""
    if users is None:
        users = User.objects.filter(is_active=True).prefetch_related("zones")
    chosen = []
    for user in users:
        access = access_for(user)
        if access.can(perm) and (zone_id is None or access.sees_zone(zone_id)):
            chosen.append(user)
    return chosen
