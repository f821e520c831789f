"""Reads of the regulation's working cycle, always through the account's
access (:mod:`coordination.cycle.rules`); an object the account may not see
answers 404.

The working cycle's figures (meetings held, conclusions done and overdue,
replies overdue) come from the indicators (:mod:`coordination.cycle.
indicators`), computed together: one query per model, whatever the number
of figures.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.policy import Access, Perm
from core.indicators import Scope, compute_many
from core.periods import Period
from enterprises.models import Enterprise

from ..models import Committee, CommitteeMember, CoordinationPlan, PlanTask
from ..plans.rules import OPEN_STATUSES, PlanStatus
from ..plans.selectors import plan_queryset
from . import rules
from .models import Conclusion, Correspondence, Meeting, Regulation

CYCLE_FIGURES = ("meetings_held", "conclusions_done", "conclusions_overdue",
                 "replies_overdue")


# --- The regulation -----------------------------------------------------------------------


def regulation_current(*, today: date) -> Regulation | None:
    """The regulation in force today; else the one that comes into force
    next, else the latest that ended (None when none is recorded)."""
    rows = list(Regulation.objects.select_related("replaced_by").order_by("-effective_from",
                                                                           "-pk"))
    in_force = [r for r in rows if r.is_in_force_on(today)]
    if in_force:
        return in_force[0]
    upcoming = [r for r in rows if r.effective_from > today]
    return upcoming[-1] if upcoming else (rows[0] if rows else None)


def regulation_list() -> list[Regulation]:
    return list(Regulation.objects.select_related("replaced_by").order_by("-effective_from",
                                                                           "-pk"))


def regulation_get(*, access: Access, pk) -> Regulation:
    try:
        return Regulation.objects.select_related("replaced_by").get(pk=pk)
    except (Regulation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def regulation_period(regulation: Regulation, *, today: date) -> Period | None:
    """The days the regulation has been in force, up to today (None before
    it comes into force)."""
    end = min(today, regulation.in_force_until or today)
    if regulation.effective_from > end:
        return None
    return Period.span(regulation.effective_from, end)


def cycle_figures(period: Period, *, previous: Period | None = None) -> dict:
    """The working cycle's figures over ``period`` (and ``previous``):
    ``{(code, period): value}``, one query per model."""
    periods = [period] + ([previous] if previous else [])
    return compute_many([(code, p) for code in CYCLE_FIGURES for p in periods],
                        Scope.province())


def regulation_plans(regulation: Regulation, *, access: Access, today: date
                     ) -> list[CoordinationPlan]:
    """The plans of the years the regulation has been in force, newest
    first, with their task counts (one query)."""
    last = (regulation.in_force_until or today).year
    open_ = Q(tasks__status__in=OPEN_STATUSES)
    return list(plan_queryset(access=access)
                .filter(year__gte=regulation.effective_from.year, year__lte=last)
                .annotate(n_tasks=Count("tasks", distinct=True),
                          n_done=Count("tasks", filter=Q(tasks__status="done"), distinct=True),
                          n_overdue=Count("tasks", filter=open_ & Q(tasks__due_on__lt=today,
                                                                    status=PlanStatus.APPROVED),
                                          distinct=True))
                .order_by("-year"))


# --- Compositions -------------------------------------------------------------------------


def composition_kinds(meeting_kind: str) -> list[str]:
    """The compositions whose members attend a meeting of ``meeting_kind``:
    its own committee, or both for a joint conference."""
    if meeting_kind == Meeting.Kind.STEERING:
        return [Committee.Kind.STEERING]
    if meeting_kind == Meeting.Kind.WORKING_GROUP:
        return [Committee.Kind.WORKING_GROUP]
    return [Committee.Kind.STEERING, Committee.Kind.WORKING_GROUP]


def eligible_members(*, kind: str, day: date | None, keep=()) -> list[CommitteeMember]:
    """The members who may attend a meeting of ``kind`` on ``day``: those of
    the compositions in office that day serving then (rules of
    :meth:`CommitteeMember.serves_on`), in the compositions' order; and the
    members of ``keep`` (ids already chosen), so a correction never drops
    them silently."""
    if kind not in Meeting.Kind.values or day is None:
        members = []
    else:
        members = [m for m in CommitteeMember.objects.select_related("committee")
                   .filter(committee__kind__in=composition_kinds(kind),
                           committee__term_start__lte=day)
                   .exclude(committee__term_end__lt=day)
                   .order_by("committee__kind", "-committee__decided_on", "order", "pk")
                   if m.serves_on(day)]
    have = {m.pk for m in members}
    wanted = [int(pk) for pk in keep if str(pk).isdigit() and int(pk) not in have]
    if wanted:
        members += list(CommitteeMember.objects.select_related("committee")
                        .filter(pk__in=wanted).order_by("order", "pk"))
    return members


# --- Meetings -----------------------------------------------------------------------------


def _conclusions():
    return Prefetch("conclusions", queryset=Conclusion.objects.select_related(
        "owner", "task", "task__plan", "task__owner").order_by("order", "pk"))


def meeting_queryset(*, access: Access) -> QuerySet[Meeting]:
    """Every meeting: they concern both bodies and every zone."""
    return Meeting.objects.all()


def meeting_list(*, access: Access, today: date, kind: str = "", period: Period | None = None,
                 conclusions: str = "") -> QuerySet[Meeting]:
    """Meetings, newest first, with their conclusions prefetched, filtered by
    kind, by the period they were held in, and by the state of their
    conclusions today (``overdue``, ``done``, ``open``); give each row its
    conclusions' states with :func:`annotate_conclusions`."""
    meetings = meeting_queryset(access=access).select_related("chair")
    if kind:
        meetings = meetings.filter(kind=kind)
    if period is not None:
        meetings = meetings.filter(held_on__range=(period.start, period.end))
    if conclusions:
        meetings = meetings.filter(Exists(
            conclusion_queryset(state=conclusions, today=today)
            .filter(meeting=OuterRef("pk"))))
    return meetings.prefetch_related(_conclusions()).order_by("-held_on", "-pk")


