"""The indicator catalogue (DESIGN §5): every figure is defined once.

Each app declares the indicators over its own data in ``<app>/indicators.py``
(found by :func:`core.registry.autodiscover`), one :func:`register` each:

    @indicators.register(position=1, code="enterprises", label="Tổng số doanh nghiệp",
                         kind=indicators.STOCK, source=Enterprise,
                         description=_("Enterprises operating at the end of the period..."),
                         zone="zone")
    def operating(period):
        return operating_on(period.end)

With ``source`` (a model), the decorated function returns the **condition**
(a ``Q``) that picks the rows of ``source`` counted for a period: the
indicator's rows are ``source.objects.filter(condition(period))``. Without
``source``, it returns the rows themselves (a queryset). ``zone`` is the path
from a row to its industrial zone; the figure is the rows' count, or
``total(period, filter)`` (an aggregate) when given. ``position`` is the
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
nothing is counted anywhere else. Each figure is an aggregate over dated
facts, for the end of a period or over the whole period [start, end], so any
past period can be recomputed. Indicators never look at today's date.

**Grouped computation.** :meth:`Indicator.compute` runs one query per
figure. :func:`compute_many` (and :func:`compute_many_by_zone`, per zone)
computes many (indicator, period) pairs at once: the pairs whose indicators
share a ``source``, a ``zone`` path and whether they are selective are one
query over that model, one column per pair with conditional aggregation
(``Count("pk", filter=condition(period))``, or ``total(period,
filter=condition(period))``, distinct counts included); a query of selective
indicators keeps only the rows that meet one of its columns' conditions. An
indicator is selective when its condition picks few of its source's rows:
flows are (what happened within a period), stocks are not (most rows count at
a date) unless declared so (``selective=True``: the enterprises' spans, one
row of several per enterprise at a date). So the whole catalogue, for any
number of periods, is one query per model and kind (eight today: the
enterprises' spans for their stocks, the enterprises for their flow, and three
models each with stocks and flows); an indicator declared without ``source``
falls back to its own query per period. Both ways give the same figures
(``tests/reports/test_grouped_indicators.py`` checks every indicator). Each
indicator's part of a grouped query is built once, for a stand-in period, and
repeated for each real period with its days (see :data:`STAND_IN`): the
condition's days are its only values that depend on the period.
A condition must not follow a many-valued relation (a reverse foreign key or
a many-to-many: use ``Exists``), which would count a row once per related
row.

**Beyond the catalogue.** ``register(..., catalogue=False)`` declares an
indicator that is computed the same way (by code, grouped) but is not a row
of DESIGN §5's table, so the periodic workbook and the plan targets do not
list it: the regulation's working cycle (meetings held, conclusions, replies
overdue) on the dashboard. Its rows may belong to no zone (``zone=None``):
such a figure is the province's; a zone's scope has none of its rows, and
:func:`compute_many_by_zone` gives it under the ``None`` key (what belongs to
no zone), so the zones' figures still add up to the province's.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    Expression,
    Model,
    Q,
    QuerySet,
    TextChoices,
)
from django.db.models.sql.where import WhereNode
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access

from . import parallel
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

    def filter(self, queryset: QuerySet, lookup: str | None) -> QuerySet:
        """Keep the rows whose zone, reached through ``lookup``, is in scope
        (``lookup=None``: rows of no zone, kept for the province only)."""
        if self.zone_ids is None:
            return queryset
        if lookup is None:
            return queryset.none()
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

# The aggregate of a figure over its rows, given the period and the
# condition the rows must meet (None: every row), e.g.
# ``lambda period, filter: Count("member", distinct=True, filter=filter)``.
Total = Callable[[Period, Q | None], Aggregate]


@dataclass(frozen=True)
class Indicator:
    """One indicator: its row in the catalogue, a stable code, the exact
    Vietnamese label reports print (DESIGN §5), the definition in words, its
    kind (a stock, a total at the period's end, or a flow, counted within the
    period), and how to count it.

    ``rows(period)`` is the queryset counted, ``zone`` the path from a row to
    its zone (None: the rows belong to no zone), ``total(period, filter)``
    the aggregate (a row count when None). ``in_catalogue`` is False for an
    indicator outside DESIGN §5's table (``position`` is then 0).
    An indicator with a grouped form also has ``source``, the model of its
    rows, and ``condition(period)``, the ``Q`` that picks them
    (``rows(period)`` is then ``source.objects.filter(condition(period))``):
    :func:`compute_many` counts it together with the others of its source.
    """

    position: int
    code: str
    label: str
    description: Promise | str
    kind: Kind
    rows: Callable[[Period], QuerySet] = field(repr=False, compare=False)
    zone: str | None = field(default="zone", repr=False, compare=False)
    total: Total | None = field(default=None, repr=False, compare=False)
    source: type[Model] | None = field(default=None, repr=False, compare=False)
    condition: Callable[[Period], Q] | None = field(default=None, repr=False, compare=False)
    in_catalogue: bool = field(default=True, repr=False, compare=False)
    selective: bool = field(default=False, repr=False, compare=False)

    def __str__(self):
        return self.label

    @property
    def is_stock(self) -> bool:
        return self.kind == Kind.STOCK

    @property
    def is_grouped(self) -> bool:
        """Whether :func:`compute_many` can count it with others of its source."""
        return self.source is not None and self.condition is not None

    def aggregate(self, period: Period, filter: Q | None = None) -> Aggregate:
        """The figure's aggregate over the rows where ``filter`` holds (all
        the rows when None)."""
        return Count("pk", filter=filter) if self.total is None else self.total(period, filter)

    def compute(self, scope: Scope, period: Period) -> Value:
        """The figure for ``scope`` and ``period``: one query."""
        rows = scope.filter(self.rows(period), self.zone).order_by()
        return rows.aggregate(value=self.aggregate(period))["value"]

    def compute_by_zone(self, period: Period, zone_ids: frozenset[int] | None = None
                        ) -> dict[ZoneId, int]:
        """``{zone_id: figure}`` for the zones with rows (all zones when
        ``zone_ids`` is None): one query."""
        rows = Scope(zone_ids).filter(self.rows(period), self.zone).order_by()
        if self.zone is None:
            value = rows.aggregate(value=self.aggregate(period))["value"]
            return {None: value} if zone_ids is None else {}
        return dict(rows.values(self.zone).annotate(value=self.aggregate(period))
                    .values_list(self.zone, "value"))


def _rows_of(source: type[Model], condition: Callable[[Period], Q]
             ) -> Callable[[Period], QuerySet]:
    def rows(period: Period) -> QuerySet:
        return source._default_manager.filter(condition(period))

    return rows


# The catalogue in DESIGN §5's order, and the same indicators by code. Both
# are filled as the apps' indicator modules are imported.
CATALOGUE: list[Indicator] = []
INDICATORS: dict[str, Indicator] = {}

# The ids of every industrial zone, in code order (registered by the app
# that keeps the zones).
_zone_ids: list[Callable[[], Iterable[int]]] = []


def register(*, position: int = 0, code: str, label: str, description: Promise | str,
             kind: Kind, zone: str | None = "zone", total: Total | None = None,
             source: type[Model] | None = None, catalogue: bool = True,
             selective: bool | None = None):
    """Declare an indicator; ``kind`` (:data:`STOCK` or :data:`FLOW`) has no
    default: every declaration says it.

    With ``source`` (a model), the decorated function returns the condition
    (a ``Q``) on ``source``'s rows for a period, and the indicator is
    computed grouped with the others of its source; without, it returns the
    rows (a queryset) and the indicator is computed on its own.

    ``catalogue=False``: known by its code (:func:`get`, :data:`INDICATORS`)
    but not a row of DESIGN §5's table (:data:`CATALOGUE`), so it needs no
    ``position``.

    ``selective``: whether the condition picks few of the source's rows at
    a period, so that its grouped query is better off reading only the rows
    that meet a condition (see :func:`_rows`); flows by default."""
    kind = Kind(kind)  # ValueError for anything else
    if selective is None:
        selective = kind == Kind.FLOW
    if catalogue and position < 1:
        raise ValueError(f"Indicator {code!r}: give its position in the catalogue.")

    def decorator(func: Callable[[Period], QuerySet | Q]) -> Callable[[Period], QuerySet | Q]:
        if source is None:
            rows, condition = func, None
        else:
            rows, condition = _rows_of(source, func), func
        indicator = Indicator(position=position if catalogue else 0, code=code, label=label,
                              description=description, kind=kind, rows=rows, zone=zone,
                              total=total, source=source, condition=condition,
                              in_catalogue=catalogue, selective=selective)
        known = INDICATORS.get(code)
        declared = None if known is None else known.condition or known.rows
        if declared is not None and declared.__qualname__ == func.__qualname__ \
                and declared.__module__ == func.__module__:
            return func  # the same declaration imported again
        if known is not None:
            raise ValueError(f"Indicator {code!r} is declared twice.")
        if catalogue and any(item.position == position for item in CATALOGUE):
            raise ValueError(f"Two indicators at position {position} of the catalogue.")
        INDICATORS[code] = indicator
        if catalogue:
            CATALOGUE.insert(bisect.bisect([item.position for item in CATALOGUE], position),
                             indicator)
        return func

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


# --- many figures at once ----------------------------------------------------------------

# An indicator (or its code) and a period.
Pair = tuple[Indicator | str, Period]
# The figures of :func:`compute_many`, by (indicator code, period).
Figures = dict[tuple[str, Period], Value]


# The columns counted by one query: the source model, the path to the zone,
# and whether they are selective (see :func:`_rows`).
GroupKey = tuple[type[Model], str | None, bool]


def _columns(pairs: Iterable[Pair]
             ) -> tuple[dict[GroupKey, list[tuple[Indicator, Period]]],
                        list[tuple[Indicator, Period]]]:
    """The distinct pairs, grouped by (source, zone path, selective or not),
    and those of indicators without a grouped form."""
    groups: dict[GroupKey, list[tuple[Indicator, Period]]] = {}
    alone: list[tuple[Indicator, Period]] = []
    seen: set[tuple[str, Period]] = set()
    for item, period in pairs:
        indicator = get(item) if isinstance(item, str) else item
        if (indicator.code, period) in seen:
            continue
        seen.add((indicator.code, period))
        if indicator.is_grouped:
            key = (indicator.source, indicator.zone, indicator.selective)
            groups.setdefault(key, []).append((indicator, period))
        else:
            alone.append((indicator, period))
    # A group of one is its indicator's own query (its condition in WHERE,
    # where an index serves it).
    for key, columns in list(groups.items()):
        if len(columns) == 1:
            alone.extend(groups.pop(key))
    # The groups of most columns first: asked side by side, the longest
    # queries start first rather than last.
    groups = dict(sorted(groups.items(), key=lambda item: -len(item[1])))
    return groups, alone


def _rows(key: GroupKey, columns: list[tuple[Indicator, Period]], scope: Scope) -> QuerySet:
    """The rows one grouped query counts. Selective indicators (flows, which
    count what happened within a period, and the spans of a date) count a
    few rows of many: their query keeps only the rows that meet one of its
    columns' conditions (a row that meets none counts in no column, so the
    figures are the same), which lets an index pick them and spares the
    other rows their joins (the monthly admissions: a few hundred placements
    of sixty thousand). Other stocks count most rows at a date: no such
    filter."""
    source, zone, selective = key
    rows = scope.filter(source._default_manager.all(), zone).order_by()
    if selective:
        rows = rows.filter(functools.reduce(
            operator.or_, (indicator.condition(period) for indicator, period in columns)))
    return rows


def _aggregates(columns: list[tuple[Indicator, Period]]) -> dict[str, Aggregate]:
    return {f"figure_{i}": indicator.aggregate(period, indicator.condition(period))
            for i, (indicator, period) in enumerate(columns)}


def _grouped(rows: QuerySet, aggregates: dict[str, Aggregate], zone: str | None,
             by_zone: bool) -> QuerySet:
    """The aggregates of ``rows`` per zone (the zone first), or over them all."""
    if by_zone:
        return rows.values(zone).annotate(**aggregates).values_list(zone, *aggregates)
    # Aggregates alone (no GROUP BY): one row, as aggregate() reads.
    query = rows.annotate(**aggregates).values_list(*aggregates)
    query.query.group_by = None
    return query


# --- the SQL of a grouped query, built once per indicator ----------------------------------
#
# Building a query of a dozen conditional aggregates costs more than running
# it (Django resolving hundreds of filters: tens of milliseconds of Python on
# a dashboard). A grouped query repeats the same few conditions for several
# periods (two for a figure and its change, fourteen for the trend's months),
# and a condition uses its period's first and last days as values. So each
# group is built once, with one column per indicator for a stand-in period
# whose days appear nowhere else, and taken apart (:class:`_Parts`): each
# column's SQL, each condition's (the aggregate's ``FILTER``), and the rest of
# the query around them. The query for the real pairs repeats each
# indicator's column (and, for a selective group, its condition in the
# ``WHERE``) once per period, the stand-in's days replaced by the period's.
# A condition whose SQL holds any other date (one computed from the period,
# say) or a query of an unexpected shape is built for its real periods
# instead, as before. tests/reports/test_indicator_sql.py checks, for every
# grouped indicator and for months, quarters, halves, years, spans and
# periods cut at a day, that the SQL so obtained is the SQL built for the
# real period, character for character and parameter for parameter.

# The stand-in period: days no indicator uses (1901-02-03 to 1904-10-29).
STAND_IN = Period.span(date(1901, 2, 3), date(1904, 10, 29))
# Where a selective query's conditions go in its WHERE.
_CONDITIONS = "TRUE /* the columns' conditions */"
_PARAM = re.compile(r"%s")


class _Conditions(Expression):
    """A stand-in for the OR of a selective query's conditions."""

    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        return _CONDITIONS, []


