"""The indicator catalogue (DESIGN §5): every figure is defined here, once.

The dashboard, plan targets and every report read their figures from
:data:`CATALOGUE`; nothing is counted anywhere else. Each indicator is one
aggregate query over dated facts, for the end of a period or over the whole
period [start, end], so any past period can be recomputed. Indicators never
look at today's date.

A figure whose data lives in an app above this one (the survey visits) comes
from a *source* that app registers with :func:`register_source`; until it does,
the indicator's value is ``None`` (shown as "—").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access
from coordination.models import AdmissionCandidate, PartyMember
from coordination.selectors import current_members, official_members, open_candidates, qualifying
from core.periods import Period
from enterprises.models import Enterprise, IndustrialZone, MassOrganization, PartyOrganization
from enterprises.selectors import has_mass_organization, has_party_organization, latest_workforce

ZoneId = int | None
Value = int | None


# --- scope ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The zones a figure covers: ``None`` for the whole province."""

    zone_ids: frozenset[int] | None = None

    @classmethod
    def for_access(cls, access: Access) -> Scope:
        """What an account sees (DESIGN §1): its zones, or the province."""
        return cls(zone_ids=access.zone_ids)

    @classmethod
    def zone(cls, zone_id: int) -> Scope:
        return cls(zone_ids=frozenset({zone_id}))

    @classmethod
    def province(cls) -> Scope:
        return cls(zone_ids=None)

    @property
    def is_province(self) -> bool:
        return self.zone_ids is None

    def filter(self, queryset: QuerySet, lookup: str) -> QuerySet:
        """Keep the rows whose zone, reached through ``lookup``, is in scope."""
        if self.zone_ids is None:
            return queryset
        return queryset.filter(**{f"{lookup}__in": self.zone_ids})


# --- sources registered by apps above this one ------------------------------------------

SURVEYED_ENTERPRISES = "surveyed_enterprises"
SOURCE_NAMES = frozenset({SURVEYED_ENTERPRISES})

# name -> callable(start: date, end: date) -> QuerySet[Enterprise]
_sources: dict[str, Callable[[date, date], QuerySet]] = {}


def register_source(name: str, func: Callable[[date, date], QuerySet]) -> None:
    """Let an app provide the rows of an indicator whose data it owns.

    ``surveyed_enterprises``: ``func(start, end)`` returns a queryset of
    :class:`~enterprises.models.Enterprise` with a survey visit dated within
    [start, end] (duplicates allowed; the catalogue counts distinct ones and
    applies the zone scope itself). Registering again replaces the source.
    """
    if name not in SOURCE_NAMES:
        raise ValueError(f"Unknown indicator source {name!r}; expected one of "
                         f"{sorted(SOURCE_NAMES)}.")
    if not callable(func):
        raise TypeError("An indicator source must be callable.")
    _sources[name] = func


def unregister_source(name: str) -> None:
    """Forget a source (its indicator goes back to ``None``)."""
    _sources.pop(name, None)


def get_source(name: str) -> Callable[[date, date], QuerySet] | None:
    return _sources.get(name)


# --- query building blocks --------------------------------------------------------------


def _operating_enterprises(period: Period) -> QuerySet:
    return Enterprise.objects.operating_on(period.end)


def _without_party_org(period: Period) -> QuerySet:
    return _operating_enterprises(period).filter(~has_party_organization(period.end))


def _party_orgs_active(end: date) -> Q:
    return Q(established_on__lte=end) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))


@dataclass(frozen=True)
class _Query:
    """How to count one indicator: its rows for a period, the path from a row
    to its zone, and the aggregate (a row count unless given)."""

    rows: Callable[[Period], QuerySet | None]
    zone: str
    total: Callable[[Period], object] | None = None

    def _aggregate(self, period: Period):
        if self.total is None:
            return Count("pk")
        return self.total(period)

    def compute(self, scope: Scope, period: Period) -> Value:
        rows = self.rows(period)
        if rows is None:
            return None
        rows = scope.filter(rows, self.zone).order_by()
        return rows.aggregate(value=self._aggregate(period))["value"]

    def compute_by_zone(self, period: Period, zone_ids: frozenset[int] | None = None
                        ) -> dict[ZoneId, int] | None:
        rows = self.rows(period)
        if rows is None:
            return None
        rows = Scope(zone_ids).filter(rows, self.zone).order_by()
        return dict(rows.values(self.zone).annotate(value=self._aggregate(period))
                    .values_list(self.zone, "value"))


