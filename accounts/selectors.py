"""Reads of accounts: the proposed changes of access and the accounts' events."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import AccessChangeRequest, AccountEvent, User
from .policy import MATRIX, Perm, access_for

Status = AccessChangeRequest.Status


def access_request_list(*, pending_only: bool = False) -> QuerySet[AccessChangeRequest]:
    """Every proposed change of access, the waiting ones first, newest first.
    Who may see them (leaders who decide, administrators who propose) is the
    view's check."""
    requests = AccessChangeRequest.objects.select_related(
        "target", "proposed_by", "decided_by").prefetch_related("zones")
    if pending_only:
        requests = requests.filter(status=Status.PENDING)
    waiting_first = Case(When(status=Status.PENDING, then=Value(0)), default=Value(1),
                         output_field=IntegerField())
    return requests.order_by(waiting_first, "-created_at", "-pk")


def access_requests_awaiting(user) -> QuerySet[AccessChangeRequest]:
    """The waiting requests ``user`` may decide (a Party Committee leader, not
    on their own proposal or account)."""
    if not access_for(user).can(Perm.APPROVE_ACCESS):
        return AccessChangeRequest.objects.none()
    return (AccessChangeRequest.objects.filter(status=Status.PENDING)
            .exclude(proposed_by=user).exclude(target=user))


def access_request_approvers(request: AccessChangeRequest) -> list[User]:
    """The active accounts that may decide ``request``."""
    roles = [key for key, perms in MATRIX.items() if Perm.APPROVE_ACCESS in perms]
    condition = Q()
    for organization, role in roles:
        condition |= Q(organization=organization, role=role)
    return list(User.objects.filter(condition, is_active=True)
                .exclude(pk__in=[request.proposed_by_id, request.target_id]).order_by("pk"))


def account_events(user, *, limit: int | None = 50) -> QuerySet[AccountEvent]:
    """The events of ``user``'s account, newest first."""
    events = (AccountEvent.objects.filter(account=user)
              .select_related("actor", "request__target"))
    return events[:limit] if limit else events
