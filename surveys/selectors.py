"""Reads of survey campaigns and visits, always through the account's access.

Zone-limited accounts (IZ Board) see the enterprises and visits of their
zones only; a campaign is visible to them when it lists at least one
enterprise of their zones, and every figure shown to them (progress,
classification counts, follow-ups) counts those enterprises only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from accounts.policy import Access
from coordination.models import Committee
from core.history import history_entries, record_label
from enterprises.models import Enterprise
from enterprises.selectors import has_party_organization

from .models import FollowUp, SurveyCampaign, SurveyVisit

Planned = SurveyCampaign.enterprises.through
Classification = SurveyVisit.Classification
HISTORY_LIMIT = 30


# --- building blocks ----------------------------------------------------------------------


def _scoped(access: Access, qs: QuerySet, lookup: str) -> QuerySet:
    return access.scope_zones(qs, lookup)


def _count(queryset, group: str) -> Coalesce:
    """A correlated COUNT of ``queryset`` grouped by ``group`` (= OuterRef)."""
    return Coalesce(Subquery(
        queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField()), 0)


def _distinct_count(queryset, group: str, what: str) -> Coalesce:
    return Coalesce(Subquery(
        queryset.order_by().values(group).annotate(n=Count(what, distinct=True)).values("n")[:1],
        output_field=IntegerField()), 0)


# --- campaigns ----------------------------------------------------------------------------

# Current status "operating": neither suspended nor dissolved today.
ACTIVE_NOW = Q(status=Enterprise.Status.OPERATING)


def campaign_queryset(*, access: Access) -> QuerySet[SurveyCampaign]:
    """Campaigns the account may see: all, or those listing an enterprise of its zones."""
    qs = SurveyCampaign.objects.select_related("working_group", "plan")
    if access.zone_ids is not None:
        qs = qs.filter(Exists(Planned.objects.filter(
            surveycampaign=OuterRef("pk"), enterprise__zone__in=access.zone_ids)))
    return qs


def campaign_list(*, access: Access, today: date) -> QuerySet[SurveyCampaign]:
    """Campaigns with their progress in the account's scope (a fixed number of queries)."""
    planned = _scoped(access, Planned.objects.filter(surveycampaign=OuterRef("pk")),
                      "enterprise__zone")
    visits = _scoped(access, SurveyVisit.objects.filter(campaign=OuterRef("pk")),
                     "enterprise__zone")
    open_follow_ups = _scoped(access, FollowUp.objects.filter(
        visit__campaign=OuterRef("pk"), done_on__isnull=True), "visit__enterprise__zone")
    return campaign_queryset(access=access).annotate(
        planned_count=_count(planned, "surveycampaign"),
        visited_count=_distinct_count(visits, "campaign", "enterprise"),
        open_follow_up_count=_count(open_follow_ups, "visit__campaign"),
        overdue_count=_count(open_follow_ups.filter(due_on__lt=today), "visit__campaign"),
    ).order_by("-starts_on", "-pk")


