"""Who may see and work what in the coordination plans, and their labels.

Who may do what (``accounts.policy``):

- everyone with Perm.VIEW_PLANS sees committees and the approved or closed
  plans; a draft is the Party Committee's working document, seen only by
  accounts that draft or approve plans (a draft answers 404 to the others);
- Party Committee officers (Perm.EDIT_PLANS) keep committees, plans, targets
  and tasks, and record the progress of any task;
- a Party Committee leader (Perm.APPROVE_PLANS) approves and closes plans;
- IZ Board officers (Perm.WORK_IZ_TASKS) record the progress of the tasks the
  IZ Board leads or shares, and only those (another task answers 404);
- targets of a zone outside an account's zones are not shown to it.

These predicates take an :class:`Access` and plain rows and run no query;
the selectors turn them into querysets (:mod:`coordination.plans.selectors`).
``reports`` is imported inside functions only (DESIGN §2's one exception).
"""

from __future__ import annotations

import calendar
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.policy import Access, Perm
from core.indicators import CATALOGUE, INDICATORS, Kind
from core.periods import YEAR, Period

from ..models import CoordinationPlan, PlanTask

PlanStatus = CoordinationPlan.Status
TaskStatus = PlanTask.Status
LeadSide = PlanTask.LeadSide

OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
# Grouping of the tasks on a plan's page, in the order work moves.
TASK_GROUPS = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE,
               TaskStatus.CANCELLED)
# Plans a frozen document (a report) may carry: never a draft.
PUBLISHED_STATUSES = (PlanStatus.APPROVED, PlanStatus.CLOSED)
# A smaller figure is the goal here: "on track" (more is better) would mislead.
NOT_TARGETABLE = frozenset({"enterprises_without_party_org"})
# The organization whose accounts may own a task of each lead side.
OWNER_ORGANIZATIONS = {
    LeadSide.PARTY_COMMITTEE: {User.Organization.PARTY_COMMITTEE},
    LeadSide.IZ_BOARD: {User.Organization.IZ_BOARD},
    LeadSide.BOTH: {User.Organization.PARTY_COMMITTEE, User.Organization.IZ_BOARD},
}


# --- Labels -----------------------------------------------------------------------------


def plan_status_label(plan: CoordinationPlan) -> str:
    return str(plan.get_status_display())


def indicator_label(code: str) -> str:
    indicator = INDICATORS.get(code)
    return indicator.label if indicator else code


def indicator_choices() -> list[tuple[str, str]]:
    """The catalogue's indicators a target may use, in the catalogue's order."""
    return [(i.code, i.label) for i in CATALOGUE if i.code not in NOT_TARGETABLE]


# --- Access -----------------------------------------------------------------------------


def sees_drafts(access: Access | None) -> bool:
    """Drafts are seen by the accounts that write or approve them; never by
    a frozen document (``access=None``: a report)."""
    if access is None:
        return False
    return access.can(Perm.EDIT_PLANS) or access.can(Perm.APPROVE_PLANS)


def may_see_plan(access: Access | None, plan: CoordinationPlan) -> bool:
    return plan.status in PUBLISHED_STATUSES or sees_drafts(access)


def may_work_task(access: Access, task: PlanTask) -> bool:
    """Whether ``access`` may record ``task``'s progress (status, completion,
    result, files): Party Committee officers any task, IZ Board officers the
    tasks the IZ Board leads or shares."""
    if access.can(Perm.EDIT_PLANS):
        return True
    return access.can(Perm.WORK_IZ_TASKS) and task.is_iz_side


def may_work_tasks(access: Access) -> bool:
    return access.can(Perm.EDIT_PLANS) or access.can(Perm.WORK_IZ_TASKS)


def target_zone_visible(access: Access, zone_id: int | None) -> bool:
    """On the plan's pages: targets for the province, and those of the
    account's zones."""
    return zone_id is None or access.sees_zone(zone_id)


