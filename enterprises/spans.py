"""The spans of days over which what the indicators count of an enterprise
stays the same (:class:`enterprises.models.EnterpriseSpan`), kept in step
with the registry.

The registry's stocks at a date (enterprises operating, with a party
organization, a trade union, a youth union, their workers: DESIGN §5) are
functions of dated facts: the enterprise's establishment and dissolution,
its organizations' establishment and dissolution, its workforce records.
Between two of those dates nothing they count changes. Counting them for
every enterprise at a date from the facts themselves tests every
organization and finds every enterprise's latest workforce record (some
twenty milliseconds a date on five thousand enterprises); a span says what
holds from one date to the next, so a stock at a date is the count (or the
sum) of the spans that contain it: one row per operating enterprise.

- :func:`spans_of` computes an enterprise's spans from its facts (pure);
- :func:`refresh` rewrites the spans of some enterprises (the enterprises
  read and locked, one read of their facts, one delete, one insert);
- the signals at the bottom call it after an enterprise, a party
  organization, a mass organization or a workforce record is saved or
  deleted, inside the same transaction, so every path (services, admin,
  importers, the API) keeps them right; the registry's bulk writes
  (:func:`enterprises.services.enterprise_bulk_create`,
  :func:`enterprises.services.party_organization_bulk_create`) call it for
  what they wrote;
- :func:`rebuild` rewrites all of them, after a load that bypassed the
  application (``manage.py rebuild_spans``).

The spans are derived, never edited. The tests compare every indicator read
from them with the same figure counted from the facts, after each kind of
change (tests/enterprises/test_spans.py).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Enterprise, EnterpriseSpan, MassOrganization, PartyOrganization, WorkforceRecord

# A span of days [start, end): None for a start since ever, or an end not yet come.
Days = tuple[date | None, date | None]


def on(day: date) -> Q:
    """The spans that contain ``day``: what holds for each enterprise operating then."""
    return (Q(starts_on__isnull=True) | Q(starts_on__lte=day)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gt=day))


@dataclass(frozen=True)
class Facts:
    """What the spans of one enterprise are computed from: its establishment
    and dissolution dates, its own party organizations', trade unions' and
    youth unions' days (``[established_on, dissolved_on)``, each end None
    when unknown or open), its workforce records ``(as_of, total_workers)``."""

    established_on: date | None
    dissolved_on: date | None
    party_organizations: Sequence[Days] = ()
    trade_unions: Sequence[Days] = ()
    youth_unions: Sequence[Days] = ()
    workforce: Sequence[tuple[date, int]] = ()


@dataclass(frozen=True)
class Span:
    starts_on: date | None
    ends_on: date | None
    party_organization: bool
    trade_union: bool
    youth_union: bool
    workers: int | None

    @property
    def state(self) -> tuple:
        return self.party_organization, self.trade_union, self.youth_union, self.workers


def _holds(days: Iterable[Days], day: date) -> bool:
    return any((start is None or start <= day) and (end is None or end > day)
               for start, end in days)


def spans_of(facts: Facts) -> list[Span]:
    """The spans ``[starts_on, ends_on)`` during which the enterprise
    operates, each as long as nothing counted changes (adjacent spans differ).

    Operating on a day: established on or before it (or without a date) and
    not dissolved on or before it (:func:`enterprises.models.operating_on`).
    An organization is active from its establishment (or since ever without
    a date) to the day before its dissolution; the workers on a day are the
    latest record's on or before it (None before the first)."""
    days = {facts.established_on, facts.dissolved_on}
    for start, end in (*facts.party_organizations, *facts.trade_unions, *facts.youth_unions):
        days.update((start, end))
    days.update(as_of for as_of, _total in facts.workforce)
    days.discard(None)
    bounds = sorted(days)
    workforce = sorted(facts.workforce)
    operating = [(facts.established_on, facts.dissolved_on)]
    spans: list[Span] = []
    for start, end in zip([None, *bounds], [*bounds, None], strict=True):
        # Nothing changes within [start, end): its first day says what holds.
        day = date.min if start is None else start
        if not _holds(operating, day):
            continue
        workers = None
        for as_of, total in workforce:
            if as_of > day:
                break
            workers = total
        span = Span(start, end, _holds(facts.party_organizations, day),
                    _holds(facts.trade_unions, day), _holds(facts.youth_unions, day), workers)
        last = spans[-1] if spans else None
        if last is not None and last.ends_on == start and last.state == span.state:
            spans[-1] = Span(last.starts_on, end, *span.state)
        else:
            spans.append(span)
    return spans


