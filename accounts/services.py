"""Writes to accounts: creating and changing them, their credentials, the
approval of access to personal data (separation of duties), their sessions.

Separation of duties: an administrator manages accounts, but

- no account changes its own organization, role, zones, administrator flags,
  groups or permissions (:data:`OWN_LOCKED`), on any path;
- what would give an account a sensitive power (``policy.sensitive_powers``:
  personal data, approving such access, the superuser flag), and a new
  password or a two-step reset of an account that holds one, is only proposed
  (an ``AccessChangeRequest``); a Party Committee leader who is neither the
  proposer nor the account approves or rejects it. Until then the account
  keeps what it has. Everything else applies at once.

Every change is recorded (accounts.audit) and its holder told (core).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import audit, grants
from .models import AccessChangeRequest, AccountEvent, User
from .policy import Perm, access_for, require_perm

logger = logging.getLogger("accounts.auth")

Kind = AccessChangeRequest.Kind
Status = AccessChangeRequest.Status
Event = AccountEvent.Kind

# What an account may do; the access of a request (kind ACCESS) is all of them.
ACCESS_FIELDS = ("organization", "role", "all_zones", "zones", "is_staff", "is_superuser")
# What nobody changes on their own account.
OWN_LOCKED = (*ACCESS_FIELDS, "groups", "user_permissions")
EDITABLE = ("username", "full_name", "title", "email", "phone", "first_name", "last_name",
            "is_active", *OWN_LOCKED)
M2M = ("zones", "groups", "user_permissions")

BOOTSTRAP_NOTE = gettext_noop("created by the bootstrap, before any Party Committee leader")


def _own_message() -> str:
    return _("You cannot change your own organization, role, zones, administrator rights, "
             "groups or permissions: another administrator does, and access to personal "
             "data also needs a Party Committee leader's approval.")


@dataclass(frozen=True)
class AccountChange:
    """What :func:`account_update` did: the fields applied at once, and the
    request waiting for a leader's approval, if any."""

    user: User
    applied: tuple[str, ...] = ()
    request: AccessChangeRequest | None = None


# --- helpers ------------------------------------------------------------------------------


def _pks(values: Iterable) -> set[int]:
    return {int(getattr(value, "pk", value)) for value in values}


def _related_names(user: User, name: str) -> list[str]:
    """How a many-to-many value is recorded: zone codes, group names,
    permissions as app.codename."""
    manager = getattr(user, name)
    if name == "zones":
        return sorted(manager.values_list("code", flat=True))
    if name == "groups":
        return sorted(manager.values_list("name", flat=True))
    return sorted(f"{app}.{code}" for app, code in
                  manager.values_list("content_type__app_label", "codename"))


def _set_related(user: User, name: str, values) -> None:
    old = _related_names(user, name)
    getattr(user, name).set(_pks(values))
    new = _related_names(user, name)
    if name == "zones":
        # The zones are part of the session hash: their change ends the sessions.
        user._access_cache = None
    audit.note_change(user.pk, {name: [old, new]})


def _current(user: User, name: str):
    if name in M2M:
        return set(getattr(user, name).values_list("pk", flat=True))
    return getattr(user, name)


def _apply(user: User, changes: dict) -> None:
    """Set ``changes`` on ``user`` (validated; the many-to-many too). Call
    within ``audit.recording``."""
    simple = {name: value for name, value in changes.items() if name not in M2M}
    for name, value in simple.items():
        setattr(user, name, value)
    if simple:
        user.full_clean()
        user.save()
    for name in M2M:
        if name in changes:
            _set_related(user, name, changes[name])


def _pending(user: User, kind: str) -> AccessChangeRequest | None:
    return user.access_requests.filter(kind=kind, status=Status.PENDING).first()


def _pending_error(request: AccessChangeRequest) -> ValidationError:
    return ValidationError(
        _("A proposed change of this account (request #%(pk)s) is waiting for a Party "
          "Committee leader: it is decided or withdrawn first."), code="pending",
        params={"pk": request.pk})


