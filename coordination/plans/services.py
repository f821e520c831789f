"""Every write of committees and coordination plans goes through these
functions: the access check (``actor=None`` is the system: seed data, tests),
the state machine and the rules.

The state machine: draft → approved → closed. Targets change only while the
plan is a draft; tasks are added and corrected until the plan closes, and
their progress is recorded while it is approved. Who may do what is in
:mod:`coordination.plans.rules`.

A service never changes the instance it is given: it reads the row again,
locked until the end of the transaction, and checks and writes that copy, so
the caller's object still shows what was there before, whatever the outcome
(a view re-renders its form with it). Updates return the names of the fields
that changed; approve and close return the plan as it now is.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import Perm, access_for, require_perm
from core import attachments
from core.services import assign_fields

from ..models import Committee, CommitteeMember, CoordinationPlan, PlanTarget, PlanTask
from .rules import OWNER_ORGANIZATIONS, LeadSide, PlanStatus, TaskStatus, indicator_choices, may_work_task

COMMITTEE_FIELDS = ("kind", "name", "decision_number", "decided_on", "term_start", "term_end",
                    "duties")
COMMITTEE_MEMBER_FIELDS = ("full_name", "organization", "title", "position", "body",
                           "serves_from", "serves_until", "order")
PLAN_FIELDS = ("year", "title", "document_number", "signed_on", "summary")
TARGET_FIELDS = ("indicator", "zone", "target_value", "note")
TASK_FIELDS = ("content", "lead_side", "coordinating_units", "owner", "due_on")
PROGRESS_FIELDS = ("status", "completed_on", "cancelled_on", "result")


def _save(obj, changed=None):
    obj.full_clean()
    if obj.pk is None or changed is None:
        obj.save()
    else:
        obj.save(update_fields=sorted(set(changed)))
    return obj


def _locked_plan(plan: CoordinationPlan) -> CoordinationPlan:
    """A fresh copy of ``plan``, its row locked until the end of the
    transaction (two leaders clicking at once approve it once)."""
    return CoordinationPlan.objects.select_for_update().get(pk=plan.pk)


def _locked_target(target: PlanTarget) -> PlanTarget:
    target = PlanTarget.objects.select_for_update().get(pk=target.pk)
    target.plan = _locked_plan(target.plan)
    return target


def _locked_task(task: PlanTask) -> PlanTask:
    task = PlanTask.objects.select_for_update().get(pk=task.pk)
    task.plan = _locked_plan(task.plan)
    return task


# --- Committees -----------------------------------------------------------------------------


@transaction.atomic
def committee_create(*, actor=None, data: dict, members: list[dict]) -> Committee:
    """Record a composition (decision, term) with its members."""
    require_perm(actor, Perm.EDIT_PLANS)
    committee = Committee()
    assign_fields(committee, data, COMMITTEE_FIELDS)
    _save(committee)
    _save_members(committee, members)
    return committee


@transaction.atomic
def committee_update(*, actor=None, committee: Committee, data: dict,
                     members: list[dict]) -> list[str]:
    """Correct a composition. ``members`` is the whole list: a row with a
    ``pk`` updates that member, one without adds a member, and a member left
    out is removed (the history keeps it)."""
    require_perm(actor, Perm.EDIT_PLANS)
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    changed = assign_fields(committee, data, COMMITTEE_FIELDS)
    if changed:
        _save(committee, changed)
    if _save_members(committee, members):
        changed.append("members")
    return changed


def _save_members(committee: Committee, members: list[dict]) -> bool:
    if not members:
        raise ValidationError(_("A composition has at least one member."))
    existing = {m.pk: m for m in committee.members.all()}
    kept, changed = set(), False
    for index, row in enumerate(members):
        row = dict(row)
        pk = row.pop("pk", None)
        row.setdefault("order", index + 1)
        member = existing.get(pk) if pk else None
        if pk and member is None:
            raise ValidationError(_("This member belongs to another composition."))
        if member is None:
            member = CommitteeMember(committee=committee)
            assign_fields(member, row, COMMITTEE_MEMBER_FIELDS)
            _save(member)
            changed = True
        else:
            kept.add(pk)
            fields = assign_fields(member, row, COMMITTEE_MEMBER_FIELDS)
            if fields:
                _save(member, fields)
                changed = True
    for pk, member in existing.items():
        if pk not in kept:
            if member.meetings_attended.exists() or member.meetings_chaired.exists():
                raise ValidationError(_(
                    "%(name)s attended meetings of this composition and stays in it: give "
                    "the date they left instead.") % {"name": member.full_name})
            member.delete()
            changed = True
    return changed


# --- Plans ------------------------------------------------------------------------------------


def _not_closed(plan: CoordinationPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("This plan is closed: it can no longer be changed."))


def _check_signed_on(plan: CoordinationPlan) -> None:
    if plan.signed_on and plan.signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("This date is in the future.")})


@transaction.atomic
def plan_create(*, actor=None, data: dict) -> CoordinationPlan:
    """Draft the plan of a year (one plan per year)."""
    require_perm(actor, Perm.EDIT_PLANS)
    plan = CoordinationPlan(status=PlanStatus.DRAFT)
    assign_fields(plan, data, PLAN_FIELDS)
    _check_signed_on(plan)
    return _save(plan)


@transaction.atomic
def plan_update(*, actor=None, plan: CoordinationPlan, data: dict) -> list[str]:
    """Correct a plan's heading until it closes; its year only while a draft."""
    require_perm(actor, Perm.EDIT_PLANS)
    plan = _locked_plan(plan)
    _not_closed(plan)
    changed = assign_fields(plan, data, PLAN_FIELDS)
    if "year" in changed and not plan.is_draft:
        raise ValidationError({"year": _("The year of an approved plan cannot change.")})
    if changed:
        _check_signed_on(plan)
        _save(plan, changed)
    return changed