def _sourced(name: str) -> Callable[[Period], QuerySet | None]:
    def rows(period: Period) -> QuerySet | None:
        func = get_source(name)
        if func is None:
            return None
        return Enterprise.objects.filter(pk__in=func(period.start, period.end).values("pk"))

    return rows


# --- the catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One indicator: a stable code, the exact Vietnamese label reports print
    (DESIGN §5), the definition in words, and how to compute it.

    ``compute(scope, period)`` returns the figure (``None`` while its source
    is not registered); ``compute_by_zone(period, zone_ids)`` returns
    ``{zone_id: figure}`` for the zones with a non-zero figure, in one query.
    """

    code: str
    label: str
    description: Promise | str
    compute: Callable[[Scope, Period], Value]
    compute_by_zone: Callable[[Period, frozenset[int] | None], dict[ZoneId, int] | None] = field(
        default=None, repr=False, compare=False)

    def __str__(self):
        return self.label


def _indicator(code: str, label: str, description, query: _Query) -> Indicator:
    return Indicator(code=code, label=label, description=description,
                     compute=query.compute, compute_by_zone=query.compute_by_zone)


_members = PartyMember.objects.all
_candidates = AdmissionCandidate.objects.all

CATALOGUE: tuple[Indicator, ...] = (
    _indicator(
        "enterprises", "Tổng số doanh nghiệp",
        _("Enterprises operating at the end of the period: established on or before that day "
          "(or without a date) and not dissolved on or before it. Suspended enterprises count."),
        _Query(_operating_enterprises, "zone"),
    ),
    _indicator(
        "enterprises_foreign", "Doanh nghiệp có vốn đầu tư nước ngoài",
        _("Operating enterprises whose capital source is wholly foreign-owned (FDI) or a joint "
          "venture."),
        _Query(lambda p: _operating_enterprises(p).filter(
            capital_source__in=Enterprise.FOREIGN_CAPITAL), "zone"),
    ),
    _indicator(
        "enterprises_with_party_org", "Doanh nghiệp có tổ chức đảng",
        _("Operating enterprises with a party organization of their own active at the end of "
          "the period."),
        _Query(lambda p: _operating_enterprises(p).filter(has_party_organization(p.end)),
               "zone"),
    ),
    _indicator(
        "enterprises_without_party_org", "Doanh nghiệp chưa có tổ chức đảng",
        _("Operating enterprises without a party organization of their own active at the end "
          "of the period."),
        _Query(_without_party_org, "zone"),
    ),
    _indicator(
        "enterprises_qualifying", "Doanh nghiệp đủ điều kiện thành lập tổ chức đảng",
        _("Operating enterprises without a party organization where at least 3 official party "
          "members work at the end of the period."),
        _Query(lambda p: qualifying(p.end), "zone"),
    ),
    _indicator(
        "party_orgs", "Tổ chức đảng",
        _("Party organizations of every kind, joint cells included, established on or before "
          "the end of the period and not dissolved on or before it."),
        _Query(lambda p: PartyOrganization.objects.filter(_party_orgs_active(p.end)), "zone"),
    ),
    _indicator(
        "party_orgs_new", "Tổ chức đảng thành lập mới trong kỳ",
        _("Party organizations established within the period, both ends included."),
        _Query(lambda p: PartyOrganization.objects.filter(
            established_on__range=(p.start, p.end)), "zone"),
    ),
    _indicator(
        "members", "Tổng số đảng viên",
        _("Party members admitted on or before the end of the period who had not left on or "
          "before it."),
        _Query(lambda p: _members().filter(current_members(p.end)), "enterprise__zone"),
    ),
    _indicator(
        "members_official", "Đảng viên chính thức",
        _("Party members whose official date is on or before the end of the period."),
        _Query(lambda p: _members().filter(official_members(p.end)), "enterprise__zone"),
    ),
    _indicator(
        "members_probationary", "Đảng viên dự bị",
        _("Party members not yet official at the end of the period."),
        _Query(lambda p: _members().filter(current_members(p.end)).filter(
            Q(official_on__isnull=True) | Q(official_on__gt=p.end)), "enterprise__zone"),
    ),
    _indicator(
        "members_owners", "Đảng viên là chủ doanh nghiệp",
        _("Party members at the end of the period who own their enterprise."),
        _Query(lambda p: _members().filter(current_members(p.end), is_enterprise_owner=True),
               "enterprise__zone"),
    ),
    _indicator(
        "members_new", "Đảng viên kết nạp mới trong kỳ",
        _("Party members whose admission date is within the period, both ends included."),
        _Query(lambda p: _members().filter(admitted_on__range=(p.start, p.end)),
               "enterprise__zone"),
    ),
    _indicator(
        "candidates_open", "Quần chúng ưu tú đang theo dõi",
        _("Outstanding workers identified on or before the end of the period, neither "
          "admitted nor closed on or before it."),
        _Query(lambda p: _candidates().filter(open_candidates(p.end)), "enterprise__zone"),
    ),
    _indicator(
        "candidates_course_completed", "Quần chúng ưu tú hoàn thành lớp bồi dưỡng trong kỳ",
        _("Outstanding workers who completed the party awareness course within the period."),
        _Query(lambda p: _candidates().filter(course_completed_on__range=(p.start, p.end)),
               "enterprise__zone"),
    ),
    _indicator(
        "enterprises_with_union", "Doanh nghiệp có công đoàn",
        _("Operating enterprises with a trade union established on or before the end of the "
          "period (or without a date) and not dissolved on or before it."),
        _Query(lambda p: _operating_enterprises(p).filter(
            has_mass_organization(MassOrganization.Kind.TRADE_UNION, p.end)), "zone"),
    ),
    _indicator(
        "enterprises_with_youth_union", "Doanh nghiệp có tổ chức Đoàn",
        _("Operating enterprises with a youth union established on or before the end of the "
          "period (or without a date) and not dissolved on or before it."),
        _Query(lambda p: _operating_enterprises(p).filter(
            has_mass_organization(MassOrganization.Kind.YOUTH_UNION, p.end)), "zone"),
    ),
    _indicator(
        "workers", "Tổng số lao động",
        _("Total workers of the enterprises operating at the end of the period, each from its "
          "latest workforce record dated on or before that day."),
        _Query(_operating_enterprises, "zone",
               total=lambda p: Sum(latest_workforce("total_workers", p.end), default=0)),
    ),
    _indicator(
        "enterprises_surveyed", "Doanh nghiệp được khảo sát trong kỳ",
        _("Distinct enterprises with a survey visit within the period."),
        _Query(_sourced(SURVEYED_ENTERPRISES), "zone"),
    ),
)

INDICATORS: dict[str, Indicator] = {indicator.code: indicator for indicator in CATALOGUE}


def get(code: str) -> Indicator:
    """The indicator with ``code`` (KeyError if there is none)."""
    try:
        return INDICATORS[code]
    except KeyError:
        raise KeyError(f"Unknown indicator {code!r}.") from None


def compute_all(scope: Scope, period: Period) -> list[tuple[Indicator, Value]]:
    """Every indicator for ``scope`` and ``period``, in the catalogue's order
    (one query per indicator at most)."""
    return [(indicator, indicator.compute(scope, period)) for indicator in CATALOGUE]


def by_zone(period: Period, zone_ids: frozenset[int] | None = None
            ) -> dict[ZoneId, dict[str, Value]]:
    """Every indicator per zone: ``{zone_id: {code: value}}``, one query per
    indicator (plus one for the list of zones when ``zone_ids`` is None).

    Each zone in ``zone_ids`` (all zones when None) gets every code, 0 where
    nothing counts and ``None`` for an unsourced indicator. Province-wide, a
    ``None`` key collects what belongs to no zone (joint party cells under the
    IZ Board directly) when there is any, so the values of each code always
    add up to the province's figure.
    """
    if zone_ids is None:
        keys: list[ZoneId] = list(IndustrialZone.objects.order_by("code")
                                  .values_list("pk", flat=True))
    else:
        zone_ids = frozenset(zone_ids)
        keys = sorted(zone_ids)
    grouped = {indicator.code: indicator.compute_by_zone(period, zone_ids)
               for indicator in CATALOGUE}
    if zone_ids is None and any(values and values.get(None) for values in grouped.values()):
        keys.append(None)
    return {
        key: {code: (None if values is None else values.get(key, 0))
              for code, values in grouped.items()}
        for key in keys
    }
