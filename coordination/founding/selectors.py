"""Reading founding cases: the board of enterprises by stage, a case, and the
flags of enterprises left waiting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from accounts.policy import Access
from enterprises.models import Enterprise

from ..models import Founding, Placement
from ..selectors import QUALIFY_MIN_OFFICIAL, enterprises_that_qualify

Stage = Founding.Stage
# The board's columns, left to right (abandoned cases are not on the board).
COLUMNS = [Stage.QUALIFIES, Stage.PROPOSED, Stage.DECIDED, Stage.APPOINTED, Stage.COMPLETED]
# Cards shown per column (the column's count is always complete).
CARDS_PER_COLUMN = 30
# Completed cases stay on the board this long.
COMPLETED_SHOWN_DAYS = 365


def proposal_days() -> int:
    return settings.FOUNDING_PROPOSAL_DAYS


def founding_queryset(*, access: Access) -> QuerySet[Founding]:
    qs = Founding.objects.select_related("enterprise__zone", "organization")
    return access.scope_zones(qs, "enterprise__zone")


def founding_get(*, access: Access, pk: int) -> Founding:
    try:
        return founding_queryset(access=access).get(pk=pk)
    except (Founding.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def qualifying_since(enterprise_ids, day: date) -> dict[int, date]:
    """The day each enterprise had its third official member working there,
    from the members there today (one query): when it began to qualify."""
    starts: dict[int, list[date]] = {}
    rows = (Placement.objects.filter(enterprise_id__in=list(enterprise_ids),
                                     ends_on__isnull=True,
                                     attendance=Placement.Attendance.OFFICIAL,
                                     member__official_on__lte=day)
            .values_list("enterprise_id", "starts_on", "member__official_on"))
    for enterprise_id, starts_on, official_on in rows:
        starts.setdefault(enterprise_id, []).append(max(starts_on, official_on))
    return {pk: sorted(days)[QUALIFY_MIN_OFFICIAL - 1] for pk, days in starts.items()
            if len(days) >= QUALIFY_MIN_OFFICIAL}


@dataclass
class Card:
    enterprise: Enterprise
    case: Founding | None
    since: date | None
    waiting_days: int | None
    overdue: bool


@dataclass
class Column:
    stage: str
    label: str
    count: int = 0
    cards: list[Card] = field(default_factory=list)


def board(*, access: Access, today: date, zone_id: int | None = None) -> list[Column]:
    """The enterprises of the account's zones by founding stage: those that
    qualify with no case or a case not yet proposed, then the open cases by
    stage, then the cases completed in the last year. A card waiting for its
    proposal longer than FOUNDING_PROPOSAL_DAYS is overdue."""
    columns = {stage: Column(stage=stage, label=Stage(stage).label) for stage in COLUMNS}
    cases = founding_queryset(access=access).filter(abandoned_on__isnull=True).exclude(
        members_moved_on__lt=today - timedelta(days=COMPLETED_SHOWN_DAYS))
    qualifying = enterprises_that_qualify(access=access, day=today)
    if zone_id is not None:
        cases = cases.filter(enterprise__zone_id=zone_id)
        qualifying = qualifying.filter(zone_id=zone_id)
    cases = list(cases.order_by("started_on", "pk"))
    with_case = {case.enterprise_id for case in cases}
    waiting = [e for e in qualifying if e.pk not in with_case]
    since = qualifying_since([e.pk for e in waiting], today)
    limit = proposal_days()
    for enterprise in waiting:
        day = since.get(enterprise.pk)
        _add(columns[Stage.QUALIFIES], Card(enterprise, None, day, _days(day, today),
                                            _late(day, today, limit)))
    for case in cases:
        stage = case.stage
        day = case.started_on if stage == Stage.QUALIFIES else None
        _add(columns[stage], Card(case.enterprise, case, day, _days(day, today),
                                  stage == Stage.QUALIFIES and _late(day, today, limit)))
    for column in columns.values():
        column.cards.sort(key=lambda card: (not card.overdue, -(card.waiting_days or 0)))
        column.cards = column.cards[:CARDS_PER_COLUMN]
    return list(columns.values())


def _add(column: Column, card: Card) -> None:
    column.count += 1
    column.cards.append(card)


def _days(day: date | None, today: date) -> int | None:
    return (today - day).days if day else None


def _late(day: date | None, today: date, limit: int) -> bool:
    return day is not None and (today - day).days >= limit