@transaction.atomic
def plan_approve(*, actor, plan: CoordinationPlan) -> CoordinationPlan:
    """A Party Committee leader approves a draft; who and when are recorded.

    A plan with neither a target nor a task has nothing to approve.
    """
    require_perm(actor, Perm.APPROVE_PLANS)
    plan = _locked_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be approved."))
    if not plan.targets.exists() and not plan.tasks.exists():
        raise ValidationError(_("Add the plan's targets and tasks before approving it."))
    plan.status = PlanStatus.APPROVED
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    return _save(plan, ["status", "approved_by", "approved_at"])


@transaction.atomic
def plan_close(*, actor, plan: CoordinationPlan) -> CoordinationPlan:
    """A Party Committee leader closes an approved plan (the year's review);
    nothing of it changes afterwards."""
    require_perm(actor, Perm.APPROVE_PLANS)
    plan = _locked_plan(plan)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Only an approved plan can be closed."))
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    return _save(plan, ["status", "closed_at"])


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def plan_copy(*, actor=None, source: CoordinationPlan, year: int | None = None
              ) -> CoordinationPlan:
    """Start the plan of ``year`` (default: the year after ``source``) as a
    draft copy of ``source``: the same targets, and the same tasks with their
    due dates moved by the difference of years and their progress reset.

    Refused when that year already has a plan.
    """
    require_perm(actor, Perm.EDIT_PLANS)
    year = year or source.year + 1
    existing = CoordinationPlan.objects.filter(year=year).first()
    if existing is not None:
        raise ValidationError(_("The year %(year)s already has a coordination plan (“%(title)s”)."
                                ) % {"year": year, "title": existing.title})
    title = source.title.replace(str(source.year), str(year))
    if title == source.title:
        title = f"{source.title} ({year})"
    plan = _save(CoordinationPlan(year=year, title=title[:255], summary=source.summary,
                                  status=PlanStatus.DRAFT, copied_from=source))
    for target in source.targets.order_by("order", "pk"):
        _save(PlanTarget(plan=plan, indicator=target.indicator, zone_id=target.zone_id,
                         target_value=target.target_value, note=target.note,
                         order=target.order))
    years = year - source.year
    for task in source.tasks.select_related("owner").order_by("order", "pk"):
        owner = task.owner if task.owner_id and task.owner.is_active else None
        _save(PlanTask(plan=plan, content=task.content, lead_side=task.lead_side,
                       coordinating_units=task.coordinating_units, owner=owner,
                       due_on=_add_years(task.due_on, years), order=task.order))
    return plan


# --- Targets ----------------------------------------------------------------------------------


def _draft_only(plan: CoordinationPlan) -> None:
    if not plan.is_draft:
        raise ValidationError(_("Targets are changed only while the plan is a draft."))


def _check_target(target: PlanTarget) -> None:
    codes = {code for code, _label in indicator_choices()}
    if target.indicator not in codes:
        raise ValidationError({"indicator": _("Choose an indicator of the catalogue.")})
    if target.target_value is not None and target.target_value < 1:
        raise ValidationError({"target_value": _("A target is at least 1.")})


