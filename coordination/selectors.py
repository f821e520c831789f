"""Reads of party development, through the account's access.

Personal records (names, birth dates, citizen IDs) go only to accounts with
Perm.VIEW_PERSONAL_DATA; the others get counts (``*_counts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.policy import Access, Perm
from core.text import fold
from enterprises.models import Enterprise, PartyOrganization
from enterprises.selectors import has_party_organization

from .calendar import add_months, add_working_days
from .models import (
    AdmissionCandidate,
    PartyMember,
    Placement,
    Recognition,
    RecognitionVote,
    covering,
)

Stage = AdmissionCandidate.Stage
QUALIFY_MIN_OFFICIAL = 3


def _require_personal(access: Access) -> None:
    if not access.can(Perm.VIEW_PERSONAL_DATA):
        raise PermissionDenied


# --- Who is where at a date: the placements -------------------------------------------
#
# Every figure of a period counts members through their placement at its end,
# never through the member's mirror fields (which follow the latest placement):
# a move, a transfer or leaving the rolls today leaves earlier periods as they were.


def on_rolls(day: date, prefix: str = "") -> Q:
    """Placements (reached through ``prefix``) that put a member on the rolls
    at ``day``: covering it, with official attendance. A member attending
    temporarily keeps the official record elsewhere, so is not counted here.
    Periods of one member never overlap: at most one such placement each."""
    return covering(day, prefix) & Q(**{f"{prefix}attendance": Placement.Attendance.OFFICIAL})


def official_on(day: date, prefix: str = "") -> Q:
    """Members (reached through ``prefix``) official at ``day``."""
    return Q(**{f"{prefix}official_on__isnull": False, f"{prefix}official_on__lte": day})


def placed_at(day: date) -> QuerySet[Placement]:
    """The placements of the members on the rolls at ``day`` (one per member):
    each gives where the member worked (``enterprise``, its ``zone``) and
    attended then."""
    return Placement.objects.filter(on_rolls(day))


def admitted_within(start: date, end: date) -> QuerySet[Placement]:
    """Where each member admitted within [start, end] was placed at admission:
    the placement that began with the admission, starting within the period.
    A member admitted elsewhere and transferred in has none."""
    return Placement.objects.filter(admitted_condition(start, end))


def admitted_condition(start: date, end: date) -> Q:
    """The placements of :func:`admitted_within`, as a condition on placements."""
    return Q(began=Placement.Began.ADMISSION, starts_on__range=(start, end),
             member__admitted_on__range=(start, end))


def current_members(day: date, **placed) -> Q:
    """Members on the rolls at ``day`` (:func:`on_rolls`), placed as ``placed``
    says (e.g. ``enterprise=...``) at that day."""
    return Q(pk__in=placed_at(day).filter(**placed).values("member_id"))


def official_members(day: date, **placed) -> Q:
    return current_members(day, **placed) & official_on(day)


def open_candidates(day: date) -> Q:
    """Candidates identified on/before ``day``, not admitted and not closed by then."""
    return Q(identified_on__lte=day) & (Q(ceremony_on__isnull=True) | Q(ceremony_on__gt=day)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def member_queryset(*, access: Access) -> QuerySet[PartyMember]:
    _require_personal(access)
    return access.scope_zones(PartyMember.objects.all(), "enterprise__zone").select_related(
        "enterprise__zone", "party_organization", "recognition")


def member_get(*, access: Access, pk: int) -> PartyMember:
    try:
        return member_queryset(access=access).select_related("probation_helper") \
            .prefetch_related("recognition_votes").get(pk=pk)
    except (PartyMember.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def candidate_queryset(*, access: Access) -> QuerySet[AdmissionCandidate]:
    _require_personal(access)
    return access.scope_zones(AdmissionCandidate.objects.all(), "enterprise__zone") \
        .select_related("enterprise__zone", "responsible_organization__parent",
                        "helper_member", "member")


def has_open_case(citizen_id: str) -> bool:
    """Whether the person has an open admission case, in any zone (for a rule,
    never to be shown to an account outside that zone)."""
    return AdmissionCandidate.objects.filter(
        citizen_id=citizen_id, closed_on__isnull=True, ceremony_on__isnull=True).exists()


def candidate_get(*, access: Access, pk: int) -> AdmissionCandidate:
    try:
        # The sponsors are shown on the case's page (and its forms).
        return candidate_queryset(access=access).select_related(
            "sponsor_1", "sponsor_2").get(pk=pk)
    except (AdmissionCandidate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@lru_cache(maxsize=512)
def _latest_start(today: date, working_days: int) -> date:
    """The latest date ``d`` whose deadline ``add_working_days(d, n)`` is before ``today``.

    A case whose milestone is on or before that date is overdue today. The
    deadline grows with ``d``, so a binary search over a year and a half
    finds it with a handful of calendar computations.
    """
    low, high = today - timedelta(days=working_days * 3 + 60), today
    while low < high:
        middle = low + timedelta(days=(high - low).days // 2 + 1)
        if add_working_days(middle, working_days) < today:
            low = middle
        else:
            high = middle - timedelta(days=1)
    return low


def _decision_late(today: date) -> Q:
    """The decision is awaited (the case stands at the cell or committee
    resolution) past 60 working days of a dated cell resolution, plus the
    case's extension (0 to 30 working days)."""
    awaiting = Q(stage__in=[Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION],
                 cell_resolution_on__isnull=False)
    days = AdmissionCandidate.DECISION_WORKING_DAYS
    late = Q(decision_extension_days__isnull=True,
             cell_resolution_on__lte=_latest_start(today, days))
    for extra in range(0, AdmissionCandidate.MAX_EXTENSION_WORKING_DAYS + 1):
        late |= Q(decision_extension_days=extra,
                  cell_resolution_on__lte=_latest_start(today, days + extra))
    return awaiting & late