# Enterprises refreshed at a time.
_BATCH = 2000
# What the spans read of an enterprise.
_FIELDS = ("zone_id", "capital_source", "established_on", "status", "status_since")


def _facts_of(enterprise: Enterprise, party=(), trade_unions=(), youth_unions=(),
              workforce=()) -> Facts:
    return Facts(
        established_on=enterprise.established_on,
        dissolved_on=enterprise.status_since
        if enterprise.status == Enterprise.Status.DISSOLVED else None,
        party_organizations=party, trade_unions=trade_unions, youth_unions=youth_unions,
        workforce=workforce)


def _column(model: type[Model], field: str) -> str:
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field).column)}"


@functools.lru_cache(maxsize=64)
def _facts_sql(ids: int | None) -> str:
    """The facts of ``ids`` enterprises (all when None) in one query: rows of
    (enterprise id, fact, start, end, total), the fact ``party``, a mass
    organization's kind or ``workforce``. Written once per number of ids
    (building it with the ORM each time cost more than running it)."""
    where = "" if ids is None else " IN ({})".format(", ".join(["%s"] * ids))

    def part(model, fact, start, end, total, condition):
        owner = _column(model, "enterprise")
        test = [f"{owner} IS NOT NULL"] if ids is None else [f"{owner}{where}"]
        return (f"SELECT {owner}, {fact}, {start}, {end}, {total} "
                f"FROM {connection.ops.quote_name(model._meta.db_table)} "
                f"WHERE {' AND '.join([*test, *condition])}")

    kind = _column(MassOrganization, "kind")
    return " UNION ALL ".join([
        part(PartyOrganization, "'party'", _column(PartyOrganization, "established_on"),
             _column(PartyOrganization, "dissolved_on"), "CAST(NULL AS integer)", []),
        part(MassOrganization, kind, _column(MassOrganization, "established_on"),
             _column(MassOrganization, "dissolved_on"), "CAST(NULL AS integer)",
             [f"{kind} IN (%s, %s)"]),
        part(WorkforceRecord, "'workforce'", _column(WorkforceRecord, "as_of"),
             "CAST(NULL AS date)", _column(WorkforceRecord, "total_workers"), []),
    ])


def _day(value) -> date | None:
    # SQLite gives a union's dates as text.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _facts(enterprises: Iterable[Enterprise], enterprise_ids: list[int] | None = None
           ) -> dict[int, tuple[Enterprise, Facts]]:
    """Each of ``enterprises`` with its facts (those of ``enterprise_ids``,
    or all, read in one query)."""
    kinds = (MassOrganization.Kind.TRADE_UNION, MassOrganization.Kind.YOUTH_UNION)
    ids = [] if enterprise_ids is None else list(enterprise_ids)
    facts: dict[tuple[int, str], list] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_facts_sql(None if enterprise_ids is None else len(ids)),
                       [*ids, *ids, *kinds, *ids])
        while rows := cursor.fetchmany(5000):
            for pk, fact, start, end, total in rows:
                start, end = _day(start), _day(end)
                facts[pk, fact].append((start, total) if fact == "workforce" else (start, end))
    return {enterprise.pk: (enterprise, _facts_of(
        enterprise, facts[enterprise.pk, "party"], facts[enterprise.pk, kinds[0]],
        facts[enterprise.pk, kinds[1]], facts[enterprise.pk, "workforce"]))
        for enterprise in enterprises}