def _propose(*, actor, user: User, kind: str, reason: str, zones=None,
             **fields) -> AccessChangeRequest:
    if actor is None:
        raise grants.AccessNotApproved
    pending = _pending(user, kind)
    if pending is not None:
        raise _pending_error(pending)
    request = AccessChangeRequest(target=user, kind=kind, reason=reason.strip(),
                                  proposed_by=actor, **fields)
    request.full_clean()
    request.save()
    if zones:
        request.zones.set(_pks(zones))
    audit.record(user, Event.REQUEST_PROPOSED, actor=actor, request=request)
    logger.info("access change proposed request=%s kind=%s account=%s by=%s", request.pk,
                kind, user.pk, actor.pk)
    return request


def credentials_need_approval(*, actor, user: User) -> bool:
    """Whether a new password or a two-step reset of ``user`` by ``actor``
    waits for a Party Committee leader: someone else's account that holds a
    sensitive power (whoever sets the credentials could sign in as it)."""
    return (actor is not None and actor.pk != user.pk and grants.current() is None
            and bool(grants.powers(grants.state_of(user))))


# --- creating and changing accounts -------------------------------------------------------


def account_create_check(*, actor, user: User, reason: str = "") -> bool:
    """Whether a new account like ``user`` (unsaved) waits for a leader's
    approval of its access; ValidationError (PermissionDenied) when it may not
    be created so. Writes nothing: forms call it to show a refusal."""
    require_perm(actor, Perm.ADMINISTER)
    if not grants.powers(grants.state_of(user)) or grants.current() is not None:
        return False
    if actor is None:
        raise grants.AccessNotApproved
    if not reason.strip():
        raise ValidationError({"reason": _(
            "This account would have access that a Party Committee leader approves: say "
            "why it needs it.")})
    return True


@transaction.atomic
def account_create(*, actor=None, username: str, password: str | None, zones=(),
                   reason: str = "", **fields) -> User:
    """Create an account with a validated password (None: no password sign-in)
    and its zone assignments.

    Organization and role go together (a database constraint); an account
    without them is a pure administrator or has no access at all. An account
    that would hold a sensitive power is created without its access, which is
    proposed for a Party Committee leader's approval (``reason`` required),
    unless the bootstrap or an approval permits it (accounts.grants); without
    an actor it is refused (AccessNotApproved).
    """
    user = User(username=username, **fields)
    needs_approval = account_create_check(actor=actor, reason=reason, user=user)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    proposed = None
    if needs_approval:
        proposed = {name: getattr(user, name) for name in ACCESS_FIELDS if name != "zones"}
        user.organization, user.role = "", ""
        user.all_zones = user.is_staff = user.is_superuser = False
    user.full_clean()
    with audit.recording(actor=actor, note=BOOTSTRAP_NOTE if _bootstrapping() else ""):
        user.save()
        if zones and proposed is None:
            _set_related(user, "zones", zones)
    if proposed is not None:
        _propose(actor=actor, user=user, kind=Kind.ACCESS, reason=reason, zones=zones,
                 **proposed)
    return user


@dataclass(frozen=True)
class UpdatePlan:
    """The real changes of an update (``{field: new}``, the many-to-many as
    sets of ids) and whether they wait for a leader's approval."""

    changes: dict
    needs_approval: bool


def account_update_check(*, actor, user: User, reason: str = "", **changes) -> UpdatePlan:
    """What :func:`account_update` would do, once every rule holds;
    ValidationError (or PermissionDenied) otherwise. Writes nothing: forms
    call it to show a refusal next to the fields."""
    require_perm(actor, Perm.ADMINISTER)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"account_update: not editable: {sorted(unknown)}")
    real = {}
    for name, value in changes.items():
        new = _pks(value) if name in M2M else value
        if new != _current(user, name):
            real[name] = new
    if actor is not None and actor.pk == user.pk and not set(real).isdisjoint(OWN_LOCKED):
        raise ValidationError(_own_message(), code="own_access")
    before = grants.state_of(user)
    after = {**before, **{name: real[name] for name in grants.STATE_FIELDS if name in real}}
    needs_approval = bool(grants.powers(after) - grants.powers(before)) and not grants.current()
    pending = _pending(user, Kind.ACCESS)
    access_changes = not set(real).isdisjoint(ACCESS_FIELDS) or real.get("is_active") is True
    if pending is not None and access_changes:
        raise _pending_error(pending)
    if needs_approval:
        if actor is None:
            raise grants.AccessNotApproved
        if not reason.strip():
            raise ValidationError({"reason": _(
                "This change gives the account access that a Party Committee leader "
                "approves: say why it needs it.")})
    return UpdatePlan(changes=real, needs_approval=needs_approval)


