"""Two-step sign-in: after the password, a 6-digit code from an authenticator
app (TOTP, RFC 6238, through django-otp), or one of ten single-use backup codes.

Anyone may turn it on from "Bảo mật tài khoản". With ``settings.MFA_REQUIRED``
(on in production), every account that sees party members' personal data,
enters or changes any data, or administers the system must: it is sent to set
it up before anything else.

What a signed-in session still owes is decided at sign-in, kept in the
session (``SESSION_KEY``) and checked again on every request (``pending``):
a session that has not passed a second step owes one as soon as its account
is subject to it. A session that has passed it costs no query. django-otp
throttles wrong codes per device (each failure doubles the wait).
"""

from __future__ import annotations

import base64
import logging
import math
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .policy import Perm, access_for
from .services import account_sessions_end

logger = logging.getLogger("accounts.auth")

SESSION_KEY = "two_step"
# What a session owes: nothing, its code (MFA on), or setting MFA up (required).
DONE, VERIFY, SETUP = "done", "verify", "setup"
APP_DEVICE = "authenticator"
BACKUP_DEVICE = "backup"
BACKUP_CODES = 10


def is_required(user) -> bool:
    """Whether ``user`` must use two-step sign-in (``settings.MFA_REQUIRED``):
    an account that sees personal data or may change any data (IZ officers
    included; ``policy.WRITE_PERMS``, administration among them)."""
    if not settings.MFA_REQUIRED:
        return False
    access = access_for(user)
    return user.is_superuser or access.can(Perm.VIEW_PERSONAL_DATA) or access.writes


def is_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_at_login(user) -> str:
    if is_enabled(user):
        return VERIFY
    return SETUP if is_required(user) else DONE


def pending(request) -> str:
    """What the signed-in session still owes (``DONE``, ``VERIFY`` or
    ``SETUP``), checked on every request.

    A session that has passed its second step, or is asked for its code, stays
    as it is. Otherwise the obligation is decided again: a session that began
    without one owes its code, or setting it up, once its account is subject to
    two-step sign-in (``MFA_REQUIRED`` turned on, a new role); one held at
    set-up is let go when the account no longer is.
    """
    session = request.session
    state = session.get(SESSION_KEY)
    if state == VERIFY or (state == DONE and session.get(DEVICE_ID_SESSION_KEY)):
        return state
    if state is None or is_required(request.user) != (state == SETUP):
        state = session[SESSION_KEY] = state_at_login(request.user)
    return state


def _finish(request, device) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once fully signed in
    request.session[SESSION_KEY] = DONE


def verify(request, token: str) -> bool:
    """Checks ``token`` (an app code or a backup code) for the signed-in user;
    on success the session is fully signed in. A used backup code is gone."""
    device = match_token(request.user, _normalized(token))
    if device is None:
        logger.warning("two-step code refused user_id=%s", request.user.pk)
        return False
    _finish(request, device)
    if isinstance(device, StaticDevice):
        logger.info("backup code used user_id=%s left=%s", request.user.pk,
                    device.token_set.count())
    return True


def throttled_for(user, device: TOTPDevice | None = None) -> int:
    """Seconds before the user's authenticator (or ``device``) may be tried
    again; 0 when it may be tried now."""
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return 0
    allowed, details = device.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return 0
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))


def start_setup(user) -> TOTPDevice:
    """A new, unconfirmed authenticator for ``user`` (a previous unconfirmed one
    is replaced); confirmed by :func:`confirm_setup`."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def confirm_setup(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Turns two-step sign-in on when ``token`` is the app's current code: the
    device becomes the account's authenticator (any earlier one is removed) and
    ten new backup codes are returned (shown once). The account's other
    sessions end. None for a wrong code."""
    if not device.verify_token(_normalized(token)):
        return None
    user = request.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(user)
    account_sessions_end(user=user, request=request)
    _finish(request, device)
    logger.info("two-step sign-in turned on user_id=%s", user.pk)
    return codes


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Ten new single-use codes; the previous ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE, confirmed=True)
    codes = [_backup_code() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def replace_backup_codes(request) -> list[str]:
    """Ten new backup codes for the signed-in account; the previous ones stop
    working and the account's other sessions end."""
    codes = new_backup_codes(request.user)
    account_sessions_end(user=request.user, request=request)
    logger.info("backup codes replaced user_id=%s", request.user.pk)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def disable(request, token: str) -> bool:
    """Turns two-step sign-in off, given a valid current code (app or backup);
    the account's other sessions end."""
    user = request.user
    if match_token(user, _normalized(token)) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    account_sessions_end(user=user, request=request)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[SESSION_KEY] = SETUP if is_required(user) else DONE
    logger.info("two-step sign-in turned off user_id=%s", user.pk)
    return True


@transaction.atomic
def reset(user) -> None:
    """Removes an account's authenticator and backup codes and ends all its
    sessions (a lost phone: done by an administrator; the person signs in
    again and sets it up anew)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    account_sessions_end(user=user)
    logger.info("two-step sign-in reset user_id=%s", user.pk)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code."""
    return segno.make(device.config_url, error="m").svg_inline(
        border=2, dark="#000", light="#fff", omitsize=True)  # a viewBox: CSS sizes it


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for typing into the app by hand."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def _backup_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
    return "".join(secrets.choice(alphabet) for _ in range(8))


def _normalized(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()
