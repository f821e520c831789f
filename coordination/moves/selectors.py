"""Reads of the moves pages, scoped like the member pages (the member
selectors refuse accounts without Perm.VIEW_PERSONAL_DATA)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.policy import Access
from core.text import fold
from enterprises.filters import enterprise_search
from enterprises.models import Enterprise, PartyOrganization
from enterprises.selectors import party_organization_queryset

from .. import selectors
from ..models import PartyMember, Placement

SUGGESTIONS = 20


def member_placements(member: PartyMember) -> list[Placement]:
    """The member's periods, newest first, with what the timeline names."""
    return list(member.placements.select_related(
        "enterprise__zone", "party_organization__zone").order_by("-starts_on", "-pk"))


def placement_get(*, access: Access, pk: int) -> Placement:
    """A period of a member the account may see (404 otherwise)."""
    members = selectors.member_queryset(access=access)
    try:
        return Placement.objects.select_related(
            "enterprise__zone", "party_organization", "member").filter(
            member__in=members.values("pk")).get(pk=pk)
    except (Placement.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def enterprise_choices(access: Access) -> QuerySet[Enterprise]:
    return access.scope_zones(Enterprise.objects.select_related("zone"), "zone") \
        .order_by("sort_name", "pk")


def organization_choices(access: Access, *, current_pk=None) -> QuerySet[PartyOrganization]:
    """Party organizations in scope active today (and the one already chosen)."""
    active = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate())
    if current_pk:
        active |= Q(pk=current_pk)
    return party_organization_queryset(access=access).filter(active) \
        .select_related("zone").order_by("sort_name", "pk")


def enterprise_suggestions(access: Access, text: str) -> list[Enterprise]:
    condition = enterprise_search(text)
    if condition is None:
        return []
    return list(enterprise_choices(access).filter(condition)[:SUGGESTIONS])


def organization_suggestions(access: Access, text: str) -> list[PartyOrganization]:
    folded = fold(text)
    if not folded:
        return []
    return list(organization_choices(access).filter(search_text__contains=folded)
                [:SUGGESTIONS])


def members_to_move(*, access: Access, enterprise=None, organization=None,
                    day=None) -> QuerySet[PartyMember]:
    """Members on the rolls at ``day`` working in ``enterprise`` or attending
    ``organization`` (none without either), sorted the Vietnamese way."""
    if enterprise is None and organization is None:
        return PartyMember.objects.none()
    day = day or timezone.localdate()
    condition = Q()
    if enterprise is not None:
        condition &= Q(enterprise=enterprise)
    if organization is not None:
        condition &= Q(party_organization=organization)
    return selectors.member_queryset(access=access).filter(
        condition, Q(left_on__isnull=True) | Q(left_on__gt=day)).order_by("sort_key", "pk")
