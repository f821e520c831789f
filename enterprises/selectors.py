"""Reads of the registry, always through the account's access (scope)."""

from __future__ import annotations

import threading
from datetime import date
from typing import NamedTuple

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.policy import Access

from .models import (
    Enterprise,
    IndustrialZone,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
)


def _active_on(day: date, prefix: str = "") -> Q:
    """Organizations established on/before ``day`` and not dissolved by then."""
    return (Q(**{f"{prefix}established_on__isnull": True})
            | Q(**{f"{prefix}established_on__lte": day})) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": day})
    )


def has_party_organization(day: date | None = None, *, enterprise: str = "pk") -> Exists:
    """Whether the enterprise (the outer row's ``enterprise`` field: its
    ``pk`` by default) has a party organization active at ``day``."""
    day = day or date.today()
    return Exists(
        PartyOrganization.objects.filter(enterprise=OuterRef(enterprise)).filter(_active_on(day))
    )


def has_mass_organization(kind: str, day: date | None = None) -> Exists:
    day = day or date.today()
    return Exists(
        MassOrganization.objects.filter(enterprise=OuterRef("pk"), kind=kind).filter(
            _active_on(day)
        )
    )


def with_party_organization(day: date) -> Q:
    """:func:`has_party_organization` as ``pk IN (ids)``: for the indicators,
    which test it for every enterprise at several dates. PostgreSQL reads the
    ids once into a hash instead of probing the index for each row (a fifth
    of the time on 5,000 enterprises). Never a null id, so ``~`` is safe."""
    return Q(pk__in=PartyOrganization.objects.filter(enterprise__isnull=False)
             .filter(_active_on(day)).values("enterprise_id"))


def with_mass_organization(kind: str, day: date) -> Q:
    """:func:`has_mass_organization` as ``pk IN (ids)`` (see :func:`with_party_organization`)."""
    return Q(pk__in=MassOrganization.objects.filter(kind=kind).filter(_active_on(day))
             .values("enterprise_id"))


def latest_workforce(field: str = "total_workers", day: date | None = None) -> Subquery:
    records = WorkforceRecord.objects.filter(enterprise=OuterRef("pk"))
    if day is not None:
        records = records.filter(as_of__lte=day)
    # One record per enterprise and day (a unique constraint): the latest
    # date decides alone, read backwards from that index with no sort.
    return Subquery(records.order_by("-as_of").values(field)[:1],
                    output_field=IntegerField())