# SQL and its parameters.
Fragment = tuple[str, tuple]


@dataclass(frozen=True)
class _Parts:
    """A grouped query taken apart: ``columns`` and ``conditions`` (None
    when not selective) are one per column built, the rest is around them:
    ``SELECT`` + ``head`` (the zone's column, when grouped by zone) + the
    columns + ``middle`` (up to the conditions' place, or to the end) +
    the conditions OR-ed + ``tail``."""

    head: Fragment
    columns: tuple[Fragment, ...]
    conditions: tuple[Fragment, ...] | None
    middle: Fragment
    tail: Fragment


def _filter_of(expression) -> WhereNode | None:
    """The condition of the one aggregate in ``expression`` (None if there
    is not exactly one, with a condition)."""
    found = []
    stack = [expression]
    while stack:
        item = stack.pop()
        if isinstance(item, Aggregate):
            found.append(item.filter)
        else:
            stack.extend(item.get_source_expressions())
    return found[0] if len(found) == 1 and found[0] is not None else None


def _parts(key: GroupKey, columns: list[tuple[Indicator, Period]],
           zone_ids: frozenset[int] | None, by_zone: bool) -> _Parts | None:
    """The query of ``columns`` taken apart (None when its SQL is not of the
    expected shape); EmptyResultSet when it can match no row."""
    source, zone, selective = key
    rows = Scope(zone_ids).filter(source._default_manager.all(), zone).order_by()
    if selective:
        rows = rows.filter(_Conditions())
    aggregates = _aggregates(columns)
    query = _grouped(rows, aggregates, zone, by_zone)
    compiler = query.query.get_compiler(query.db)
    sql, params = compiler.as_sql()
    params = tuple(params)
    if "%%" in sql or not sql.startswith("SELECT "):
        return None
    quote = compiler.connection.ops.quote_name
    if quote("figure_0") != '"figure_0"':  # as _assemble writes the aliases
        return None
    position, count = len("SELECT "), 0
    head: Fragment = ("", ())
    fragments: list[Fragment] = []
    for index, (_expression, (column_sql, column_params), alias) in enumerate(compiler.select):
        text = f"{column_sql} AS {quote(alias)}" + (", " if index + 1 < len(compiler.select)
                                                     else "")
        if not sql.startswith(text, position):
            return None
        column = (column_sql, tuple(column_params))
        if index == 0 and by_zone:
            head = (text, column[1])
        else:
            fragments.append(column)
        position += len(text)
        count += len(column_params)
    rest, rest_params = sql[position:], params[count:]
    conditions = None
    if selective:
        conditions = []
        for (column_sql, _params), alias in zip(fragments, aggregates, strict=True):
            condition = _filter_of(query.query.annotations[alias])
            if condition is None:
                return None
            condition_sql, condition_params = condition.as_sql(compiler, compiler.connection)
            if f"FILTER (WHERE {condition_sql})" not in column_sql:
                return None
            conditions.append((condition_sql, tuple(condition_params)))
        conditions = tuple(conditions)
        at = rest.find(_CONDITIONS)
        if at < 0 or rest.count(_CONDITIONS) != 1:
            return None
        split = len(_PARAM.findall(rest, 0, at))
        middle = (rest[:at], rest_params[:split])
        tail = (rest[at + len(_CONDITIONS):], rest_params[split:])
    else:
        middle, tail = (rest, rest_params), ("", ())
    return _Parts(head, tuple(fragments), conditions, middle, tail)


