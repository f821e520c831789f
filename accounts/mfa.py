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
import time

import segno
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AccountEvent
from .policy import Perm, access_for
from .services import account_sessions_end

logger = logging.getLogger("accounts.auth")

SESSION_KEY = "two_step"
# What a session owes: nothing, its code (MFA on), or setting MFA up (required).
DONE, VERIFY, SETUP = "done", "verify", "setup"
# When the person last confirmed it was them (password and a current code),
# which lets the session set up a new authenticator for a while.
CONFIRMED_KEY = "two_step_confirmed_at"
CONFIRMED_SECONDS = 10 * 60
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
    device = _match(request.user, token)
    if device is None:
        logger.warning("two-step code refused user_id=%s", request.user.pk)
        return False
    _finish(request, device)
    if isinstance(device, StaticDevice):
        logger.info("backup code used user_id=%s left=%s", request.user.pk,
                    device.token_set.count())
    return True


def wait_message(seconds: int) -> str:
    return _("Too many wrong codes: wait %(seconds)s seconds, then try again.") % {
        "seconds": seconds}


def confirm_identity(request, *, password: str, code: str = "") -> None:
    """Raises ValidationError (on the field at fault) unless ``password`` is
    the signed-in account's and, when the account has an authenticator,
    ``code`` is a current code from it or one of its backup codes (a backup
    code used here is gone).

    A wrong password counts towards the sign-in lockout like a failed sign-in
    (it goes through ``authenticate``), and wrong codes are throttled; so a
    borrowed or stolen session cannot guess its way through. Never call this
    inside a transaction that a refusal rolls back: the failures must stay
    recorded.
    """
    user = request.user
    found = authenticate(request, username=user.get_username(), password=password or "")
    if found is None or found.pk != user.pk:
        raise ValidationError({"password": _("This password is not right.")})
    if not is_enabled(user):
        return
    wait = throttled_for(user)
    if wait:
        raise ValidationError({"code": wait_message(wait)})
    if _match(user, code) is None:
        logger.warning("two-step code refused user_id=%s", user.pk)
        raise ValidationError({"code": _(
            "This code is not right. Enter the 6 digits your authenticator app shows now, or "
            "one of your backup codes.")})


def confirm_for_change(request, *, password: str, code: str = "") -> None:
    """Confirms it is the person (:func:`confirm_identity`); for the next
    ``CONFIRMED_SECONDS`` the session may set up a new authenticator."""
    confirm_identity(request, password=password, code=code)
    request.session[CONFIRMED_KEY] = time.time()


def may_set_up(request) -> bool:
    """Whether this session may set up an authenticator now: always while the
    account has none; to replace one, only within ``CONFIRMED_SECONDS`` of
    :func:`confirm_for_change` (the password and a current or backup code)."""
    if not is_enabled(request.user):
        return True
    confirmed_at = request.session.get(CONFIRMED_KEY)
    return confirmed_at is not None and 0 <= time.time() - confirmed_at <= CONFIRMED_SECONDS


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
    sessions end. None for a wrong code.

    Replacing an authenticator needs :func:`may_set_up` (PermissionDenied
    otherwise).
    """
    if not may_set_up(request):
        raise PermissionDenied
    if not device.verify_token(_normalized(token)):
        return None
    user = request.user
    request.session.pop(CONFIRMED_KEY, None)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(user)
    account_sessions_end(user=user, request=request)
    audit.record(user, AccountEvent.Kind.TWO_STEP_ON, actor=user)
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


def replace_backup_codes(request, *, password: str, code: str) -> list[str]:
    """Ten new backup codes for the signed-in account, given its password and a
    current code (:func:`confirm_identity`); the previous ones stop working
    and the account's other sessions end."""
    if not is_enabled(request.user):
        raise PermissionDenied
    confirm_identity(request, password=password, code=code)
    with transaction.atomic():
        codes = new_backup_codes(request.user)
        account_sessions_end(user=request.user, request=request)
        audit.record(request.user, AccountEvent.Kind.BACKUP_CODES, actor=request.user)
    logger.info("backup codes replaced user_id=%s", request.user.pk)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def disable(request, *, password: str, code: str) -> None:
    """Turns two-step sign-in off, given the password and a current code
    (:func:`confirm_identity`); the account's other sessions end. Never for an
    account that must use it (PermissionDenied)."""
    user = request.user
    if is_required(user) or not is_enabled(user):
        raise PermissionDenied
    confirm_identity(request, password=password, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        account_sessions_end(user=user, request=request)
        audit.record(user, AccountEvent.Kind.TWO_STEP_OFF, actor=user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[SESSION_KEY] = DONE
    logger.info("two-step sign-in turned off user_id=%s", user.pk)


@transaction.atomic
def reset(user, *, actor=None, request=None) -> None:
    """Removes an account's authenticator and backup codes and ends all its
    sessions (a lost phone: the person signs in again and sets it up anew).
    Recorded as ``actor``'s (None: the system), for ``request`` when an
    approved one. Who may do it, and when it needs a Party Committee leader's
    approval, is decided by ``services.account_two_step_reset``."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    account_sessions_end(user=user)
    audit.record(user, AccountEvent.Kind.TWO_STEP_RESET, actor=actor, request=request)
    logger.info("two-step sign-in reset user_id=%s", user.pk)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code."""
    return segno.make(device.config_url, error="m").svg_inline(
        border=2, dark="#000", light="#fff", omitsize=True)  # a viewBox: CSS sizes it


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for typing into the app by hand."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def _match(user, token: str) -> TOTPDevice | StaticDevice | None:
    """The device of ``user`` that accepts ``token``: the authenticator for six
    digits, the backup codes for anything else. Only that device counts a
    failure, so using a backup code does not throttle the app (django-otp's
    ``match_token`` would try, and throttle, every device)."""
    token = _normalized(token)
    model = TOTPDevice if len(token) == 6 and token.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


def _backup_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
    return "".join(secrets.choice(alphabet) for _ in range(8))


def _normalized(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()
