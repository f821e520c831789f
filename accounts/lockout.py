"""Sign-in lockout (django-axes): three tiers with their own limits, and the
client's address as the bundled reverse proxy reports it.

Failed sign-ins are counted per username and address, per username from any
address, and per address for any username (``settings.LOCKOUT_TIER_LIMITS``):
guessing one account's password from many addresses and trying one password
on many accounts from one address are both stopped, while an office whose
people share one address is locked only after many failures.

django-axes counts failures for each set of ``AXES_LOCKOUT_PARAMETERS`` but
compares them all with the one ``AXES_FAILURE_LIMIT``; its maintainers point
to a custom handler for different limits (jazzband/django-axes#661). This is
that handler, on top of the database one.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_parameters,
    get_client_username,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from django.db.models import Q, Sum


def tier_limit(parameters: str | list[str] | tuple[str, ...]) -> int:
    """The failures allowed for one set of lockout parameters."""
    key = (parameters,) if isinstance(parameters, str) else tuple(parameters)
    return settings.LOCKOUT_TIER_LIMITS.get(key, settings.AXES_FAILURE_LIMIT)


class TieredLockoutHandler(AxesDatabaseHandler):
    """The database handler, each tier checked against its own limit.

    axes locks when ``get_failures() >= AXES_FAILURE_LIMIT``. Here
    ``get_failures`` answers on that scale: the limit minus the attempts left
    in the tier nearest its own limit, so the comparison locks exactly when
    some tier has reached its limit, and ``AXES_FAILURE_LIMIT - failures`` is
    the number of attempts still allowed.
    """

    def tier_failures(self, request, credentials: dict | None = None) -> list[int]:
        """Failures within the cool-off time for each tier, in the order of
        ``AXES_LOCKOUT_PARAMETERS`` (one query)."""
        filters = get_client_parameters(
            get_client_username(request, credentials), request.axes_ip_address,
            request.axes_user_agent, request, credentials)
        attempts = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        sums = attempts.aggregate(**{
            f"tier{i}": Sum("failures_since_start", filter=Q(**kwargs))
            for i, kwargs in enumerate(filters)
        })
        return [sums[f"tier{i}"] or 0 for i in range(len(filters))]

    def get_failures(self, request, credentials: dict | None = None) -> int:
        tiers = get_lockout_parameters(request, credentials)
        left = min(tier_limit(parameters) - failures for parameters, failures
                   in zip(tiers, self.tier_failures(request, credentials), strict=True))
        return get_failure_limit(request, credentials) - left

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful sign-in, forget only that username's failures
        from that address (the person's own typing mistakes).

        axes would forget every failure matching any tier: a sign-in with
        one's own account would clear the address's count of guesses at other
        accounts, and the real owner's sign-in would clear the guesses made at
        that account from elsewhere.
        """
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def client_ip(request) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``).

    With ``TRUSTED_PROXY_COUNT = 0`` (nothing in front of the application)
    it is the connection's address, whatever ``X-Forwarded-For`` says: a
    client can write anything there. With ``n`` proxies in front, each
    appending the address it received the request from, it is the ``n``-th
    address from the right of ``X-Forwarded-For``: what the proxy nearest the
    client appended (``n = 1``: the bundled nginx). Addresses a client put
    before it are ignored. Without such an entry, the connection's address.
    """
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(chain) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(chain[-hops]))
    except ValueError:
        return remote