def _assemble(parts: _Parts, columns: list[Fragment], conditions: list[Fragment] | None
              ) -> tuple[str, tuple]:
    select = ", ".join(f"{sql} AS \"figure_{i}\"" for i, (sql, _params) in enumerate(columns))
    sql = f"SELECT {parts.head[0]}{select}{parts.middle[0]}"
    params = [*parts.head[1], *(p for _sql, column_params in columns for p in column_params),
              *parts.middle[1]]
    if conditions is not None:
        sql += "(" + " OR ".join(condition for condition, _params in conditions) + ")"
        params += [p for _sql, condition_params in conditions for p in condition_params]
    return sql + parts.tail[0], (*params, *parts.tail[1])


# What a parameter of the stand-in's SQL becomes for a period.
_START, _END = object(), object()


def _slots(params: tuple) -> tuple | None:
    """The stand-in's first and last days marked; None if another date is
    there (computed from the period: not a plain substitution)."""
    slots = []
    for value in params:
        if value == STAND_IN.start and isinstance(value, date):
            slots.append(_START)
        elif value == STAND_IN.end and isinstance(value, date):
            slots.append(_END)
        elif isinstance(value, date):
            return None
        else:
            slots.append(value)
    return tuple(slots)


def _fill(fragment: tuple[str, tuple], period: Period) -> Fragment:
    sql, slots = fragment
    return sql, tuple(period.start if slot is _START else period.end if slot is _END else slot
                      for slot in slots)


