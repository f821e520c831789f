"""The working cycle's figures: meetings held, conclusions done and overdue,
replies overdue (see core.indicators).

They are not rows of DESIGN §5's table (``catalogue=False``): the
dashboard and the regulation's page show them, the periodic workbook does
not. Meetings, conclusions and letters concern both bodies and no zone in
particular (``zone=None``): their figures are the province's.

Each is a condition on one model's rows and depends only on facts dated on
or before the period's end (history holds), except that a task cancelled
has no date: it is left out of every period.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import indicators

from ..plans.rules import PlanStatus
from .models import Conclusion, Correspondence, Meeting


@indicators.register(
    code="meetings_held", kind=indicators.FLOW, catalogue=False, zone=None, source=Meeting,
    label="Cuộc họp, hội nghị đã tổ chức",
    description=_("Meetings of the steering committee and the working group, and joint "
                  "conferences, held within the period."))
def meetings_held(period):
    return Q(held_on__range=(period.start, period.end))


@indicators.register(
    code="conclusions_done", kind=indicators.FLOW, catalogue=False, zone=None,
    source=Conclusion,
    label="Kết luận đã thực hiện xong",
    description=_("Conclusions of meetings whose plan task was completed within the "
                  "period."))
def conclusions_done(period):
    return Q(task__status="done", task__completed_on__range=(period.start, period.end))


@indicators.register(
    code="conclusions_overdue", kind=indicators.STOCK, catalogue=False, zone=None,
    source=Conclusion,
    label="Kết luận quá hạn",
    description=_("Conclusions past their due date at the end of the period and not done "
                  "by then: not yet a plan task, or a task of an approved plan not "
                  "completed then (a task cancelled by then is not counted)."))
def conclusions_overdue(period):
    end = period.end
    without_task = Q(task__isnull=True, due_on__lt=end)
    open_task = (Q(task__isnull=False, task__due_on__lt=end)
                 & (Q(task__cancelled_on__isnull=True) | Q(task__cancelled_on__gt=end))
                 & ~Q(task__plan__status=PlanStatus.DRAFT)
                 & (Q(task__completed_on__isnull=True) | Q(task__completed_on__gt=end))
                 & (Q(task__plan__closed_at__isnull=True)
                    | Q(task__plan__closed_at__date__gt=end)))
    return without_task | open_task


@indicators.register(
    code="replies_overdue", kind=indicators.STOCK, catalogue=False, zone=None,
    source=Correspondence,
    label="Công văn quá hạn trả lời",
    description=_("Letters whose reply was due before the end of the period and had not "
                  "been sent by then."))
def replies_overdue(period):
    end = period.end
    return Q(reply_due_on__lt=end) & (Q(replied_on__isnull=True) | Q(replied_on__gt=end))