def conclusion_queryset(*, state: str, today: date) -> QuerySet[Conclusion]:
    """Conclusions by their state today (the Q form of
    :func:`rules.conclusion_state`): ``overdue``, ``done`` or ``open``."""
    rows = Conclusion.objects.all()
    late = (Q(task__isnull=True, due_on__lt=today)
            | Q(task__status__in=OPEN_STATUSES, task__due_on__lt=today,
                task__plan__status=PlanStatus.APPROVED))
    if state == "overdue":
        return rows.filter(late)
    if state == "done":
        return rows.filter(task__status=PlanTask.Status.DONE)
    if state == "open":
        return rows.filter(Q(task__isnull=True) | Q(task__status__in=OPEN_STATUSES)) \
            .exclude(late)
    return rows


def annotate_conclusions(meeting: Meeting, today: date) -> None:
    """Each conclusion's state; the meeting's counts of done and overdue."""
    items = list(meeting.conclusions.all())
    for conclusion in items:
        conclusion.state = rules.conclusion_state(conclusion, today)
        conclusion.state_label = rules.CONCLUSION_STATES[conclusion.state]
    meeting.conclusion_items = items
    meeting.n_done = sum(1 for c in items if c.state == rules.DONE)
    meeting.n_late = sum(1 for c in items if c.state == rules.LATE)