def _write(facts: dict[int, tuple[Enterprise, Facts]]) -> int:
    rows = [EnterpriseSpan(enterprise_id=pk, zone_id=enterprise.zone_id,
                           foreign_capital=enterprise.capital_source in Enterprise.FOREIGN_CAPITAL,
                           starts_on=span.starts_on, ends_on=span.ends_on,
                           party_organization=span.party_organization,
                           trade_union=span.trade_union, youth_union=span.youth_union,
                           workers=span.workers)
            for pk, (enterprise, enterprise_facts) in facts.items()
            for span in spans_of(enterprise_facts)]
    EnterpriseSpan.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rewrite(model: type[Model], enterprise_ids: Iterable[int | None],
            write: Callable[[list[Enterprise]], object]) -> None:
    """Replace the rows of ``model`` (derived rows with an ``enterprise``)
    of these enterprises by those ``write(enterprises)`` writes (given the
    enterprises that exist, read with the fields the spans need), one
    enterprise's at a time: a second transaction refreshing one of them
    waits, then reads what the first committed."""
    ids = sorted({pk for pk in enterprise_ids if pk is not None})
    # No savepoint: part of the change that calls it (a failure fails that change).
    with transaction.atomic(savepoint=False):
        # A bulk write's thousands of enterprises a batch at a time (a query
        # has at most 65,535 parameters).
        for start in range(0, len(ids), _BATCH):
            batch = ids[start:start + _BATCH]
            enterprises = list(Enterprise.objects.select_for_update(no_key=True)
                               .filter(pk__in=batch).only(*_FIELDS).order_by("pk"))
            model._default_manager.filter(enterprise_id__in=batch).delete()
            write(enterprises)


def refresh(enterprise_ids: Iterable[int | None]) -> None:
    """Rewrite the spans of these enterprises from their facts."""
    rewrite(EnterpriseSpan, enterprise_ids,
            lambda enterprises: _write(_facts(enterprises, [e.pk for e in enterprises])))


def rebuild() -> int:
    """Rewrite every enterprise's spans; the number of spans written."""
    with transaction.atomic():
        EnterpriseSpan.objects.all().delete()
        return _write(_facts(Enterprise.objects.only(*_FIELDS).order_by().iterator(
            chunk_size=5000)))


# --- kept in step -----------------------------------------------------------------------

# The enterprise a party organization, a mass organization or a workforce
# record belonged to before a save, so that moving it refreshes both.
_BEFORE = "_spans_enterprise_id"


def _fact_saving(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding:
        return
    setattr(instance, _BEFORE, sender._default_manager.filter(pk=instance.pk)
            .values_list("enterprise_id", flat=True).first())


def _fact_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: rebuild_spans afterwards
        return
    refresh([instance.enterprise_id, getattr(instance, _BEFORE, None)])


def _fact_deleted(sender, instance, **kwargs):
    refresh([instance.enterprise_id])


for _model in (PartyOrganization, MassOrganization, WorkforceRecord):
    pre_save.connect(_fact_saving, sender=_model, dispatch_uid=f"spans_{_model.__name__}_saving")
    post_save.connect(_fact_saved, sender=_model, dispatch_uid=f"spans_{_model.__name__}_saved")
    post_delete.connect(_fact_deleted, sender=_model,
                        dispatch_uid=f"spans_{_model.__name__}_deleted")


@receiver(post_save, sender=Enterprise, dispatch_uid="spans_enterprise_saved")
def _enterprise_saved(sender, instance: Enterprise, created=False, raw=False, **kwargs):
    # Its dates, its status, its zone or its capital source may have changed;
    # a deletion takes its spans with it (cascade).
    if raw:
        return
    if created:  # nothing of it recorded yet: its spans follow from itself
        _write({instance.pk: (instance, _facts_of(instance))})
    else:
        refresh([instance.pk])