@transaction.atomic
def account_update(*, actor, user: User, reason: str = "", **changes) -> AccountChange:
    """Change an account as ``actor`` (an administrator; None: the system).

    Refused (ValidationError): one's own organization, role, zones,
    administrator flags, groups or permissions; any change of access while a
    proposed one waits. A change that would give a sensitive power (including
    reactivating an account that would hold one) is proposed as a whole
    (``reason`` required): every access field and the activation wait for a
    Party Committee leader's approval; the other fields apply at once. Each
    change is recorded; a change of access ends the account's sessions.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    plan = account_update_check(actor=actor, user=user, reason=reason, **changes)
    real = dict(plan.changes)
    request = None
    if plan.needs_approval:
        proposed = {name: real.pop(name, _current(user, name)) for name in ACCESS_FIELDS}
        activate = real.pop("is_active", None) is True
        zones = proposed.pop("zones")
        request = _propose(actor=actor, user=user, kind=Kind.ACCESS, reason=reason,
                           zones=zones, activate=activate, **proposed)
    with audit.recording(actor=actor):
        _apply(user, real)
    return AccountChange(user=user, applied=tuple(real), request=request)


@transaction.atomic
def account_password_set(*, actor, user: User, password: str | None,
                         reason: str = "") -> AccessChangeRequest | None:
    """A new password for ``user`` set by ``actor`` (an administrator), or
    password sign-in disabled (``password=None``).

    Whoever sets a password knows it: for someone else's account that holds a
    sensitive power, the new password is proposed (kept hashed in the
    request) and applies only when a Party Committee leader approves;
    returns the request. Otherwise it applies at once and the account's
    sessions end (the hash covers the password).
    """
    require_perm(actor, Perm.ADMINISTER)
    if password is not None:
        validate_password(password, user)
        if credentials_need_approval(actor=actor, user=user):
            return _propose(actor=actor, user=user, kind=Kind.PASSWORD,
                            reason=reason or _("A new password set by an administrator."),
                            password=make_password(password))
    with audit.recording(actor=actor):
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            audit.record(user, Event.PASSWORD_DISABLED, actor=actor)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
    return None


@transaction.atomic
def account_two_step_reset(*, actor, user: User, reason: str = "") -> AccessChangeRequest | None:
    """Reset ``user``'s two-step sign-in (a lost phone), by ``actor`` (an
    administrator): for someone else's account that holds a sensitive power
    it is proposed for a Party Committee leader's approval (returns the
    request); otherwise done at once (accounts.mfa.reset: sessions end)."""
    from . import mfa  # mfa builds on this module

    require_perm(actor, Perm.ADMINISTER)
    if credentials_need_approval(actor=actor, user=user):
        return _propose(actor=actor, user=user, kind=Kind.TWO_STEP,
                        reason=reason or _("The two-step sign-in reset by an administrator "
                                           "(a lost phone)."))
    mfa.reset(user, actor=actor)
    return None


# --- deciding on a proposed change --------------------------------------------------------


def may_decide(actor, request: AccessChangeRequest) -> bool:
    """Whether ``actor`` may approve or reject ``request``: a Party Committee
    leader (Perm.APPROVE_ACCESS) who is neither its proposer nor its account,
    while it waits."""
    return (request.is_pending and access_for(actor).can(Perm.APPROVE_ACCESS)
            and actor.pk not in (request.proposed_by_id, request.target_id))


def may_withdraw(actor, request: AccessChangeRequest) -> bool:
    """An administrator withdraws a waiting request (its proposer, or another)."""
    return request.is_pending and access_for(actor).can(Perm.ADMINISTER)


def _close(request: AccessChangeRequest, *, actor, status: str, note: str) -> None:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.password = ""
    request.full_clean()
    request.save()


def _locked(request: AccessChangeRequest) -> AccessChangeRequest:
    request = AccessChangeRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_pending:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return request


@transaction.atomic
def access_request_approve(*, actor, request: AccessChangeRequest,
                           note: str = "") -> AccessChangeRequest:
    """Approve ``request`` and apply it (PermissionDenied unless
    :func:`may_decide`): the proposed access as a whole, the proposed
    password, or the two-step reset. The changes are recorded as the
    proposer's, with the request; the account's sessions end."""
    from . import mfa

    request = _locked(request)
    if not may_decide(actor, request):
        raise PermissionDenied
    target = User.objects.select_for_update().get(pk=request.target_id)
    password = request.password
    _close(request, actor=actor, status=Status.APPROVED, note=note)
    audit.record(target, Event.REQUEST_APPROVED, actor=actor, request=request)
    proposer = request.proposed_by
    with grants.permitted(request), audit.recording(actor=proposer, request=request):
        if request.kind == Kind.ACCESS:
            changes = {name: getattr(request, name) for name in ACCESS_FIELDS if name != "zones"}
            changes["zones"] = set(request.zones.values_list("pk", flat=True))
            if request.activate:
                changes["is_active"] = True
            _apply(target, {name: value for name, value in changes.items()
                            if value != _current(target, name)})
        elif request.kind == Kind.PASSWORD:
            target.password = password
            target.save(update_fields=["password"])
            audit.record(target, Event.PASSWORD_SET, actor=proposer, request=request)
        else:
            mfa.reset(target, actor=proposer, request=request)
    logger.info("access change approved request=%s by=%s", request.pk, actor.pk)
    return request


@transaction.atomic
def access_request_reject(*, actor, request: AccessChangeRequest,
                          note: str) -> AccessChangeRequest:
    """Reject ``request`` (PermissionDenied unless :func:`may_decide`), saying
    why: nothing of it applies."""
    request = _locked(request)
    if not may_decide(actor, request):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Say why the request is rejected.")})
    _close(request, actor=actor, status=Status.REJECTED, note=note)
    audit.record(request.target, Event.REQUEST_REJECTED, actor=actor, request=request)
    logger.info("access change rejected request=%s by=%s", request.pk, actor.pk)
    return request


@transaction.atomic
def access_request_withdraw(*, actor, request: AccessChangeRequest,
                            note: str = "") -> AccessChangeRequest:
    """Withdraw a waiting ``request`` (an administrator): nothing of it applies."""
    request = _locked(request)
    if not may_withdraw(actor, request):
        raise PermissionDenied
    _close(request, actor=actor, status=Status.WITHDRAWN, note=note)
    audit.record(request.target, Event.REQUEST_WITHDRAWN, actor=actor, request=request)
    return request


# --- the bootstrap --------------------------------------------------------------------------

BOOTSTRAP_RIGHT = "bootstrap"


def _bootstrapping() -> bool:
    right = grants.current()
    return isinstance(right, str) and right.startswith(BOOTSTRAP_RIGHT)


def bootstrap_open() -> bool:
    """Whether the bootstrap may run: no active Party Committee leader exists
    (nobody could approve yet)."""
    return not User.objects.filter(is_active=True, organization=User.Organization.PARTY_COMMITTEE,
                                   role=User.Role.LEADER).exists()


@contextmanager
def bootstrapping(*, reason: str) -> Iterator[None]:
    """Create the first accounts (the first Party Committee leader, a
    superuser, the demo accounts) with their access, without an approval,
    only while :func:`bootstrap_open` (ValidationError otherwise). Logged; the
    accounts' events say so."""
    if not bootstrap_open():
        raise ValidationError(_(
            "A Party Committee leader exists: accounts with access to personal data, or "
            "superusers, are proposed in the administration and approved by a leader."),
            code="bootstrap_closed")
    logger.warning("bootstrap: %s", reason)
    with (transaction.atomic(), grants.permitted(f"{BOOTSTRAP_RIGHT}: {reason}"),
          audit.recording(note=BOOTSTRAP_NOTE)):
        yield


# --- sessions -------------------------------------------------------------------------------


def account_sessions_end(*, user: User, request=None) -> None:
    """End every session of ``user`` at once: each one signed in before is
    signed out at its next request (``User.get_session_auth_hash``).

    With ``request``, a change the person made in that request: their current
    session goes on (under a new key) and only the others end. For changes the
    hash does not already cover: the two-step sign-in's authenticator and
    backup codes. A new password, organization, role, zones or administrator
    flag ends the sessions by itself.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    if request is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
