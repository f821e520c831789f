"""Every write of the API's own records: tokens and kept answers.

A token is created by an administrator for an account and acts as that
account (``accounts.policy`` decides what it may do); its secret is returned
once and only its SHA-256 hash is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.policy import Perm, require_perm

from .models import ApiToken, IdempotentAnswer

TOKEN_PREFIX = "kcn"
# How often the last use of a token is written (not on every request).
LAST_USE_EVERY = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    # The whole token to give the integration: shown once, never stored.
    secret: str


@transaction.atomic
def token_create(*, actor, account, name: str, expires_on: date | None = None) -> NewToken:
    """Create a token acting as ``account`` (administrators only).

    The token has exactly the account's role and zones, whatever they become;
    the returned ``secret`` is the only copy of the token.
    """
    require_perm(actor, Perm.ADMINISTER)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(account=account, name=name, prefix=prefix, secret_hash=_hash(secret),
                     created_by=actor if getattr(actor, "pk", None) else None)
    if expires_on is not None:
        token.expires_on = expires_on
    token.full_clean()
    token.save()
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once (administrators only); revoking twice keeps the first time."""
    require_perm(actor, Perm.ADMINISTER)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw: str) -> ApiToken | None:
    """The token ``raw`` names if it is usable today (not revoked, not
    expired, its account active), else None; records its use at most once a
    minute."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("account").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(raw)):
        return None
    now = timezone.now()
    if not token.is_usable_on(timezone.localdate(now)):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USE_EVERY)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- Idempotency-Key ------------------------------------------------------------------------


class KeyReused(Exception):
    """The key was sent with another request."""


class KeyInFlight(Exception):
    """A request with the same key is being answered right now."""


def request_hash(*, method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def idempotency_claim(*, account, key: str, method: str, path: str, digest: str
                      ) -> IdempotentAnswer | None:
    """Claim ``key`` for a request: None when this request is the first with
    it (it must then :func:`idempotency_answer` or :func:`idempotency_release`),
    else the answer given to the same request before.

    KeyReused when the key was sent with another request; KeyInFlight while
    the first request with it is still being answered. Answers older than
    ``API_IDEMPOTENCY_HOURS`` no longer count. The claim is committed at once
    (outside the request's own transaction), so that a second request waits
    for nothing and applies nothing.
    """
    since = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    with transaction.atomic():
        # The account's answers too old to count go (the key's among them).
        IdempotentAnswer.objects.filter(account=account, created_at__lt=since).delete()
        try:
            with transaction.atomic():
                IdempotentAnswer.objects.create(account=account, key=key, method=method,
                                                path=path[:255], request_hash=digest,
                                                status_code=0, body={})
            return None
        except IntegrityError:
            pass
    answer = IdempotentAnswer.objects.get(account=account, key=key)
    if answer.request_hash != digest:
        raise KeyReused
    if answer.status_code == 0:
        raise KeyInFlight
    return answer


def idempotency_answer(*, account, key: str, status_code: int, body) -> None:
    """Keep the answer given to the request that claimed ``key``."""
    IdempotentAnswer.objects.filter(account=account, key=key, status_code=0).update(
        status_code=status_code, body=body)


def idempotency_release(*, account, key: str) -> None:
    """Give ``key`` up when its request failed without an answer to keep."""
    IdempotentAnswer.objects.filter(account=account, key=key, status_code=0).delete()


def idempotent_answers_purge() -> int:
    """Delete the answers older than ``API_IDEMPOTENCY_HOURS``; returns how many."""
    since = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    return IdempotentAnswer.objects.filter(created_at__lt=since).delete()[0]
