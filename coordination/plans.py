"""Committees and the annual coordination plan: services and selectors.

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

The state machine: draft → approved → closed. Targets change only while the
plan is a draft; tasks are added and corrected until the plan closes, and
their progress is recorded while it is approved. A target's actual is never
typed: it is the catalogue's figure for the plan's year up to today
(:func:`target_actual`), the same figure the overview shows.

``actor=None`` means the system (seed data, tests): no access check.
The catalogue is core's (core.indicators), filled by the apps' indicators.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Access, Perm, access_for
from core import attachments
from core.indicators import CATALOGUE, INDICATORS, Scope, get
from core.models import Attachment
from core.periods import Period
from core.services import assign_fields

from .models import Committee, CommitteeMember, CoordinationPlan, PlanTarget, PlanTask

PlanStatus = CoordinationPlan.Status
TaskStatus = PlanTask.Status
LeadSide = PlanTask.LeadSide

COMMITTEE_FIELDS = ("kind", "name", "decision_number", "decided_on", "term_start", "term_end",
                    "duties")
COMMITTEE_MEMBER_FIELDS = ("full_name", "organization", "title", "position", "order")
PLAN_FIELDS = ("year", "title", "document_number", "signed_on", "summary")
TARGET_FIELDS = ("indicator", "zone", "target_value", "note")
TASK_FIELDS = ("content", "lead_side", "coordinating_units", "owner", "due_on")
PROGRESS_FIELDS = ("status", "completed_on", "result")

# The model's label "Closed" is shared with closed admission cases ("stopped
# following"); a closed plan has ended.
def plan_status_label(plan: CoordinationPlan) -> str:
    return str(plan.get_status_display())


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
# Grouping of the tasks on a plan's page, in the order work moves.
TASK_GROUPS = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE,
               TaskStatus.CANCELLED)
# A smaller figure is the goal here: "on track" (more is better) would mislead.
NOT_TARGETABLE = frozenset({"enterprises_without_party_org"})
# The organization whose accounts may own a task of each lead side.
OWNER_ORGANIZATIONS = {
    LeadSide.PARTY_COMMITTEE: {User.Organization.PARTY_COMMITTEE},
    LeadSide.IZ_BOARD: {User.Organization.IZ_BOARD},
    LeadSide.BOTH: {User.Organization.PARTY_COMMITTEE, User.Organization.IZ_BOARD},
}


# --- Access -----------------------------------------------------------------------------


def _check(actor, *perms: Perm) -> None:
    if actor is None:
        return
    access = access_for(actor)
    if not any(access.can(p) for p in perms):
        raise PermissionDenied


def sees_drafts(access: Access) -> bool:
    """Drafts are seen by the accounts that write or approve them."""
    return access.can(Perm.EDIT_PLANS) or access.can(Perm.APPROVE_PLANS)


def may_work_task(access: Access, task: PlanTask) -> bool:
    """Whether ``access`` may record ``task``'s progress (status, completion,
    result, files): Party Committee officers any task, IZ Board officers the
    tasks the IZ Board leads or shares."""
    if access.can(Perm.EDIT_PLANS):
        return True
    return access.can(Perm.WORK_IZ_TASKS) and task.is_iz_side


def may_work_tasks(access: Access) -> bool:
    return access.can(Perm.EDIT_PLANS) or access.can(Perm.WORK_IZ_TASKS)


def _save(obj, changed=None):
    obj.full_clean()
    if obj.pk is None or changed is None:
        obj.save()
    else:
        obj.save(update_fields=sorted(set(changed)))
    return obj


# --- Targets: actual, progress, on track ----------------------------------------------------


def elapsed_fraction(year: int, today: date) -> Fraction:
    """How much of ``year`` has passed at ``today``, today included: 0 before
    the year, 1 after it (exact, so a comparison never suffers rounding)."""
    if today.year < year:
        return Fraction(0)
    if today.year > year:
        return Fraction(1)
    days = 366 if calendar.isleap(year) else 365
    return Fraction(today.timetuple().tm_yday, days)


def is_on_track(*, actual: int | None, target: int, year: int, today: date) -> bool | None:
    """The one definition of "on track": the actual has reached the target ×
    the elapsed fraction of the plan's year (so a past year needs 100 %).
    ``None`` when the figure cannot be computed."""
    if actual is None:
        return None
    return actual >= target * elapsed_fraction(year, today)


def target_actual(target: PlanTarget, *, year: int, today: date) -> int | None:
    """The catalogue's figure of the target's indicator for its scope (one zone
    or the province), over the plan's year up to ``today``: exactly what the
    overview computes. One query."""
    scope = Scope.zone(target.zone_id) if target.zone_id else Scope.province()
    return get(target.indicator).compute(scope, Period.of("year", year).so_far(today))


def indicator_label(code: str) -> str:
    indicator = INDICATORS.get(code)
    return indicator.label if indicator else code


def indicator_choices() -> list[tuple[str, str]]:
    """The catalogue's indicators a target may use, in the catalogue's order."""
    return [(i.code, i.label) for i in CATALOGUE if i.code not in NOT_TARGETABLE]


@dataclass(frozen=True)
class TargetProgress:
    target: PlanTarget
    label: str
    actual: int | None
    # actual / target, in percent (may exceed 100); None without a figure.
    percent: float | None
    # What the actual should have reached by today to be on track.
    expected: Fraction
    on_track: bool | None
    # The whole year has passed: the target was reached or missed.
    year_ended: bool = False

    @property
    def achieved(self) -> bool:
        return self.actual is not None and self.actual >= self.target.target_value

    @property
    def bar_width(self) -> float:
        return min(100.0, self.percent or 0.0)

    @property
    def expected_width(self) -> float:
        return min(100.0, float(self.expected) * 100 / self.target.target_value)

    @property
    def state(self) -> str:
        """achieved / on_track / behind / missed (the year is over) / unknown."""
        if self.on_track is None:
            return "unknown"
        if self.achieved:
            return "achieved"
        if self.year_ended:
            return "missed"
        return "on_track" if self.on_track else "behind"


def target_progress(target: PlanTarget, *, year: int, today: date) -> TargetProgress:
    actual = target_actual(target, year=year, today=today)
    value = target.target_value
    fraction = elapsed_fraction(year, today)
    return TargetProgress(
        target=target,
        label=indicator_label(target.indicator),
        actual=actual,
        percent=None if actual is None or not value else actual * 100 / value,
        expected=value * fraction,
        on_track=is_on_track(actual=actual, target=value, year=year, today=today),
        year_ended=fraction == 1 and today.year > year,
    )


# --- Selectors ----------------------------------------------------------------------------


def committee_compositions(*, access: Access, today: date) -> list[dict]:
    """For each kind (steering committee, working group): the current
    composition (the latest decision whose term covers today) and the others,
    newest first. Two queries."""
    committees = list(Committee.objects.prefetch_related("members")
                      .order_by("kind", "-decided_on", "-pk"))
    groups = []
    for kind in Committee.Kind:
        rows = [c for c in committees if c.kind == kind]
        current = next((c for c in rows if c.is_current_on(today)), None)
        groups.append({"kind": kind.value, "label": kind.label, "current": current,
                       "others": [c for c in rows if c is not current]})
    return groups


def committee_get(*, access: Access, pk: int) -> Committee:
    try:
        return Committee.objects.prefetch_related("members").get(pk=pk)
    except (Committee.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def plan_queryset(*, access: Access) -> QuerySet[CoordinationPlan]:
    """The plans ``access`` may see (drafts only for the Party Committee)."""
    plans = CoordinationPlan.objects.select_related("approved_by", "copied_from")
    if not sees_drafts(access):
        plans = plans.exclude(status=PlanStatus.DRAFT)
    return plans


def _zone_condition(access: Access, prefix: str = "") -> Q:
    """Targets for the province or for one of the account's zones."""
    condition = Q(**{f"{prefix}zone__isnull": True})
    if access.zone_ids is not None:
        return condition | Q(**{f"{prefix}zone__in": access.zone_ids})
    return Q()