def _from_stand_in(key: GroupKey, columns: list[tuple[Indicator, Period]],
                   zone_ids: frozenset[int] | None, by_zone: bool) -> tuple[str, tuple] | None:
    """The SQL of ``columns`` from their indicators' stand-in columns (None
    when it cannot be obtained so: then it is built for the real periods)."""
    db = key[0]._default_manager.db
    if not isinstance(connections[db].ops.adapt_datefield_value(STAND_IN.start), date):
        # The backend turns days into text in the SQL's parameters (SQLite): a
        # day computed from the period could not be told from another value.
        return None
    indicators = list(dict.fromkeys(indicator for indicator, _period in columns))
    parts = _parts(key, [(indicator, STAND_IN) for indicator in indicators], zone_ids, by_zone)
    if parts is None:
        return None
    for fixed in (parts.head[1], parts.middle[1], parts.tail[1]):
        if _slots(fixed) != fixed:  # no period's day outside the columns and conditions
            return None
    marked = [(sql, _slots(params)) for sql, params in parts.columns]
    conditions = None if parts.conditions is None else [
        (sql, _slots(params)) for sql, params in parts.conditions]
    if any(slots is None for _sql, slots in [*marked, *(conditions or ())]):
        return None
    index = {indicator: n for n, indicator in enumerate(indicators)}
    return _assemble(
        parts, [_fill(marked[index[indicator]], period) for indicator, period in columns],
        None if conditions is None
        else [_fill(conditions[index[indicator]], period) for indicator, period in columns])


