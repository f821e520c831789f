"""Reads of committees and coordination plans, always through the account's
access (:mod:`coordination.plans.rules`).

A target's actual is never typed: it is the catalogue's figure of its
indicator for its scope (one zone or the province) over the plan's year up to
a day; a target on a stock indicator also has a baseline, the same figure on
1 January (:func:`target_baselines`). :func:`targets_progress` computes both
and judges the targets for the plan's page, the dashboard and the report
workbook alike. The figures are computed grouped
(:func:`core.indicators.compute_many`): the province's in one query per model
the targets' indicators count, every zone's in one more per model, actuals
and baselines together, whatever the number of targets.

``access=None`` reads as a frozen document does (a report): approved and
closed plans only, every zone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from accounts.policy import Access
from core.indicators import INDICATORS, Kind, Scope, compute_many, compute_many_by_zone
from core.models import Attachment
from core.periods import YEAR, Period

from ..models import Committee, CoordinationPlan, PlanTarget, PlanTask
from .rules import (
    OPEN_STATUSES,
    PUBLISHED_STATUSES,
    TARGET_STATES,
    TASK_GROUPS,
    PlanStatus,
    TaskStatus,
    baseline_period,
    elapsed_fraction,
    expected_actual,
    indicator_label,
    is_on_track,
    may_work_task,
    may_work_tasks,
    plan_status_label,
    sees_drafts,
    target_in_figures,
    target_zone_visible,
    task_is_overdue,
)

Actuals = dict[tuple[str, int | None], int | None]
# The zones (None: the province) each (indicator code, period) is needed for.
Wanted = dict[tuple[str, Period], set[int | None]]


# --- Committees -------------------------------------------------------------------------


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


# --- Plans ------------------------------------------------------------------------------


def plan_queryset(*, access: Access | None) -> QuerySet[CoordinationPlan]:
    """The plans ``access`` may see: drafts only for the accounts that draft
    or approve plans; a report (``access=None``) takes approved or closed
    plans only."""
    plans = CoordinationPlan.objects.select_related("approved_by", "copied_from")
    if not sees_drafts(access):
        plans = plans.filter(status__in=PUBLISHED_STATUSES)
    return plans


def _zone_condition(access: Access, prefix: str = "") -> Q:
    """Targets for the province or for one of the account's zones (the Q
    form of :func:`rules.target_zone_visible`)."""
    if access.zone_ids is None:
        return Q()
    return Q(**{f"{prefix}zone__isnull": True}) | Q(**{f"{prefix}zone__in": access.zone_ids})


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


def plan_for_year(*, access: Access | None, year: int) -> CoordinationPlan | None:
    """The plan of ``year`` if ``access`` may see it (a report: only an
    approved or closed one)."""
    return plan_queryset(access=access).filter(year=year).first()


def plan_year_taken(*, year: int) -> bool:
    """Whether ``year`` already has a plan (one plan per year), whoever may
    see it."""
    return CoordinationPlan.objects.filter(year=year).exists()


def plan_first_free_year(*, start: int) -> int:
    """The first year from ``start`` without a plan (a new plan's default)."""
    taken = set(CoordinationPlan.objects.values_list("year", flat=True))
    year = start
    while year in taken:
        year += 1
    return year


# --- Targets ----------------------------------------------------------------------------


def targets_visible(*, access: Access, plan: CoordinationPlan) -> QuerySet[PlanTarget]:
    """The plan's targets shown on its pages (:func:`rules.target_zone_visible`)."""
    return plan.targets.filter(_zone_condition(access)).select_related("zone") \
        .order_by("order", "pk")


def targets_in_figures(*, access: Access | None, plan: CoordinationPlan,
                       zone_id: int | None = None) -> list[PlanTarget]:
    """The plan's targets whose actual is a figure of the scope shown
    (:func:`rules.target_in_figures`): the dashboard of ``access`` with the
    zone it chose, or a report (``access=None``) of the province or of the
    zone ``zone_id``."""
    if access is None:
        access = Access(perms=frozenset(), zone_ids=None)  # every zone
    targets = plan.targets.select_related("zone").order_by("order", "pk")
    return [t for t in targets if target_in_figures(access, t.zone_id, zone_id)]


def target_get(*, access: Access, pk: int) -> PlanTarget:
    try:
        target = PlanTarget.objects.select_related("plan", "zone").get(pk=pk)
    except (PlanTarget.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not sees_drafts(access) and target.plan.is_draft:
        raise Http404
    if not target_zone_visible(access, target.zone_id):
        raise Http404
    return target


def target_period(*, year: int, until: date):
    """The plan's year from 1 January to ``until`` (the end of the year at
    most): what a target's actual counts."""
    return Period.of(YEAR, year).so_far(until)


def _want_actuals(wanted: Wanted, targets, period: Period) -> Wanted:
    """Add the actual of each of ``targets`` over ``period`` to ``wanted``."""
    for target in targets:
        wanted.setdefault((target.indicator, period), set()).add(target.zone_id)
    return wanted


def _want_baselines(wanted: Wanted, targets, year: int) -> Wanted:
    """Add the baseline of each of ``targets`` on a stock indicator (its
    figure over :func:`rules.baseline_period`) to ``wanted``."""
    return _want_actuals(wanted, [t for t in targets if t.indicator in INDICATORS
                                  and INDICATORS[t.indicator].is_stock],
                         baseline_period(year))


def _figures(wanted: Wanted, known=None, known_zones=None
             ) -> dict[tuple[str, Period, int | None], int | None]:
    """The catalogue's figure of each wanted (indicator, period, zone): the
    province's in one query per model the indicators count
    (:func:`core.indicators.compute_many`), every zone's in one more per model
    (:func:`core.indicators.compute_many_by_zone`), whatever the number of
    indicators, periods and zones. An unknown indicator has no figure
    (``None``). ``known``: province figures the caller computed already
    (``compute_many``'s answer for the province), not asked again;
    ``known_zones``: zone figures the caller computed already
    (:func:`zone_figures`), not asked again."""
    figures: dict[tuple[str, Period, int | None], int | None] = {}
    province, zoned, zone_ids = [], [], set()
    known = known or {}
    known_zones = known_zones or {}
    for (code, period), zones in wanted.items():
        if code not in INDICATORS:
            figures.update({(code, period, zone_id): None for zone_id in zones})
            continue
        if None in zones and (code, period) in known:
            figures[code, period, None] = known[code, period]
        elif None in zones:
            province.append((code, period))
        zones = zones - {None}
        if zones and all((code, period, zone_id) in known_zones for zone_id in zones):
            figures.update({(code, period, zone_id): known_zones[code, period, zone_id]
                            for zone_id in zones})
        elif zones:
            zoned.append((code, period))
            zone_ids |= zones
    if province:
        values = compute_many(province, Scope.province())
        for code, period in province:
            figures[code, period, None] = values[code, period]
    if zoned:
        by_zone = compute_many_by_zone(zoned, frozenset(zone_ids))
        for code, period in zoned:
            for zone_id in wanted[code, period] - {None}:
                figures[code, period, zone_id] = by_zone[code, period].get(zone_id, 0)
    return figures


def _of(figures, period: Period) -> Actuals:
    return {(code, zone_id): value for (code, of, zone_id), value in figures.items()
            if of == period}


def target_actuals(targets, *, period) -> Actuals:
    """``{(indicator code, zone id or None): actual}`` of ``targets`` over
    ``period``: the catalogue's figure for the province (a target without a
    zone) or for the target's zone. Each distinct (indicator, zone) is
    computed once; the province's figures in one query per model their
    indicators count, every zone's in one more per model, whatever the
    number of targets and zones. An indicator the catalogue does not know,
    or whose source is not registered, has no actual (``None``)."""
    return _of(_figures(_want_actuals({}, targets, period)), period)


def target_baselines(targets, *, year: int) -> Actuals:
    """``{(indicator code, zone id or None): baseline}`` of the ``targets`` on
    a stock indicator: its figure on 1 January of ``year``, that is over
    :func:`rules.baseline_period` (at the end of 31 December before). Computed
    like :func:`target_actuals`. Targets on a flow indicator, or on one the
    catalogue does not know, have no baseline and are not in the result."""
    return _of(_figures(_want_baselines({}, targets, year)), baseline_period(year))


def target_actual(target: PlanTarget, *, year: int, today: date) -> int | None:
    """The actual of one target over its plan's year up to ``today``."""
    actuals = target_actuals([target], period=target_period(year=year, until=today))
    return actuals[target.indicator, target.zone_id]


def target_baseline(target: PlanTarget, *, year: int) -> int | None:
    """The baseline of one target (None for a flow indicator)."""
    return target_baselines([target], year=year).get((target.indicator, target.zone_id))


@dataclass(frozen=True)
class TargetProgress:
    target: PlanTarget
    label: str
    actual: int | None
    # actual / target, in percent (may exceed 100); None without a figure.
    percent: float | None
    # What the actual should have reached by today to be on track
    # (rules.expected_actual); None when it cannot be told.
    expected: Fraction | None
    on_track: bool | None
    # The whole year has passed: the target was reached or missed.
    year_ended: bool = False
    # The indicator's kind (None: not in the catalogue) and, for a stock,
    # its figure on 1 January (rules.baseline_period).
    kind: Kind | None = None
    baseline: int | None = None

    @property
    def is_stock(self) -> bool:
        return self.kind == Kind.STOCK

    @property
    def kind_label(self) -> str:
        return "" if self.kind is None else str(self.kind.label)

    @property
    def achieved(self) -> bool:
        return self.actual is not None and self.actual >= self.target.target_value

    @property
    def needed(self) -> int | None:
        """The least whole actual that is on track today (actuals are whole)."""
        return None if self.expected is None else math.ceil(self.expected)

    @property
    def bar_width(self) -> float:
        return min(100.0, self.percent or 0.0)

    @property
    def expected_width(self) -> float:
        if self.expected is None or not self.target.target_value:
            return 0.0
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

    @property
    def state_label(self) -> str:
        return str(TARGET_STATES[self.state])


_UNSET = object()


def target_progress(target: PlanTarget, *, year: int, today: date,
                    actual=_UNSET, baseline=_UNSET) -> TargetProgress:
    """A target against the elapsed share of its year (DESIGN §3, judged by
    :func:`rules.is_on_track`); ``actual`` and ``baseline`` when the caller
    computed them with :func:`target_actuals` and :func:`target_baselines`."""
    if actual is _UNSET:
        actual = target_actual(target, year=year, today=today)
    indicator = INDICATORS.get(target.indicator)
    kind = indicator.kind if indicator is not None else None
    if kind != Kind.STOCK:
        baseline = None
    elif baseline is _UNSET:
        baseline = target_baseline(target, year=year)
    value = target.target_value
    fraction = elapsed_fraction(year, today)
    judged = kind is not None
    return TargetProgress(
        target=target,
        label=indicator_label(target.indicator),
        actual=actual,
        percent=None if actual is None or not value else actual * 100 / value,
        expected=expected_actual(kind=kind, target=value, year=year, today=today,
                                 baseline=baseline) if judged else None,
        on_track=is_on_track(actual=actual, target=value, year=year, today=today, kind=kind,
                             baseline=baseline) if judged else None,
        year_ended=fraction == 1 and today.year > year,
        kind=kind,
        baseline=baseline,
    )


def _wanted(targets, *, year: int, today: date) -> Wanted:
    period = target_period(year=year, until=today)
    return _want_baselines(_want_actuals({}, targets, period), targets, year)


def province_pairs(targets, *, year: int, today: date) -> list[tuple[str, Period]]:
    """The (indicator, period) figures of the province that
    :func:`targets_progress` needs for ``targets``: a caller computing other
    province figures asks for these in the same queries and passes them as
    ``known``."""
    return [(code, period) for (code, period), zones in
            _wanted(targets, year=year, today=today).items()
            if None in zones and code in INDICATORS]


def zone_figures(targets, *, year: int, today: date) -> dict[tuple[str, Period, int], int]:
    """The zone figures :func:`targets_progress` needs for the zone targets
    among ``targets`` (at most one query per model their indicators count),
    so that a caller may compute them beside other figures and pass them as
    ``known_zones``."""
    wanted = {pair: zones - {None} for pair, zones in
              _wanted(targets, year=year, today=today).items() if zones - {None}}
    return _figures(wanted)


def targets_progress(targets, *, year: int, today: date, known=None,
                     known_zones=None) -> list[TargetProgress]:
    """Each of ``targets`` (of the plan of ``year``) with its progress at
    ``today``: the plan's page, the dashboard and the report workbook judge
    them alike. The actuals and the baselines are computed together
    (:func:`_figures`): at most two queries per model their indicators count
    (the province, then every zone), whatever the number of targets; none for
    the province figures in ``known`` (see :func:`province_pairs`) nor for
    the zone figures in ``known_zones`` (see :func:`zone_figures`)."""
    targets = list(targets)
    period = target_period(year=year, until=today)
    figures = _figures(_wanted(targets, year=year, today=today), known, known_zones)
    actuals, baselines = _of(figures, period), _of(figures, baseline_period(year))
    return [target_progress(t, year=year, today=today, actual=actuals[t.indicator, t.zone_id],
                            baseline=baselines.get((t.indicator, t.zone_id)))
            for t in targets]


def plan_progress(*, access: Access, plan: CoordinationPlan, today: date
                  ) -> list[TargetProgress]:
    """Every target the account sees with its computed progress: one query
    for the targets, then :func:`targets_progress`."""
    return targets_progress(targets_visible(access=access, plan=plan), year=plan.year,
                            today=today)


# --- Tasks ------------------------------------------------------------------------------


def _overdue(today: date) -> Q:
    """The Q form of :func:`rules.task_is_overdue`."""
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


def task_queryset(*, access: Access | None) -> QuerySet[PlanTask]:
    """The tasks of the plans ``access`` may see (:func:`plan_queryset`)."""
    tasks = PlanTask.objects.select_related("plan", "owner")
    if not sees_drafts(access):
        tasks = tasks.filter(plan__status__in=PUBLISHED_STATUSES)
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


def task_conclusion(task: PlanTask):
    """The meeting conclusion ``task`` was made from, or None."""
    from ..cycle.models import Conclusion

    return Conclusion.objects.select_related("meeting").filter(task=task).first()


def task_letters(*, access: Access, task: PlanTask) -> list:
    """The letters about ``task`` that ``access`` sees, newest first."""
    from ..cycle.selectors import correspondence_queryset

    return list(correspondence_queryset(access=access).filter(tasks=task)
                .order_by("-dated", "-pk"))


def owner_queryset() -> QuerySet[User]:
    """Accounts that may own a task: active, of either body."""
    return User.objects.filter(is_active=True).exclude(organization="") \
        .order_by("organization", "full_name", "username")