def campaign_get(*, access: Access, pk: int) -> SurveyCampaign:
    """One campaign the account may see, or 404."""
    try:
        return campaign_queryset(access=access).get(pk=pk)
    except (SurveyCampaign.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def campaign_enterprises(*, access: Access, campaign: SurveyCampaign) -> QuerySet[Enterprise]:
    """The campaign's enterprises in scope, by zone and name."""
    return _scoped(access, campaign.enterprises.all(), "zone").select_related("zone").order_by(
        "zone__code", "sort_name", "pk")


def campaign_visits(*, access: Access, campaign: SurveyCampaign) -> QuerySet[SurveyVisit]:
    return _scoped(access, campaign.visits.all(), "enterprise__zone").select_related(
        "enterprise__zone").order_by("-visited_on", "-pk")


@dataclass
class EnterpriseRow:
    enterprise: Enterprise
    visits: list = field(default_factory=list)

    @property
    def latest(self) -> SurveyVisit | None:
        return self.visits[0] if self.visits else None


@dataclass
class Progress:
    rows: list[EnterpriseRow]
    planned: int
    visited: int
    classification: dict

    @property
    def percent(self) -> int:
        return round(100 * self.visited / self.planned) if self.planned else 0


def campaign_progress(*, access: Access, campaign: SurveyCampaign) -> Progress:
    """Each enterprise of the campaign with its visits (newest first); the
    classification counts take each enterprise's latest visit. Two queries."""
    rows = {e.pk: EnterpriseRow(e) for e in campaign_enterprises(access=access,
                                                                   campaign=campaign)}
    for visit in campaign_visits(access=access, campaign=campaign):
        row = rows.get(visit.enterprise_id)
        if row is None:  # visited, then taken off the list (only outside the services)
            row = rows[visit.enterprise_id] = EnterpriseRow(visit.enterprise)
        row.visits.append(visit)
    counts = Counter(row.latest.classification for row in rows.values() if row.latest)
    return Progress(
        rows=list(rows.values()),
        planned=len(rows),
        visited=sum(1 for row in rows.values() if row.visits),
        classification={c: counts.get(c, 0) for c in Classification.values},
    )


def follow_ups_open(*, access: Access, campaign: SurveyCampaign | None = None,
                    visit: SurveyVisit | None = None) -> QuerySet[FollowUp]:
    """Open follow-up actions in scope, the earliest deadline first."""
    qs = FollowUp.objects.filter(done_on__isnull=True)
    if campaign is not None:
        qs = qs.filter(visit__campaign=campaign)
    if visit is not None:
        qs = qs.filter(visit=visit)
    return _scoped(access, qs, "visit__enterprise__zone").select_related(
        "owner", "visit__enterprise").order_by("due_on", "pk")


def working_groups() -> QuerySet[Committee]:
    return Committee.objects.filter(kind=Committee.Kind.WORKING_GROUP).order_by(
        "-decided_on", "-pk")


def default_enterprises(*, access: Access | None, zone_ids, day: date) -> QuerySet[Enterprise]:
    """The enterprises a campaign visits when the user names none: those of
    the zones operating at ``day`` and active now, without a party
    organization. Active now (status "operating") is the campaign's own
    choice: it visits neither a suspended enterprise, which still counts as
    operating, nor one whose dissolution is recorded."""
    qs = (Enterprise.objects.operating_on(day).filter(zone__in=list(zone_ids))
          .filter(ACTIVE_NOW)
          .filter(~has_party_organization(day)))
    if access is not None:
        qs = _scoped(access, qs, "zone")
    return qs.order_by("zone__code", "sort_name", "pk")


def enterprise_choices(*, access: Access, zone_ids, day: date,
                       keep=()) -> QuerySet[Enterprise]:
    """Enterprises a campaign over ``zone_ids`` may list: not dissolved (or
    already listed: ``keep``), in scope, annotated with whether each has a
    party organization."""
    qs = _scoped(access, Enterprise.objects.filter(zone__in=list(zone_ids)), "zone").filter(
        ~Q(status=Enterprise.Status.DISSOLVED) | Q(pk__in=list(keep)))
    return qs.select_related("zone").annotate(has_party_org=has_party_organization(day)) \
        .order_by("zone__code", "sort_name", "pk")


def follow_up_owner_choices(access: Access | None = None) -> QuerySet[User]:
    """Accounts that may own a follow-up action: active officers and leaders;
    for an account limited to some zones, only those working on one of them
    (the Party Committee's, the IZ Board's of every zone, of those zones)."""
    users = User.objects.filter(is_active=True).exclude(organization="")
    if access is not None and access.zone_ids is not None:
        users = users.filter(
            Q(organization=User.Organization.PARTY_COMMITTEE) | Q(all_zones=True)
            | Q(zones__in=access.zone_ids)).distinct()
    return users.order_by("organization", "full_name", "pk")


# --- visits -----------------------------------------------------------------------------


def visit_queryset(*, access: Access) -> QuerySet[SurveyVisit]:
    return _scoped(access, SurveyVisit.objects.all(), "enterprise__zone").select_related(
        "campaign__working_group", "enterprise__zone", "recorded_by", "workforce_record")


def visit_get(*, access: Access, pk: int) -> SurveyVisit:
    """One visit of an enterprise in scope, or 404."""
    try:
        return visit_queryset(access=access).prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
        ).get(pk=pk)
    except (SurveyVisit.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def enterprise_visits(*, access: Access, enterprise: Enterprise) -> QuerySet[SurveyVisit]:
    """The survey visits of one enterprise (in scope), newest first."""
    return _scoped(access, enterprise.survey_visits.all(), "enterprise__zone").select_related(
        "campaign").annotate(
        open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_on__isnull=True)),
    ).order_by("-visited_on", "-pk")


def enterprise_planned_campaigns(*, enterprise: Enterprise, day: date):
    """Current campaigns listing the enterprise that have not visited it yet."""
    return SurveyCampaign.objects.filter(enterprises=enterprise, ends_on__gte=day).exclude(
        visits__enterprise=enterprise).order_by("starts_on", "pk")


# --- change history of a visit ------------------------------------------------------------


def _history_label(record) -> str:
    label = record_label(record)
    if record.instance_type is FollowUp:
        return f"{label}: {record.action}"
    return label


def visit_history(*, visit: SurveyVisit, limit: int = HISTORY_LIMIT) -> list[dict]:
    """Changes of the visit and its follow-ups, newest first, field by field.

    The registered candidates (a many-to-many field) are left out: their
    names are personal data, and the page shows them where allowed.
    """
    return history_entries(
        visit.history.filter(id=visit.pk),
        FollowUp.history.filter(visit_id=visit.pk),
        limit=limit, describe=_history_label, excluded_fields=("candidates", "recorded_at"),
    )


def visit_candidate_room(*, visit: SurveyVisit, registered: int | None = None) -> int:
    """How many more of the outstanding workers a visit identified may be
    registered as candidates: its figure less those already registered
    (below 0 when the figure is lowered under them, which the services
    refuse). ``registered``: the count, when the caller already has it."""
    if registered is None:
        registered = visit.candidates.count()
    return visit.outstanding_workers - registered