def _next_order(queryset) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def target_create(*, actor=None, plan: CoordinationPlan, data: dict) -> PlanTarget:
    """Add a target (an indicator of the catalogue, for the province or one
    zone) to a draft plan."""
    require_perm(actor, Perm.EDIT_PLANS)
    _draft_only(_locked_plan(plan))
    target = PlanTarget(plan=plan, order=_next_order(plan.targets))
    assign_fields(target, data, TARGET_FIELDS)
    _check_target(target)
    return _save(target)


@transaction.atomic
def target_update(*, actor=None, target: PlanTarget, data: dict) -> list[str]:
    """Correct a target of a draft plan."""
    require_perm(actor, Perm.EDIT_PLANS)
    target = _locked_target(target)
    _draft_only(target.plan)
    changed = assign_fields(target, data, TARGET_FIELDS)
    if changed:
        _check_target(target)
        _save(target, changed)
    return changed


@transaction.atomic
def target_delete(*, actor=None, target: PlanTarget) -> None:
    """Remove a target of a draft plan."""
    require_perm(actor, Perm.EDIT_PLANS)
    target = _locked_target(target)
    _draft_only(target.plan)
    target.delete()


# --- Tasks ------------------------------------------------------------------------------------


def _check_owner(task: PlanTask) -> None:
    """The owner is an account of the side that leads the task."""
    if task.owner_id is None or not task.lead_side:
        return
    if task.owner.organization not in OWNER_ORGANIZATIONS.get(task.lead_side, set()):
        raise ValidationError({"owner": _(
            "The owner must be an account of the body that leads the task (%(side)s)."
        ) % {"side": LeadSide(task.lead_side).label}})


@transaction.atomic
def task_create(*, actor=None, plan: CoordinationPlan, data: dict) -> PlanTask:
    """Add a task to a plan that is not closed; it starts not started."""
    require_perm(actor, Perm.EDIT_PLANS)
    _not_closed(_locked_plan(plan))
    task = PlanTask(plan=plan, order=_next_order(plan.tasks))
    assign_fields(task, data, TASK_FIELDS)
    _check_owner(task)
    return _save(task)


@transaction.atomic
def task_update(*, actor=None, task: PlanTask, data: dict) -> list[str]:
    """Correct a task's content, lead, units, owner or due date until the plan
    closes (its progress goes through :func:`task_progress_update`)."""
    require_perm(actor, Perm.EDIT_PLANS)
    task = _locked_task(task)
    _not_closed(task.plan)
    changed = assign_fields(task, data, TASK_FIELDS)
    if changed:
        _check_owner(task)
        _save(task, changed)
    return changed


@transaction.atomic
def task_delete(*, actor=None, task: PlanTask) -> None:
    """Remove a task of a draft; once approved, a task is cancelled instead."""
    require_perm(actor, Perm.EDIT_PLANS)
    task = _locked_task(task)
    if not task.plan.is_draft:
        raise ValidationError(_("Once the plan is approved a task is not removed: mark it "
                                "cancelled."))
    task.delete()


@transaction.atomic
def task_progress_update(*, actor, task: PlanTask, status: str,
                         completed_on: date | None = None, result: str = "",
                         uploads=(), cancelled_on: date | None = None) -> list[str]:
    """Record a task's progress while its plan is approved: status,
    completion date (kept only for a done task, never in the future), result
    and files; cancelling records the day (``cancelled_on``, today unless
    given, never in the future; kept while the task stays cancelled). Party
    Committee officers work any task, IZ Board officers the tasks the IZ Board
    leads or shares (PermissionDenied otherwise)."""
    task = _locked_task(task)
    if actor is not None and not may_work_task(access_for(actor), task):
        raise PermissionDenied
    if task.plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Tasks are updated while the plan is approved."))
    if status != TaskStatus.DONE:
        completed_on = None
    elif completed_on is None:
        raise ValidationError({"completed_on": _("Give the date the task was completed.")})
    elif completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("This date is in the future.")})
    # A cancelled task keeps the day it was cancelled (the day it is
    # recorded), so past periods still count it as it was before.
    if status != TaskStatus.CANCELLED:
        cancelled_on = None
    elif cancelled_on is None:
        cancelled_on = task.cancelled_on if task.status == TaskStatus.CANCELLED \
            else timezone.localdate()
    elif cancelled_on > timezone.localdate():
        raise ValidationError({"cancelled_on": _("This date is in the future.")})
    changed = assign_fields(task, {"status": status, "completed_on": completed_on,
                                   "cancelled_on": cancelled_on, "result": result},
                            PROGRESS_FIELDS)
    if changed:
        _save(task, changed)
    uploads = list(uploads or ())
    if uploads:
        try:
            attachments.attach(task, uploads, user=actor)
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from exc
        changed.append("attachments")
    return changed