def _built(key: GroupKey, columns: list[tuple[Indicator, Period]],
           zone_ids: frozenset[int] | None, by_zone: bool) -> tuple[str, tuple]:
    """The SQL of ``columns`` built for their real periods."""
    parts = _parts(key, columns, zone_ids, by_zone)
    if parts is not None:
        return _assemble(parts, list(parts.columns),
                         None if parts.conditions is None else list(parts.conditions))
    query = _grouped(_rows(key, columns, Scope(zone_ids)), _aggregates(columns), key[1], by_zone)
    sql, params = query.query.get_compiler(query.db).as_sql()
    return sql, tuple(params)


# The SQL of a grouped query and its parameters, by what the query counts:
# the group, its columns (indicator and period), the zones and whether it is
# grouped by zone: the same figures are asked for again each time the data
# changes. A condition is a function of its period alone (indicators never
# look at today's date, and their subqueries are SQL, never values read at
# build time), so the same key always gives the same SQL.
_SQL_CACHE_SIZE = 512


@functools.lru_cache(maxsize=_SQL_CACHE_SIZE)
def _compiled(key: GroupKey, columns: tuple[tuple[Indicator, Callable, Period], ...],
              zone_ids: frozenset[int] | None, by_zone: bool) -> tuple[str, tuple] | None:
    """The SQL and parameters of a grouped query; None when it can match no
    row (an empty set of zones), so nothing is asked of the database."""
    pairs = [(indicator, period) for indicator, _condition, period in columns]
    try:
        return _from_stand_in(key, pairs, zone_ids, by_zone) or _built(
            key, pairs, zone_ids, by_zone)
    except EmptyResultSet:
        return None