def overdue_condition(today: date) -> Q:
    """Open cases past their statutory deadline at ``today`` (the SQL twin of
    ``AdmissionCandidate.is_overdue``): the decision within 60 working days of
    the cell resolution (once extended by up to 30), the ceremony within 30
    working days of the day the decision was received (its date by default)."""
    open_case = Q(closed_on__isnull=True, ceremony_on__isnull=True)
    ceremony_start = _latest_start(today, AdmissionCandidate.CEREMONY_WORKING_DAYS)
    ceremony_late = Q(stage=Stage.DECISION) & (
        Q(decision_received_on__isnull=False, decision_received_on__lte=ceremony_start)
        | Q(decision_received_on__isnull=True, decision_on__isnull=False,
            decision_on__lte=ceremony_start))
    return open_case & (_decision_late(today) | ceremony_late)


OPEN_STAGES = [stage for stage, _field in AdmissionCandidate.STEPS if stage != Stage.CEREMONY]


def searched(queryset: QuerySet, term: str) -> QuerySet:
    """The rows of a people list (members, candidates) matching its name
    search ``term`` (kept in the session, never in a URL); all when empty."""
    return queryset.filter(search_text__contains=fold(term)) if term else queryset


def open_cases(*, access: Access) -> QuerySet[AdmissionCandidate]:
    """Cases still in the pipeline (neither closed nor admitted) in the account's
    zones. Counting them needs no personal-data permission; reading them does."""
    return access.scope_zones(
        AdmissionCandidate.objects.filter(closed_on__isnull=True, ceremony_on__isnull=True),
        "enterprise__zone")


def stage_counts(*, access: Access, today: date, zone_id: int | None = None) -> dict[str, dict]:
    """Open cases per stage and how many are overdue: one aggregate query."""
    cases = open_cases(access=access)
    if zone_id is not None:
        cases = cases.filter(enterprise__zone=zone_id)
    counts = {stage: {"count": 0, "overdue": 0} for stage in OPEN_STAGES}
    for row in cases.order_by().values("stage").annotate(
            n=Count("pk"), late=Count("pk", filter=overdue_condition(today))):
        if row["stage"] in counts:
            counts[row["stage"]] = {"count": row["n"], "overdue": row["late"]}
    return counts


# Stands for a stage in the SQL of :func:`pipeline`'s per-stage subquery.
_ANY_STAGE = "\x00stage"


