"""Every change to an account, recorded as ``AccountEvent`` rows: who, when,
what changed (old → new; never a password or its hash).

``User.save()`` and ``User.objects.update()`` note what they change. Within a
:func:`recording` block (the services, the password page, the bootstrap) the
notes are gathered and written when the block ends, one event per kind and
account, as the block's actor; anywhere else (a server command such as
``changepassword``, the shell) they are written at once, by "the system".
Services add what a save does not see (zones, a two-step reset, requests)
with :func:`note_change` and :func:`record`.

Each event is announced after the transaction commits with the
``accounts.signals.account_changed`` signal; core tells the holder.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

# The fields of an account recorded old → new (not the password: only that it
# changed; not last_login or session_epoch: they are not changes of the account).
TRACKED = ("username", "full_name", "title", "email", "phone", "first_name", "last_name",
           "organization", "role", "all_zones", "is_active", "is_staff", "is_superuser")
# What ``User.save()`` looks at.
WATCHED = (*TRACKED, "password")
# Many-to-many fields the services record (as names or codes).
RELATED = ("zones", "groups", "user_permissions")

OUTSIDE = gettext_noop("changed outside the application (a server command or the shell)")


@dataclass
class _Entry:
    created: bool = False
    password: bool = False
    changes: dict = field(default_factory=dict)


@dataclass
class _Batch:
    actor: object = None
    request: object = None
    note: str = ""
    entries: dict = field(default_factory=dict)


_batch: ContextVar[_Batch | None] = ContextVar("accounts_audit_batch", default=None)


@contextmanager
def recording(*, actor=None, request=None, note: str = "") -> Iterator[None]:
    """Record the account changes made within as ``actor``'s (None: the
    system), for ``request`` (an AccessChangeRequest) when given, when the
    block ends without an error."""
    batch = _Batch(actor=actor, request=request, note=note)
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    for pk, entry in batch.entries.items():
        _write(pk, entry, actor=actor, request=request, note=note)


def diff(before: dict | None, after: dict) -> dict:
    """``{field: [old, new]}`` of the tracked fields that differ (all of the
    non-empty ones for a new account)."""
    if before is None:
        # A new account is active unless said otherwise.
        return {name: [None, value] for name, value in after.items()
                if name in TRACKED and value not in (None, "", False)
                and not (name == "is_active" and value is True)}
    return {name: [before[name], after[name]] for name in TRACKED
            if name in after and before.get(name) != after[name]}


def note_change(pk: int, changes: dict, *, created: bool = False,
                password: bool = False) -> None:
    """Note that account ``pk`` changed (``{field: [old, new]}``)."""
    if not (changes or created or password):
        return
    batch = _batch.get()
    entry = _Entry() if batch is None else batch.entries.setdefault(pk, _Entry())
    entry.created |= created
    entry.password |= password
    for name, (old, new) in changes.items():
        if name in entry.changes:
            old = entry.changes[name][0]
        if old == new and not entry.created:
            entry.changes.pop(name, None)
        else:
            entry.changes[name] = [old, new]
    if batch is None:
        _write(pk, entry, actor=None, request=None, note=OUTSIDE)


def record(account, kind: str, *, actor=None, request=None, note: str = "",
           changes: dict | None = None):
    """Write one event now (announced once the transaction commits)."""
    from .models import AccountEvent

    event = AccountEvent.objects.create(account_id=getattr(account, "pk", account), kind=kind,
                                        actor=actor,
                                        request=request, note=note[:255],
                                        changes=changes or {})
    transaction.on_commit(lambda: _announce(event.pk))
    return event


def _write(pk: int, entry: _Entry, *, actor, request, note: str) -> None:
    from .models import AccountEvent

    Kind = AccountEvent.Kind
    account = pk
    changes = dict(entry.changes)
    if entry.created:
        record(account, Kind.CREATED, actor=actor, request=request, note=note,
               changes={name: value for name, value in changes.items()
                        if value[1] not in (None, "", False, [])})
        return
    if entry.password:
        mine = actor is not None and actor.pk == pk
        record(account, Kind.PASSWORD_CHANGED if mine else Kind.PASSWORD_SET, actor=actor,
               request=request, note=note)
    active = changes.pop("is_active", None)
    if active is not None:
        record(account, Kind.ACTIVATED if active[1] else Kind.DEACTIVATED, actor=actor,
               request=request, note=note)
    if changes:
        record(account, Kind.CHANGED, actor=actor, request=request, note=note,
               changes=changes)


def _announce(pk: int) -> None:
    from .models import AccountEvent
    from .signals import account_changed

    event = (AccountEvent.objects.select_related("account", "actor", "request__target",
                                                 "request__proposed_by")
             .filter(pk=pk).first())
    if event is not None:
        account_changed.send(sender=AccountEvent, event=event)


# --- in words --------------------------------------------------------------------------


def _label(name: str) -> str:
    from .models import User

    labels = {"groups": gettext("Groups"), "user_permissions": gettext("User permissions")}
    if name in labels:
        return labels[name]
    try:
        return capfirst(str(User._meta.get_field(name).verbose_name))
    except Exception:  # noqa: BLE001 - a field since removed: its name
        return name


def _value(name: str, value) -> str:
    from .models import User

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if name == "organization":
        return str(dict(User.Organization.choices).get(value, value))
    if name == "role":
        return str(dict(User.Role.choices).get(value, value))
    return str(value)


def describe_changes(changes: dict, *, created: bool = False) -> str:
    """``{field: [old, new]}`` in words: "Role: Officer → Leader; ..."."""
    parts = []
    for name, (old, new) in changes.items():
        if created:
            parts.append(f"{_label(name)}: {_value(name, new)}")
        else:
            parts.append(f"{_label(name)}: {_value(name, old)} → {_value(name, new)}")
    return "; ".join(parts)