def meeting_get(*, access: Access, pk, today: date) -> Meeting:
    try:
        meeting = (meeting_queryset(access=access).select_related("chair", "chair__committee",
                                                                    "recorded_by")
                   .prefetch_related(_conclusions(),
                                     Prefetch("attendees", queryset=CommitteeMember.objects
                                              .select_related("committee")
                                              .order_by("committee__kind", "order", "pk")))
                   .get(pk=pk))
    except (Meeting.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    annotate_conclusions(meeting, today)
    return meeting


def conclusion_get(*, access: Access, pk) -> Conclusion:
    try:
        return Conclusion.objects.select_related("meeting", "owner", "task", "task__plan") \
            .get(pk=pk)
    except (Conclusion.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def plan_for_due_date(due_on: date) -> CoordinationPlan | None:
    """The plan a conclusion due on ``due_on`` becomes a task of: its year's."""
    return CoordinationPlan.objects.filter(year=due_on.year).first()


# --- Correspondence -----------------------------------------------------------------------


def correspondence_condition(access: Access) -> Q:
    """The letters ``access`` sees (the Q form of
    :func:`rules.may_see_correspondence`)."""
    if not access.can(Perm.VIEW_PLANS):
        return Q(pk__in=[])
    condition = Q()
    if not access.can(Perm.VIEW_PERSONAL_DATA):
        condition &= Q(personal_data=False)
    if access.is_party_committee and access.all_zones:
        return condition
    links = Correspondence.enterprises.through.objects.filter(
        correspondence=OuterRef("pk"))
    in_zones = links if access.zone_ids is None else links.filter(
        enterprise__zone__in=access.zone_ids)
    unlinked = ~Exists(links)
    if access.is_iz_board:
        unlinked &= Q(direction__in=rules.IZ_DIRECTIONS)
    return condition & (Exists(in_zones) | unlinked)


def correspondence_queryset(*, access: Access) -> QuerySet[Correspondence]:
    return Correspondence.objects.filter(correspondence_condition(access))


def _status_condition(status: str, today: date) -> Q:
    if status == rules.ANSWERED:
        return Q(replied_on__isnull=False)
    if status == rules.OVERDUE:
        return Q(replied_on__isnull=True, reply_due_on__lt=today)
    if status == rules.AWAITING:
        return Q(replied_on__isnull=True, reply_due_on__gte=today)
    if status == rules.NO_REPLY:
        return Q(replied_on__isnull=True, reply_due_on__isnull=True)
    return Q()


def correspondence_list(*, access: Access, today: date, direction: str = "",
                        status: str = "", year: int | None = None, enterprise_id=None,
                        task_id=None) -> QuerySet[Correspondence]:
    """Letters in scope, newest first, filtered by direction, reply status
    today, year of their date, an enterprise or a task."""
    rows = correspondence_queryset(access=access)
    if direction:
        rows = rows.filter(direction=direction)
    if status:
        rows = rows.filter(_status_condition(status, today))
    if year:
        rows = rows.filter(dated__year=year)
    if enterprise_id:
        rows = rows.filter(enterprises=enterprise_id)
    if task_id:
        rows = rows.filter(tasks=task_id)
    return rows.annotate(n_enterprises=Count("enterprises", distinct=True)) \
        .order_by("-dated", "-pk")


def correspondence_years(*, access: Access) -> list[int]:
    return sorted({d.year for d in correspondence_queryset(access=access)
                   .dates("dated", "year")}, reverse=True)


def correspondence_get(*, access: Access, pk) -> Correspondence:
    try:
        return correspondence_queryset(access=access).select_related(
            "reply", "recorded_by").get(pk=pk)
    except (Correspondence.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def correspondence_enterprises(letter: Correspondence, *, access: Access
                               ) -> tuple[list[Enterprise], int]:
    """The enterprises of a letter that ``access`` sees, and how many others."""
    rows = list(letter.enterprises.select_related("zone").order_by("name"))
    shown = [e for e in rows if access.sees_zone(e.zone_id)]
    return shown, len(rows) - len(shown)


def reply_candidates(*, access: Access, direction: str, exclude_pk=None
                     ) -> QuerySet[Correspondence]:
    """The letters a new letter of ``direction`` may answer: in scope, not
    answered, going the other way."""
    wanted = [d for d in rules.Direction.values if rules.reply_direction(d) == direction]
    rows = correspondence_queryset(access=access).filter(direction__in=wanted,
                                                         replied_on__isnull=True)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.order_by("-dated", "-pk")
