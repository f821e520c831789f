"""The model-level guard of separation of duties.

An account gains a sensitive power (``policy.sensitive_powers``: personal
data, approving such access, the superuser flag) only where the code that
saves it says by what right, with :func:`permitted`:

- an ``AccessChangeRequest`` a Party Committee leader approved, for its own
  target and within what it proposed (``services.access_request_approve``);
- the bootstrap (``services.bootstrapping``: the first accounts, while no
  active Party Committee leader exists; the demo data);
- a reason in words, for test fixtures and measurement scripts only.

Everywhere else ``User.save()``, ``User.objects.update()`` and
``bulk_create()`` refuse it with :class:`AccessNotApproved`, so a form, an
admin page, a command or a shell that forgets the services cannot give the
access silently. Changes that give no sensitive power are not affected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

# The fields whose values decide the sensitive powers.
STATE_FIELDS = ("is_active", "organization", "role", "is_superuser")

_permit: ContextVar = ContextVar("accounts_access_permit", default=None)


class AccessNotApproved(PermissionDenied):
    """A save that would give an account a sensitive power without a right."""

    def __init__(self, message=None):
        super().__init__(message or _(
            "Access to personal data, approving it, and the superuser flag are given only "
            "with a Party Committee leader's approval: propose the change in the "
            "administration, then a leader approves it."))


@contextmanager
def permitted(right) -> Iterator[None]:
    """Within this block, saves may give sensitive powers by ``right`` (an
    approved ``AccessChangeRequest``, or a reason in words)."""
    token = _permit.set(right)
    try:
        yield
    finally:
        _permit.reset(token)


def current():
    """The right of the enclosing :func:`permitted` block, or None."""
    return _permit.get()


def powers(state: dict | None) -> frozenset[str]:
    from .policy import sensitive_powers  # the policy imports the models

    if state is None:
        return frozenset()
    return sensitive_powers(**{name: state[name] for name in STATE_FIELDS})


def state_of(user) -> dict:
    return {name: getattr(user, name) for name in STATE_FIELDS}


def check(*, pk, before: dict | None, after: dict) -> None:
    """Refuse (AccessNotApproved) a change from ``before`` (None: a new
    account) to ``after`` that gives a sensitive power without a right."""
    gained = powers(after) - powers(before)
    if not gained:
        return
    right = current()
    if right is None:
        raise AccessNotApproved
    if isinstance(right, str):
        return
    # An approved request: for this account, and nothing beyond what it proposed.
    proposed = powers({"is_active": True, "organization": right.organization,
                       "role": right.role, "is_superuser": right.is_superuser})
    if (right.status != right.Status.APPROVED or right.target_id != pk
            or not gained <= proposed):
        raise AccessNotApproved