def plan_list(*, access: Access, today: date) -> list[CoordinationPlan]:
    """Visible plans, newest year first, with their counts (one query)."""
    open_ = Q(tasks__status__in=OPEN_STATUSES)
    rows = list(plan_queryset(access=access).annotate(
        n_targets=Count("targets", filter=_zone_condition(access, "targets__"), distinct=True),
        n_tasks=Count("tasks", distinct=True),
        n_done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
        n_open=Count("tasks", filter=open_, distinct=True),
        n_overdue=Count("tasks", filter=open_ & Q(tasks__due_on__lt=today,
                                                  status=PlanStatus.APPROVED), distinct=True),
    ).order_by("-year"))
    for plan in rows:
        plan.status_label = plan_status_label(plan)
    return rows


def plan_get(*, access: Access, pk: int) -> CoordinationPlan:
    try:
        plan = plan_queryset(access=access).get(pk=pk)
    except (CoordinationPlan.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    plan.status_label = plan_status_label(plan)
    return plan


def plan_for_year(*, access: Access, year: int) -> CoordinationPlan | None:
    return plan_queryset(access=access).filter(year=year).first()


def targets_visible(*, access: Access, plan: CoordinationPlan) -> QuerySet[PlanTarget]:
    return plan.targets.filter(_zone_condition(access)).select_related("zone") \
        .order_by("order", "pk")


def plan_progress(*, access: Access, plan: CoordinationPlan, today: date
                  ) -> list[TargetProgress]:
    """Every target the account sees with its computed progress: one query for
    the targets, then one per target (a plan has a handful)."""
    return [target_progress(t, year=plan.year, today=today)
            for t in targets_visible(access=access, plan=plan)]


def task_is_overdue(task: PlanTask, today: date) -> bool:
    """Open past its due date in an approved plan (a draft's tasks have not
    started; a closed plan's are history)."""
    return task.plan.status == PlanStatus.APPROVED and task.is_overdue_on(today)


def _overdue(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=today, plan__status=PlanStatus.APPROVED)


def _with_files(tasks: QuerySet[PlanTask]) -> QuerySet[PlanTask]:
    content_type = ContentType.objects.get_for_model(PlanTask)
    files = (Attachment.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
             .order_by().values("object_id").annotate(n=Count("pk")).values("n"))
    return tasks.annotate(n_files=Coalesce(Subquery(files, output_field=IntegerField()), 0))


def plan_tasks(*, access: Access, plan: CoordinationPlan, today: date) -> list[dict]:
    """The plan's tasks grouped by status, each marked overdue / workable."""
    tasks = list(_with_files(plan.tasks.select_related("owner")).order_by("due_on", "order",
                                                                            "pk"))
    workable = plan.status == PlanStatus.APPROVED
    for task in tasks:
        task.plan = plan
        task.overdue = task_is_overdue(task, today)
        task.workable = workable and may_work_task(access, task)
    return [{"status": status, "label": status.label,
             "tasks": [t for t in tasks if t.status == status],
             "overdue": sum(1 for t in tasks if t.status == status and t.overdue)}
            for status in TASK_GROUPS]


def task_queryset(*, access: Access) -> QuerySet[PlanTask]:
    tasks = PlanTask.objects.select_related("plan", "owner")
    if not sees_drafts(access):
        tasks = tasks.exclude(plan__status=PlanStatus.DRAFT)
    return tasks


def task_list(*, access: Access, today: date, user=None, plan_id: int | None = None,
              status: str = "", lead_side: str = "", overdue: bool = False,
              mine: bool = False) -> QuerySet[PlanTask]:
    """Tasks across the visible plans, filtered; the newest plan first, then
    by due date."""
    tasks = _with_files(task_queryset(access=access))
    if plan_id:
        tasks = tasks.filter(plan_id=plan_id)
    if status:
        tasks = tasks.filter(status=status)
    if lead_side:
        tasks = tasks.filter(lead_side=lead_side)
    if overdue:
        tasks = tasks.filter(_overdue(today))
    if mine:
        tasks = tasks.filter(owner=user)
    return tasks.order_by("-plan__year", "due_on", "order", "pk")


def task_get(*, access: Access, pk: int) -> PlanTask:
    try:
        return task_queryset(access=access).get(pk=pk)
    except (PlanTask.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def task_get_to_work(*, access: Access, pk: int) -> PlanTask:
    """A task whose progress ``access`` may record: 403 for an account that
    works no task, 404 for a task of the other side."""
    if not may_work_tasks(access):
        raise PermissionDenied
    task = task_get(access=access, pk=pk)
    if not may_work_task(access, task):
        raise Http404
    return task


def target_get(*, access: Access, pk: int) -> PlanTarget:
    try:
        target = PlanTarget.objects.select_related("plan", "zone").get(pk=pk)
    except (PlanTarget.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not sees_drafts(access) and target.plan.is_draft:
        raise Http404
    if target.zone_id is not None and not access.sees_zone(target.zone_id):
        raise Http404
    return target


def owner_queryset() -> QuerySet[User]:
    """Accounts that may own a task: active, of either body."""
    return User.objects.filter(is_active=True).exclude(organization="") \
        .order_by("organization", "full_name", "username")


# --- Committees -----------------------------------------------------------------------------


@transaction.atomic
def committee_create(*, actor=None, data: dict, members: list[dict]) -> Committee:
    """Record a composition (decision, term) with its members."""
    _check(actor, Perm.EDIT_PLANS)
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
    _check(actor, Perm.EDIT_PLANS)
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
    _check(actor, Perm.EDIT_PLANS)
    plan = CoordinationPlan(status=PlanStatus.DRAFT)
    assign_fields(plan, data, PLAN_FIELDS)
    _check_signed_on(plan)
    return _save(plan)


@transaction.atomic
def plan_update(*, actor=None, plan: CoordinationPlan, data: dict) -> list[str]:
    """Correct a plan's heading until it closes; its year only while a draft."""
    _check(actor, Perm.EDIT_PLANS)
    _not_closed(plan)
    changed = assign_fields(plan, data, PLAN_FIELDS)
    if "year" in changed and not plan.is_draft:
        raise ValidationError({"year": _("The year of an approved plan cannot change.")})
    if changed:
        _check_signed_on(plan)
        _save(plan, changed)
    return changed


def _locked_status(plan: CoordinationPlan) -> str:
    """The plan's status in the database, its row locked until the end of the
    transaction (two leaders clicking at once approve it once)."""
    plan.status = CoordinationPlan.objects.select_for_update().values_list(
        "status", flat=True).get(pk=plan.pk)
    return plan.status


@transaction.atomic
def plan_approve(*, actor, plan: CoordinationPlan) -> CoordinationPlan:
    """A Party Committee leader approves a draft; who and when are recorded.

    A plan with neither a target nor a task has nothing to approve.
    """
    _check(actor, Perm.APPROVE_PLANS)
    if _locked_status(plan) != PlanStatus.DRAFT:
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
    _check(actor, Perm.APPROVE_PLANS)
    if _locked_status(plan) != PlanStatus.APPROVED:
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
    _check(actor, Perm.EDIT_PLANS)
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
    _check(actor, Perm.EDIT_PLANS)
    _draft_only(plan)
    target = PlanTarget(plan=plan, order=_next_order(plan.targets))
    assign_fields(target, data, TARGET_FIELDS)
    _check_target(target)
    return _save(target)


@transaction.atomic
def target_update(*, actor=None, target: PlanTarget, data: dict) -> list[str]:
    _check(actor, Perm.EDIT_PLANS)
    _draft_only(target.plan)
    changed = assign_fields(target, data, TARGET_FIELDS)
    if changed:
        _check_target(target)
        _save(target, changed)
    return changed


@transaction.atomic
def target_delete(*, actor=None, target: PlanTarget) -> None:
    _check(actor, Perm.EDIT_PLANS)
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
    _check(actor, Perm.EDIT_PLANS)
    _not_closed(plan)
    task = PlanTask(plan=plan, order=_next_order(plan.tasks))
    assign_fields(task, data, TASK_FIELDS)
    _check_owner(task)
    return _save(task)


@transaction.atomic
def task_update(*, actor=None, task: PlanTask, data: dict) -> list[str]:
    """Correct a task's content, lead, units, owner or due date until the plan
    closes (its progress goes through :func:`task_progress_update`)."""
    _check(actor, Perm.EDIT_PLANS)
    _not_closed(task.plan)
    changed = assign_fields(task, data, TASK_FIELDS)
    if changed:
        _check_owner(task)
        _save(task, changed)
    return changed


@transaction.atomic
def task_delete(*, actor=None, task: PlanTask) -> None:
    """Remove a task of a draft; once approved, a task is cancelled instead."""
    _check(actor, Perm.EDIT_PLANS)
    if not task.plan.is_draft:
        raise ValidationError(_("Once the plan is approved a task is not removed: mark it "
                                "cancelled."))
    task.delete()


@transaction.atomic
def task_progress_update(*, actor, task: PlanTask, status: str,
                         completed_on: date | None = None, result: str = "",
                         uploads=()) -> list[str]:
    """Record a task's progress while its plan is approved: status,
    completion date (kept only for a done task, never in the future), result
    and files. Party Committee officers work any task, IZ Board officers the
    tasks the IZ Board leads or shares (PermissionDenied otherwise)."""
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
    changed = assign_fields(task, {"status": status, "completed_on": completed_on,
                                   "result": result}, PROGRESS_FIELDS)
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


# --- Attachment rules (registered in apps.ready) ---------------------------------------------


def attachment_can_view(access: Access, task: PlanTask) -> bool:
    if not access.can(Perm.VIEW_PLANS):
        return False
    return sees_drafts(access) or not task.plan.is_draft


def attachment_can_edit(access: Access, task: PlanTask) -> bool:
    return task.plan.status == PlanStatus.APPROVED and may_work_task(access, task)
