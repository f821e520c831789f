"""Daily reminders of party development and plan work (collected by core.notifications).

Plan tasks go to their owner (or, without one, to the officers of the lead
side). Admission deadlines, expiring certificates and recognitions concern
personal data: they go to the Party Committee officers who work on them, as
one digest per subject with counts only, so no name travels by e-mail.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.policy import Perm
from core.notifications import Reminder, accounts_with, register_reminders

from .calendar import add_months
from .cycle.reminders import collect as correspondence_reminders
from .models import AdmissionCandidate, CoordinationPlan, PartyMember, PlanTask
from .selectors import overdue_condition, recognition_pending

DUE_WITHIN_DAYS = 7
CERTIFICATE_WARNING_DAYS = 30
RECOGNITION_WARNING_DAYS = 7


@register_reminders
def collect(today: date) -> list[Reminder]:
    reminders = list(_tasks(today))
    reminders += correspondence_reminders(today)
    pc_officers = accounts_with(Perm.EDIT_PARTY_DEVELOPMENT)
    if pc_officers:
        reminders += _candidate_digests(today, tuple(pc_officers))
    return reminders


def _tasks(today: date):
    soon = today + timedelta(days=DUE_WITHIN_DAYS)
    tasks = (PlanTask.objects.filter(plan__status=CoordinationPlan.Status.APPROVED,
                                     status__in=[PlanTask.Status.NOT_STARTED,
                                                 PlanTask.Status.IN_PROGRESS],
                                     due_on__lte=soon)
             .select_related("owner", "plan"))
    side_officers = {}
    for task in tasks:
        if task.owner_id:
            recipients = (task.owner,)
        else:
            perm = Perm.EDIT_PLANS if task.lead_side == PlanTask.LeadSide.PARTY_COMMITTEE else (
                Perm.WORK_IZ_TASKS if task.lead_side == PlanTask.LeadSide.IZ_BOARD else None)
            if perm not in side_officers:
                side_officers[perm] = tuple(
                    accounts_with(perm) if perm else
                    accounts_with(Perm.EDIT_PLANS) + accounts_with(Perm.WORK_IZ_TASKS))
            recipients = side_officers[perm]
        overdue = task.due_on < today
        title = (_("Overdue plan task (due %(date)s): %(task)s") if overdue
                 else _("Plan task due %(date)s: %(task)s")) % {
            "date": task.due_on.strftime("%d/%m/%Y"), "task": _shorten(task.content)}
        yield Reminder(key=f"plantask:{task.pk}:{'overdue' if overdue else 'due'}", title=title,
                       url=task.plan.get_absolute_url(), body=str(task.plan),
                       recipients=recipients)


def _candidate_digests(today: date, recipients: tuple):
    open_cases = AdmissionCandidate.objects.filter(closed_on__isnull=True, ceremony_on__isnull=True)
    late = open_cases.filter(overdue_condition(today)).count()
    soon = (open_cases.filter(overdue_condition(today + timedelta(days=DUE_WITHIN_DAYS + 1)))
            .exclude(overdue_condition(today)).count())
    pipeline = reverse("coordination:candidate_list")
    if late:
        yield Reminder(
            key="candidates:overdue", recipients=recipients, url=f"{pipeline}?overdue=yes",
            title=ngettext("%(count)d admission case is past its deadline (decision or ceremony)",
                           "%(count)d admission cases are past their deadline (decision or ceremony)",
                           late) % {"count": late})
    if soon:
        yield Reminder(
            key="candidates:due", recipients=recipients, url=pipeline,
            title=ngettext("%(count)d admission case reaches its deadline within 7 days",
                           "%(count)d admission cases reach their deadline within 7 days",
                           soon) % {"count": soon})
    expiring_by = add_months(today + timedelta(days=CERTIFICATE_WARNING_DAYS),
                             -AdmissionCandidate.CERTIFICATE_VALID_MONTHS)
    certificates = open_cases.filter(course_completed_on__lte=expiring_by,
                                     cell_resolution_on__isnull=True).count()
    if certificates:
        yield Reminder(
            key="candidates:certificates", recipients=recipients, url=pipeline,
            title=ngettext("%(count)d course certificate has expired or expires within 30 days "
                           "before the cell resolution",
                           "%(count)d course certificates have expired or expire within 30 days "
                           "before the cell resolution", certificates) % {"count": certificates})
    due = PartyMember.objects.filter(
        recognition_pending(by=today + timedelta(days=RECOGNITION_WARNING_DAYS))).count()
    if due:
        yield Reminder(
            key="members:recognition", recipients=recipients,
            url=reverse("coordination:recognition_due"),
            title=ngettext("%(count)d probationary member is due or overdue for recognition",
                           "%(count)d probationary members are due or overdue for recognition",
                           due) % {"count": due})


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
