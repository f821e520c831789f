"""Authentication events: logged without personal data (username hashed out)."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver
from django.utils import timezone

from . import mfa

logger = logging.getLogger("accounts.auth")


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    # The absolute session lifetime is counted from here.
    request.session["login_at"] = timezone.now().timestamp()
    # What the session still owes: its two-step code, or setting it up.
    request.session[mfa.SESSION_KEY] = mfa.state_at_login(user)
    logger.info("login user_id=%s", user.pk)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    logger.info("logout user_id=%s", getattr(user, "pk", None))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    logger.warning("login failed")


# Sent after the transaction commits, once per AccountEvent (accounts.audit):
# ``event`` is the AccountEvent. Core tells the account holder (and, for a
# proposed change, the leaders who may approve it) in the bell and by e-mail;
# accounts, the lowest layer, does not know how.
account_changed = Signal()
