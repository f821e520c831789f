"""Daily reminders of survey follow-up actions (collected by core.notifications).

Each open follow-up due within 7 days or overdue goes to its owner, or to the
account that recorded the visit when it has no owner, and only while that
account still sees the enterprise's zone.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from accounts.policy import Perm, access_for
from core.notifications import Reminder, register_reminders

from .models import FollowUp

DUE_WITHIN_DAYS = 7


@register_reminders
def collect(today: date) -> list[Reminder]:
    follow_ups = (FollowUp.objects.filter(done_on__isnull=True,
                                          due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS))
                  .select_related("owner", "visit__recorded_by", "visit__enterprise"))
    reminders = []
    for item in follow_ups:
        recipient = item.owner or item.visit.recorded_by
        access = access_for(recipient)
        if not (access.can(Perm.VIEW_SURVEYS) and access.sees_zone(item.visit.enterprise.zone_id)):
            continue
        overdue = item.due_on < today
        title = (_("Overdue survey follow-up (due %(date)s) at %(enterprise)s: %(action)s") if overdue
                 else _("Survey follow-up due %(date)s at %(enterprise)s: %(action)s")) % {
            "date": item.due_on.strftime("%d/%m/%Y"), "enterprise": item.visit.enterprise.name,
            "action": item.action[:120]}
        reminders.append(Reminder(
            key=f"followup:{item.pk}:{'overdue' if overdue else 'due'}", title=title,
            url=item.visit.get_absolute_url(), recipients=(recipient,)))
    return reminders
