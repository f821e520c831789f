"""The indicator catalogue (DESIGN §5): every figure is defined once.

Each app declares the indicators over its own data in ``<app>/indicators.py``
(found by :func:`core.registry.autodiscover`), one :func:`register` each:

    @indicators.register(position=1, code="enterprises", label="Tổng số doanh nghiệp",
                         kind=indicators.STOCK,
                         description=_("Enterprises operating at the end of the period..."),
                         zone="zone")
    def operating(period):
        return Enterprise.objects.operating_on(period.end)

The decorated function returns the rows of the figure for a period; ``zone``
is the path from a row to its industrial zone; the figure is the rows' count,
or ``total(period)`` (an aggregate) when given. ``position`` is the
indicator's row in DESIGN §5's table: :data:`CATALOGUE` keeps that order.

``kind`` is required and says what the figure is (DESIGN §3, §5):

- :data:`STOCK`, a total at a date ("at the end of the period": members,
  organizations, enterprises with...): the figure depends on the period's
  end only;
- :data:`FLOW`, what happened within the period ("within the period":
  admitted, founded, surveyed...): the figure counts [start, end].

A plan target is judged by its indicator's kind (DESIGN §3): a stock from
its figure on 1 January, a flow from 0.

The dashboard, plan targets and every report read their figures from here;
nothing is counted anywhere else. Each figure is one aggregate query over
dated facts, for the end of a period or over the whole period [start, end],
so any past period can be recomputed. Indicators never look at today's date.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access

from .periods import Period

ZoneId = int | None
# None: a figure that could not be computed (kept in reports frozen that way).
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


# --- indicators ------------------------------------------------------------------------


class Kind(TextChoices):
    """What an indicator's figure is (DESIGN §3, §5)."""

    # A total at a date: the figure at the end of the period.
    STOCK = "stock", _("Total at a date")
    # Counted within the period, both ends included.
    FLOW = "flow", _("Counted within the period")


STOCK = Kind.STOCK
FLOW = Kind.FLOW


@dataclass(frozen=True)
class Indicator:
    """One indicator: its row in the catalogue, a stable code, the exact
    Vietnamese label reports print (DESIGN §5), the definition in words, its
    kind (a stock, a total at the period's end, or a flow, counted within the
    period), and how to count it.

    ``rows(period)`` is the queryset counted, ``zone`` the path from a row to
    its zone, ``total(period)`` the aggregate (a row count when None).
    """

    position: int
    code: str
    label: str
    description: Promise | str
    kind: Kind
    rows: Callable[[Period], QuerySet] = field(repr=False, compare=False)
    zone: str = field(default="zone", repr=False, compare=False)
    total: Callable[[Period], object] | None = field(default=None, repr=False, compare=False)

    def __str__(self):
        return self.label

    @property
    def is_stock(self) -> bool:
        return self.kind == Kind.STOCK

    def _aggregate(self, period: Period):
        return Count("pk") if self.total is None else self.total(period)

    def compute(self, scope: Scope, period: Period) -> Value:
        """The figure for ``scope`` and ``period``: one query."""
        rows = scope.filter(self.rows(period), self.zone).order_by()
        return rows.aggregate(value=self._aggregate(period))["value"]

    def compute_by_zone(self, period: Period, zone_ids: frozenset[int] | None = None
                        ) -> dict[ZoneId, int]:
        """``{zone_id: figure}`` for the zones with a non-zero figure (all
        zones when ``zone_ids`` is None): one query."""
        rows = Scope(zone_ids).filter(self.rows(period), self.zone).order_by()
        return dict(rows.values(self.zone).annotate(value=self._aggregate(period))
                    .values_list(self.zone, "value"))


# The catalogue in DESIGN §5's order, and the same indicators by code. Both
# are filled as the apps' indicator modules are imported.
CATALOGUE: list[Indicator] = []
INDICATORS: dict[str, Indicator] = {}

# The ids of every industrial zone, in code order (registered by the app
# that keeps the zones).
_zone_ids: list[Callable[[], Iterable[int]]] = []


def register(*, position: int, code: str, label: str, description: Promise | str, kind: Kind,
             zone: str = "zone", total: Callable[[Period], object] | None = None):
    """Declare an indicator whose rows the decorated function returns; ``kind``
    (:data:`STOCK` or :data:`FLOW`) has no default: every declaration says it."""
    kind = Kind(kind)  # ValueError for anything else

    def decorator(rows: Callable[[Period], QuerySet]) -> Callable[[Period], QuerySet]:
        indicator = Indicator(position=position, code=code, label=label,
                              description=description, kind=kind, rows=rows, zone=zone,
                              total=total)
        known = INDICATORS.get(code)
        if known is not None and known.rows.__qualname__ == rows.__qualname__ \
                and known.rows.__module__ == rows.__module__:
            return rows  # the same declaration imported again
        if known is not None:
            raise ValueError(f"Indicator {code!r} is declared twice.")
        if any(item.position == position for item in CATALOGUE):
            raise ValueError(f"Two indicators at position {position} of the catalogue.")
        INDICATORS[code] = indicator
        CATALOGUE.insert(bisect.bisect([item.position for item in CATALOGUE], position),
                         indicator)
        return rows

    return decorator


def register_zones(func: Callable[[], Iterable[int]]) -> Callable[[], Iterable[int]]:
    """Declare where the list of zones comes from (for :func:`by_zone`)."""
    _zone_ids[:] = [func]
    return func


def get(code: str) -> Indicator:
    """The indicator with ``code`` (KeyError if there is none)."""
    try:
        return INDICATORS[code]
    except KeyError:
        raise KeyError(f"Unknown indicator {code!r}.") from None


def compute_all(scope: Scope, period: Period) -> list[tuple[Indicator, Value]]:
    """Every indicator for ``scope`` and ``period``, in the catalogue's order
    (one query per indicator)."""
    return [(indicator, indicator.compute(scope, period)) for indicator in CATALOGUE]


def by_zone(period: Period, zone_ids: frozenset[int] | None = None
            ) -> dict[ZoneId, dict[str, Value]]:
    """Every indicator per zone: ``{zone_id: {code: value}}``, one query per
    indicator (plus one for the list of zones when ``zone_ids`` is None).

    Each zone in ``zone_ids`` (all zones when None) gets every code, 0 where
    nothing counts. Province-wide, a ``None`` key collects what belongs to no
    zone (joint party cells under the IZ Board directly) when there is any,
    so the values of each code always add up to the province's figure.
    """
    if zone_ids is None:
        keys: list[ZoneId] = [pk for func in _zone_ids for pk in func()]
    else:
        zone_ids = frozenset(zone_ids)
        keys = sorted(zone_ids)
    grouped = {indicator.code: indicator.compute_by_zone(period, zone_ids)
               for indicator in CATALOGUE}
    if zone_ids is None and any(values.get(None) for values in grouped.values()):
        keys.append(None)
    return {key: {code: values.get(key, 0) for code, values in grouped.items()}
            for key in keys}
