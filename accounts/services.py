from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F

from .models import User


@transaction.atomic
def account_create(*, username: str, password: str, zones=(), **fields) -> User:
    """Create an account with a validated password and its zone assignments.

    Organization and role go together (a database constraint); an account
    without them is a pure administrator or has no access at all.
    """
    user = User(username=username, **fields)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    if zones:
        user.zones.set(zones)
    return user


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
