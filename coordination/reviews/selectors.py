"""Reads of the reviews, always through the account's access
(:mod:`coordination.reviews.rules`): a review the account may not see
answers 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.policy import Access, Perm

from ..plans.rules import sees_drafts
from .models import Commendation, Review, ReviewTarget


def review_queryset(*, access: Access) -> QuerySet[Review]:
    """Finished reviews for every reader; drafts for the accounts that write
    or approve plans."""
    if not access.can(Perm.VIEW_PLANS):
        return Review.objects.none()
    rows = Review.objects.all()
    if not sees_drafts(access):
        rows = rows.filter(status=Review.Status.FINISHED)
    return rows


def review_list(*, access: Access, regulation=None) -> QuerySet[Review]:
    """Reviews newest period first, with their regulation and counts."""
    rows = review_queryset(access=access).select_related("regulation")
    if regulation is not None:
        rows = rows.filter(regulation=regulation)
    return rows.annotate(
        n_targets=Count("targets", distinct=True),
        n_collective=Count("commendations", distinct=True,
                           filter=Q(commendations__recipient="collective")),
        n_individual=Count("commendations", distinct=True,
                           filter=Q(commendations__recipient="individual")),
    ).order_by("-period_end", "-pk")


def review_get(*, access: Access, pk) -> Review:
    try:
        return review_queryset(access=access).select_related(
            "regulation", "finished_by", "created_by").get(pk=pk)
    except (Review.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def review_targets(review: Review) -> list[ReviewTarget]:
    return list(review.targets.select_related("zone").order_by("order", "pk"))


def review_commendations(review: Review, *, access: Access) -> tuple[list[Commendation], int]:
    """The commendations ``access`` sees (the collective ones, and the
    individual ones with personal-data access), and how many individual
    ones are hidden."""
    rows = list(review.commendations.select_related(
        "enterprise", "enterprise__zone", "party_organization", "member")
        .order_by("recipient", "order", "pk"))
    if access.can(Perm.VIEW_PERSONAL_DATA):
        return rows, 0
    shown = [c for c in rows if not c.is_individual]
    return shown, len(rows) - len(shown)


def target_get(*, access: Access, pk) -> ReviewTarget:
    try:
        target = ReviewTarget.objects.select_related("review").get(pk=pk)
    except (ReviewTarget.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    review_get(access=access, pk=target.review_id)
    return target


def commendation_get(*, access: Access, pk) -> Commendation:
    try:
        commendation = Commendation.objects.select_related("review").get(pk=pk)
    except (Commendation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    review_get(access=access, pk=commendation.review_id)
    if commendation.is_individual and not access.can(Perm.VIEW_PERSONAL_DATA):
        raise Http404
    return commendation


def review_for_period(period) -> Review | None:
    """The finished review of exactly ``period`` (None when there is none
    or several)."""
    rows = list(Review.objects.filter(status=Review.Status.FINISHED,
                                      period_start=period.start,
                                      period_end=period.end)[:2])
    return rows[0] if len(rows) == 1 else None