def target_in_figures(access: Access, zone_id: int | None,
                      chosen_zone_id: int | None = None) -> bool:
    """Where figures are shown for a scope (the dashboard, a report): a
    target whose actual is a figure of that scope. A province-wide target
    needs the whole province (an all-zone account, no zone chosen); a zone's
    target needs the zone in the account's scope and, when a zone is chosen,
    to be that zone."""
    if zone_id is None:
        return access.all_zones and chosen_zone_id is None
    return access.sees_zone(zone_id) and chosen_zone_id in (None, zone_id)


def task_is_overdue(task: PlanTask, today: date) -> bool:
    """Open past its due date in an approved plan (a draft's tasks have not
    started; a closed plan's are history)."""
    return task.plan.status == PlanStatus.APPROVED and task.is_overdue_on(today)


# --- Targets: on track ------------------------------------------------------------------

# The states of a target (selectors.TargetProgress.state), as pages show them.
TARGET_STATES = {
    "achieved": pgettext_lazy("target state", "Achieved"),
    "on_track": _("On track"),
    "behind": _("Behind schedule"),
    "missed": _("Not achieved"),
    "unknown": _("Not measured yet"),
}


def elapsed_fraction(year: int, today: date) -> Fraction:
    """How much of ``year`` has passed at ``today``, today included: 0 before
    the year, 1 after it (exact, so a comparison never suffers rounding)."""
    if today.year < year:
        return Fraction(0)
    if today.year > year:
        return Fraction(1)
    days = 366 if calendar.isleap(year) else 365
    return Fraction(today.timetuple().tm_yday, days)


def expected_actual(*, kind: Kind, target: int, year: int, today: date,
                    baseline: int | None = None) -> Fraction | None:
    """What a target's actual must have reached at ``today`` to be on track
    (DESIGN §3), exact; the elapsed share is :func:`elapsed_fraction`.

    - A **flow** indicator (counted within the period: admitted, founded...):
      the elapsed share of the target.
    - A **stock** indicator (a total at a date: members, organizations...):
      its ``baseline``, the figure on 1 January (:func:`baseline_period`),
      plus the elapsed share of the way from there to the target. A target at
      or below the baseline needs the target itself, all year long.

    ``None`` for a stock target whose baseline cannot be computed.
    """
    fraction = elapsed_fraction(year, today)
    if kind == Kind.FLOW:
        return target * fraction
    if baseline is None:
        return None
    if target <= baseline:
        return Fraction(target)
    return baseline + (target - baseline) * fraction


def is_on_track(*, actual: int | None, target: int, year: int, today: date, kind: Kind,
                baseline: int | None = None) -> bool | None:
    """The one definition of "on track" (DESIGN §3): the actual has reached
    :func:`expected_actual`, so a flow needs the target × the elapsed fraction
    of the plan's year, and a stock its baseline + the elapsed fraction × (target
    − baseline) (``actual − baseline ≥ elapsed × (target − baseline)``); a past
    year needs 100 % either way. ``None`` when the actual, or a stock's
    baseline, cannot be computed."""
    if actual is None:
        return None
    expected = expected_actual(kind=kind, target=target, year=year, today=today,
                               baseline=baseline)
    if expected is None:
        return None
    return actual >= expected


def baseline_period(year: int) -> Period:
    """The period whose figure is a stock target's baseline, "its value on
    1 January" of ``year``: the whole previous year, so the figure at the end
    of 31 December before, when nothing of ``year`` has happened yet (a fact
    dated 1 January counts toward the year). A stock's figure depends on its
    period's end only (history holds), so this is also the figure last
    year's annual report gives."""
    return Period.of(YEAR, year - 1)


# --- Attachment rules (registered in apps.ready) ----------------------------------------


def attachment_can_view(access: Access, task: PlanTask) -> bool:
    if not access.can(Perm.VIEW_PLANS):
        return False
    return may_see_plan(access, task.plan)


def attachment_can_edit(access: Access, task: PlanTask) -> bool:
    return task.plan.status == PlanStatus.APPROVED and may_work_task(access, task)