def pipeline(*, access: Access, today: date, zone_id: int | None = None,
             per_stage: int = 12) -> dict[str, dict]:
    """The open cases by stage: count, overdue count and the first ``per_stage``
    cards (overdue first, then the oldest). Two queries whatever the number of
    cases and stages: the counts, and the cards, picked by a UNION of one
    subquery per stage taking its first ``per_stage`` keys (a top-N sort of
    the stage's cases on the case table alone, not a sort of every open case;
    13,600 open cases in the large demo data).
    """
    _require_personal(access)
    cases = open_cases(access=access)
    if zone_id is not None:
        cases = cases.filter(enterprise__zone=zone_id)
    columns = {stage: {**counts, "cards": []} for stage, counts in
               stage_counts(access=access, today=today, zone_id=zone_id).items()}
    late = Case(When(overdue_condition(today), then=Value(1)), default=Value(0))
    order = [F("is_late").desc(), F("decision_on").asc(), F("cell_resolution_on").asc(),
             F("sort_key").asc(), F("pk").asc()]
    # One stage's first keys, compiled once for a stand-in stage; each stage's
    # part is that SQL with its own stage (the overdue condition alone is 31
    # comparisons: compiling it for every stage took longer than the query).
    first_keys = (cases.annotate(is_late=late).order_by(*order)
                  .filter(stage=_ANY_STAGE).values("pk")[:per_stage])
    try:
        sql, params = first_keys.query.sql_with_params()
    except EmptyResultSet:  # a scope without a zone: nothing to list
        return columns
    parts, all_params = [], []
    for index, stage in enumerate(columns):
        # A limited part of a UNION must be a subquery of its own (SQLite).
        parts.append(f"SELECT * FROM ({sql}) AS first_{index}")
        all_params += [stage if param == _ANY_STAGE else param for param in params]
    # What a card shows and needs (the committee's step depends on the
    # responsible organization's parent); the scope was applied above.
    cards = (AdmissionCandidate.objects
             .filter(pk__in=RawSQL(" UNION ALL ".join(parts), all_params))
             .annotate(is_late=late).order_by("stage", *order)
             .select_related("enterprise__zone", "responsible_organization__parent"))
    for card in cards:
        columns[card.stage]["cards"].append(card)
    return columns


# --- Recognition as official: the one rule --------------------------------------------


def _has_recognition(member: PartyMember) -> bool:
    try:
        return member.recognition is not None
    except Recognition.DoesNotExist:
        return False


def recognition_refusal(member: PartyMember, *, cell_meets_on: date) -> ValidationError | None:
    """Why ``member`` may not be recognised as official by a cell meeting on
    ``cell_meets_on``, or None when they may: a member still on the list,
    probationary (no official date, no recognition yet), whose 12
    probationary months have ended by that day (domain brief §1.2 step 13).
    """
    if member.left_on:
        return ValidationError(_("This member has left the list."))
    if member.official_on or _has_recognition(member):
        return ValidationError(_("This member has already been recognised as official."))
    if cell_meets_on < member.probation_ends_on:
        return ValidationError({"cell_resolution_on": _(
            "The cell considers recognition once the 12 probationary months end (%(date)s)."
        ) % {"date": member.probation_ends_on.strftime("%d/%m/%Y")}})
    return None


@dataclass(frozen=True)
class RecognitionState:
    """Where a probationary member's recognition stands: the cell's votes in
    order, the one that reached two thirds, whether three failed (the case
    goes to the upper committee), and the two deadlines (DESIGN §3)."""

    votes: list[RecognitionVote]
    passed_vote: RecognitionVote | None
    escalated: bool
    vote_due_on: date
    decision_due_on: date | None

    @property
    def attempts(self) -> int:
        return len(self.votes)

    @property
    def failed(self) -> int:
        return sum(1 for vote in self.votes if not vote.passed)


def recognition_state(member: PartyMember) -> RecognitionState:
    """The state of ``member``'s recognition (one query for the votes, none
    when they were prefetched)."""
    votes = sorted(member.recognition_votes.all(), key=lambda v: (v.held_on, v.pk))
    passed = next((vote for vote in votes if vote.passed), None)
    failed = sum(1 for vote in votes if not vote.passed)
    escalated = passed is None and failed >= RecognitionVote.MAX_ATTEMPTS
    decided_after = passed or (votes[-1] if escalated else None)
    return RecognitionState(
        votes=votes, passed_vote=passed, escalated=escalated,
        vote_due_on=member.recognition_due_on,
        decision_due_on=(add_working_days(decided_after.held_on,
                                          Recognition.DECISION_WORKING_DAYS)
                         if decided_after else None))


def may_be_recognised(member: PartyMember, *, on: date) -> bool:
    """Whether ``member`` may be recognised as official on ``on``
    (:func:`recognition_refusal`)."""
    return recognition_refusal(member, cell_meets_on=on) is None


