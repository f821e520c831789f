"""Data-review checks of founding and of the organizations' size (core.quality):
qualifying enterprises left waiting for a proposal, party cells with fewer
than three official members, organizations whose kind no longer fits their
size. Registered by ``coordination.quality``."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.quality import Check
from enterprises.models import Enterprise, PartyOrganization
from enterprises.selectors import party_organization_queryset

from ..models import Founding, Placement, covering
from ..selectors import QUALIFY_MIN_OFFICIAL, qualifying

Kind = PartyOrganization.Kind
CELLS = (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL)
# A grassroots organization of this many members or more should be a
# grassroots committee (đảng bộ cơ sở); below it, a grassroots cell.
COMMITTEE_SIZE = 30


def _active(today) -> Q:
    return Q(established_on__lte=today) & (Q(dissolved_on__isnull=True)
                                           | Q(dissolved_on__gt=today))


def _proposed() -> Exists:
    return Exists(Founding.objects.filter(enterprise=OuterRef("pk"), proposed_on__isnull=False,
                                          abandoned_on__isnull=True))


def waiting_for_a_proposal(today) -> Q:
    """Qualified FOUNDING_PROPOSAL_DAYS ago and still qualifies, with no
    proposal to found its party organization."""
    then = today - timedelta(days=settings.FOUNDING_PROPOSAL_DAYS)
    return (Q(pk__in=qualifying(today).values("pk")) & Q(pk__in=qualifying(then).values("pk"))
            & ~_proposed())


def _members(today, **filters):
    return (Placement.objects.filter(covering(today), **filters)
            .values("party_organization").annotate(n=Count("member", distinct=True)))


def cells_below_three(today) -> Q:
    """Active party cells with fewer than three official members on the rolls."""
    enough = _members(today, attendance=Placement.Attendance.OFFICIAL,
                      member__official_on__lte=today).filter(n__gte=QUALIFY_MIN_OFFICIAL)
    return (_active(today) & Q(kind__in=CELLS)
            & ~Q(pk__in=enough.values("party_organization")))


def size_mismatch(today) -> Q:
    """A grassroots committee under 30 members, or a grassroots cell of 30 or more."""
    # Counted as everywhere: members on the rolls in official attendance.
    large = (_members(today, attendance=Placement.Attendance.OFFICIAL)
             .filter(n__gte=COMMITTEE_SIZE).values("party_organization"))
    return _active(today) & (
        (Q(kind=Kind.GRASSROOTS_COMMITTEE) & ~Q(pk__in=large))
        | (Q(kind=Kind.GRASSROOTS_CELL) & Q(pk__in=large)))


CHECKS = [
    Check(
        code="qualifying_without_proposal",
        label=_("Qualifying enterprises with no proposal to found their party organization"),
        hint=_("Open a founding case and send the proposal to the upper committee."),
        list_name="enterprises:enterprise_list",
        scope=lambda access: access.scope_zones(Enterprise.objects.all(), "zone"),
        condition=waiting_for_a_proposal,
    ),
    Check(
        code="cells_below_three",
        label=_("Party cells with fewer than three official members"),
        hint=_("A cell needs three official members: admit or transfer members, or merge it."),
        list_name="enterprises:partyorg_list",
        scope=lambda access: party_organization_queryset(access=access),
        condition=cells_below_three,
    ),
    Check(
        code="organization_size_mismatch",
        label=_("Party organizations whose kind does not fit their size"),
        hint=_("30 members or more: a grassroots committee; fewer: a grassroots cell."),
        list_name="enterprises:partyorg_list",
        scope=lambda access: party_organization_queryset(access=access),
        condition=size_mismatch,
    ),
]