def _count(queryset) -> Subquery:
    return Subquery(
        queryset.order_by().values("zone").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def zone_list(*, access: Access) -> QuerySet[IndustrialZone]:
    """Zones in scope with their enterprise and party organization counts (one query)."""
    today = date.today()
    enterprises = Enterprise.objects.filter(zone=OuterRef("pk")).exclude(
        status=Enterprise.Status.DISSOLVED)
    party_orgs = PartyOrganization.objects.filter(zone=OuterRef("pk")).filter(_active_on(today))
    return access.scope_zones(IndustrialZone.objects.all(), "pk").annotate(
        enterprise_count=Coalesce(_count(enterprises), 0),
        party_org_count=Coalesce(_count(party_orgs), 0),
    ).order_by("code")


def zone_get(*, access: Access, pk: int) -> IndustrialZone:
    try:
        return access.scope_zones(IndustrialZone.objects.all(), "pk").get(pk=pk)
    except IndustrialZone.DoesNotExist as exc:
        raise Http404 from exc


def enterprise_flag(name: str, day: date | None = None) -> Exists:
    """The condition behind a yes/no column of the enterprise list, by its name."""
    if name == "has_party_org":
        return has_party_organization(day)
    kinds = {"has_union": MassOrganization.Kind.TRADE_UNION,
             "has_youth_union": MassOrganization.Kind.YOUTH_UNION}
    return has_mass_organization(kinds[name], day)


def enterprise_scope(*, access: Access) -> QuerySet[Enterprise]:
    """Enterprises in scope, nothing computed: what the list filters, counts,
    sorts and exports (its page gets its figures from ``enterprise_rows``)."""
    return access.scope_zones(Enterprise.objects.all(), "zone")


def enterprise_queryset(*, access: Access) -> QuerySet[Enterprise]:
    """Enterprises in scope, with what the lists show annotated (no N+1)."""
    return (
        access.scope_zones(Enterprise.objects.all(), "zone")
        .select_related("zone")
        .annotate(
            workers=latest_workforce("total_workers"),
            has_party_org=has_party_organization(),
            has_union=has_mass_organization(MassOrganization.Kind.TRADE_UNION),
            has_youth_union=has_mass_organization(MassOrganization.Kind.YOUTH_UNION),
        )
    )


class EnterpriseRow(NamedTuple):
    """What the enterprise list draws of an enterprise (enterprise_tags.RowWriter)."""

    pk: int
    name: str
    short_name: str
    tax_code: str
    legal_form: str
    capital_source: str
    established_on: date | None
    status: str
    zone_code: str
    zone_name: str
    workers: int | None
    has_party_org: bool
    has_union: bool
    has_youth_union: bool


_row_queries = threading.local()


def _row_query(day: date) -> QuerySet:
    """The list's rows on ``day`` without their ids: every enterprise as an
    ``EnterpriseRow``'s values, with the figures as subqueries of the row.

    Built once a day rather than for every page, which adds its ids and the
    account's scope to a copy: building it (four subqueries resolved into
    it) took a quarter of the rows' time. Kept per thread: a copy shares the
    subqueries with it, and compiling a query works on its subqueries, which
    two threads must not do at once.
    """
    cached = getattr(_row_queries, "by_day", None)
    if cached is not None and cached[0] == day:
        return cached[1]
    # The same conditions as has_party_organization / has_mass_organization,
    # as "the first such row" so each is a lookup for the row at hand.
    party_orgs = PartyOrganization.objects.filter(_active_on(day), enterprise=OuterRef("pk"))
    mass_orgs = MassOrganization.objects.filter(_active_on(day), enterprise=OuterRef("pk"))
    flags = {
        "has_party_org": party_orgs,
        "has_union": mass_orgs.filter(kind=MassOrganization.Kind.TRADE_UNION),
        "has_youth_union": mass_orgs.filter(kind=MassOrganization.Kind.YOUTH_UNION),
    }
    figures = {
        "_workers": latest_workforce("total_workers"),
        **{f"_{name}": Subquery(related.order_by().values("pk")[:1])
           for name, related in flags.items()},
    }
    query = Enterprise.objects.annotate(**figures).order_by().values_list(
        "pk", "name", "short_name", "tax_code", "legal_form", "capital_source",
        "established_on", "status", "zone__code", "zone__name", *figures,
    )
    _row_queries.by_day = (day, query)
    return query


def enterprise_rows(*, access: Access, pks: list[int]) -> list[EnterpriseRow]:
    """The enterprises ``pks`` (in scope), in that order, as the list draws them.

    A list page first finds its rows' ids, then annotates only those rows: the
    database then looks up each row's figures by index instead of hashing
    every workforce record and organization of the province (on 5,000
    enterprises the list's query took 8 ms, these two take 1 ms). Nothing is
    sorted (the rows are put in the order of ``pks`` here, any organization
    answers a flag), and the rows are tuples of the values drawn rather than
    model instances (a page of them was built in a third of the time).
    """
    values = access.scope_zones(_row_query(date.today()).filter(pk__in=pks), "zone")
    found = {}
    for *fields, workers, party_org, union, youth_union in values:
        row = EnterpriseRow(*fields, workers, party_org is not None, union is not None,
                            youth_union is not None)
        found[row.pk] = row
    return [found[pk] for pk in pks if pk in found]


def enterprise_get(*, access: Access, pk: int) -> Enterprise:
    """One enterprise in scope, or 404 (never 403: existence is not disclosed)."""
    try:
        return enterprise_queryset(access=access).get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def party_organization_queryset(*, access: Access) -> QuerySet[PartyOrganization]:
    qs = PartyOrganization.objects.select_related("enterprise", "zone", "parent")
    if access.zone_ids is not None:
        qs = qs.filter(zone__in=access.zone_ids)
    return qs


def party_organization_get(*, access: Access, pk: int) -> PartyOrganization:
    try:
        return party_organization_queryset(access=access).get(pk=pk)
    except (PartyOrganization.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