def _last_admission_ended_by(day: date) -> date:
    """The latest admission date whose 12 probationary months end on or
    before ``day`` (month ends make ``add_months`` uneven: 29/02 + 12 months
    is 28/02)."""
    months = PartyMember.PROBATION_MONTHS
    admitted = add_months(day, -months)
    while add_months(admitted + timedelta(days=1), months) <= day:
        admitted += timedelta(days=1)
    return admitted


def recognition_pending(*, by: date) -> Q:
    """The members :func:`may_be_recognised` on ``by``, as a query."""
    return Q(official_on__isnull=True, left_on__isnull=True, recognition__isnull=True,
             admitted_on__lte=_last_admission_ended_by(by))


def recognition_due(*, access: Access, today: date, within_days: int = 30):
    """Members who may be recognised as official today or within
    ``within_days`` (:func:`recognition_pending`).

    Returned with their due date, overdue first.
    """
    members = member_queryset(access=access).filter(
        recognition_pending(by=today + timedelta(days=within_days))) \
        .prefetch_related("recognition_votes")
    return sorted(members, key=lambda m: (m.recognition_due_on, m.sort_key))


# --- Counts, for every account ---------------------------------------------------


MEMBERS = Count("member", distinct=True)


def enterprise_counts(*, enterprise: Enterprise, day: date) -> dict:
    """Members placed at one enterprise at ``day`` (official / probationary)
    and its open candidates."""
    members = placed_at(day).filter(enterprise=enterprise).order_by().aggregate(
        official=Count("member", distinct=True, filter=official_on(day, "member__")),
        probationary=Count("member", distinct=True, filter=~official_on(day, "member__")))
    return {
        **members,
        "candidates": AdmissionCandidate.objects.filter(enterprise=enterprise)
        .filter(open_candidates(day)).count(),
    }


def organization_member_count(*, organization: PartyOrganization, day: date) -> int:
    """Members attending the organization at ``day``, or its cells for a
    grassroots committee."""
    orgs = Q(party_organization=organization) | Q(party_organization__parent=organization)
    return placed_at(day).filter(orgs).order_by().aggregate(n=MEMBERS)["n"]


def _count_subquery(queryset, count=None) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().values("enterprise").annotate(
        n=count or Count("pk")).values("n"), output_field=IntegerField()), 0)


def _members_placed_at(day: date, *, official: bool = False) -> Coalesce:
    """The members whose placement at ``day`` is at the outer enterprise
    (official ones only when ``official``)."""
    placements = placed_at(day).filter(enterprise=OuterRef("pk"))
    if official:
        placements = placements.filter(official_on(day, "member__"))
    return _count_subquery(placements, MEMBERS)


def without_party_organization(day: date) -> QuerySet[Enterprise]:
    """Enterprises operating at ``day`` without a party organization of their
    own, each with ``official_count``: the official members whose placement
    at ``day`` is there."""
    return (Enterprise.objects.operating_on(day)
            .filter(~has_party_organization(day))
            .annotate(official_count=_members_placed_at(day, official=True)))


QUALIFIES = Q(official_count__gte=QUALIFY_MIN_OFFICIAL)


def qualifying(day: date) -> QuerySet[Enterprise]:
    """Enterprises that qualify to found a party organization at ``day``
    (DESIGN §5): operating, without one, with at least 3 official members
    placed there at ``day``. The list page and the indicator both count these rows."""
    return without_party_organization(day).filter(QUALIFIES)


def _with_pipeline(queryset: QuerySet[Enterprise], day: date) -> QuerySet[Enterprise]:
    return queryset.annotate(
        member_count=_members_placed_at(day),
        candidate_count=_count_subquery(
            AdmissionCandidate.objects.filter(enterprise=OuterRef("pk"))
            .filter(open_candidates(day))),
    ).select_related("zone")


def enterprises_that_qualify(*, access: Access, day: date):
    """:func:`qualifying` in the account's zones, with their member and
    candidate counts. One query."""
    return _with_pipeline(access.scope_zones(qualifying(day), "zone"), day).order_by(
        "-official_count", "sort_name")


def enterprises_close_to_qualifying(*, access: Access, day: date):
    """Fewer than 3 official members, but members or candidates on the way."""
    return _with_pipeline(access.scope_zones(without_party_organization(day), "zone"), day) \
        .exclude(QUALIFIES).filter(Q(member_count__gt=0) | Q(candidate_count__gt=0)).order_by(
        "-official_count", "-member_count", "-candidate_count", "sort_name")