def _run(key: GroupKey, columns: list[tuple[Indicator, Period]],
         zone_ids: frozenset[int] | None, by_zone: bool) -> list[tuple]:
    """The rows of one grouped query (SQL built once per key, see :func:`_compiled`)."""
    compiled = _compiled(key, tuple((indicator, indicator.condition, period)
                                    for indicator, period in columns), zone_ids, by_zone)
    if compiled is None:
        if by_zone:
            return []
        # What each aggregate gives over no row (0 for a count, the default of a sum).
        values = _rows(key, columns, Scope(zone_ids)).aggregate(**_aggregates(columns))
        return [tuple(values[f"figure_{i}"] for i in range(len(columns)))]
    sql, params = compiled
    with connections[key[0]._default_manager.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def compute_many(pairs: Iterable[Pair], scope: Scope) -> Figures:
    """The figure of each (indicator or code, period) of ``pairs`` for
    ``scope``: ``{(code, period): value}``, equal to
    :meth:`Indicator.compute` of each.

    One query per source model and kind of the grouped indicators, whatever the number
    of pairs (one column per pair, conditional aggregation), plus one per pair
    of the indicators computed alone.
    """
    groups, alone = _columns(pairs)
    figures: Figures = {}
    answers = parallel.side_by_side(
        [functools.partial(_run, key, columns, scope.zone_ids, by_zone=False)
         for key, columns in groups.items()]
        + [functools.partial(indicator.compute, scope, period) for indicator, period in alone])
    for columns, (values,) in zip(groups.values(), answers, strict=False):
        for (indicator, period), value in zip(columns, values, strict=True):
            figures[indicator.code, period] = value
    for (indicator, period), value in zip(alone, answers[len(groups):], strict=True):
        figures[indicator.code, period] = value
    return figures


def compute_many_by_zone(pairs: Iterable[Pair], zone_ids: frozenset[int] | None = None
                         ) -> dict[tuple[str, Period], dict[ZoneId, Value]]:
    """Each pair's figure per zone: ``{(code, period): {zone_id: value}}``
    for the zones of ``zone_ids`` (every zone when None, and ``None`` for the
    rows without a zone) where the figure is not 0, as
    :meth:`Indicator.compute_by_zone` of each (a zone left out counts 0).

    One query per source model and kind of the grouped indicators (grouped by zone,
    one column per pair), plus one per pair of the others.
    """
    groups, alone = _columns(pairs)
    figures: dict[tuple[str, Period], dict[ZoneId, Value]] = {}

    def rows(key: GroupKey, columns: list[tuple[Indicator, Period]]) -> list[tuple]:
        if key[1] is None:  # rows of no zone: one total, under None
            return [(None, *values) for values in _run(key, columns, zone_ids, by_zone=False)
                    ] if zone_ids is None else []
        return _run(key, columns, zone_ids, by_zone=True)

    answers = parallel.side_by_side(
        [functools.partial(rows, key, columns) for key, columns in groups.items()]
        + [functools.partial(indicator.compute_by_zone, period, zone_ids)
           for indicator, period in alone])
    for columns, grouped in zip(groups.values(), answers, strict=False):
        results = {(indicator.code, period): {} for indicator, period in columns}
        for zone_id, *values in grouped:
            for (indicator, period), value in zip(columns, values, strict=True):
                if value:
                    results[indicator.code, period][zone_id] = value
        figures.update(results)
    for (indicator, period), values in zip(alone, answers[len(groups):], strict=True):
        figures[indicator.code, period] = {
            zone_id: value for zone_id, value in values.items() if value}
    return figures


def compute_all(scope: Scope, period: Period) -> list[tuple[Indicator, Value]]:
    """Every indicator for ``scope`` and ``period``, in the catalogue's order
    (:func:`compute_many`: one query per source model and kind)."""
    figures = compute_many([(indicator, period) for indicator in CATALOGUE], scope)
    return [(indicator, figures[indicator.code, period]) for indicator in CATALOGUE]


def by_zone(period: Period, zone_ids: frozenset[int] | None = None
            ) -> dict[ZoneId, dict[str, Value]]:
    """Every indicator per zone: ``{zone_id: {code: value}}``, in one query
    per source model and kind (:func:`compute_many_by_zone`), plus one for the list of
    zones when ``zone_ids`` is None.

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
    figures = compute_many_by_zone([(indicator, period) for indicator in CATALOGUE], zone_ids)
    grouped = {indicator.code: figures[indicator.code, period] for indicator in CATALOGUE}
    if zone_ids is None and any(values.get(None) for values in grouped.values()):
        keys.append(None)
    return {key: {code: values.get(key, 0) for code, values in grouped.items()}
            for key in keys}
