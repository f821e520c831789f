"""Requests per token (or per account signed in, or per address) and minute.

The counts live in Django's default cache: per process unless ``CACHE_URL``
names a Redis shared by the web processes (README, "REST API").
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """``API_THROTTLE_RATES[scope]`` per token; a view sets ``throttle_scope``
    ("read" unless said otherwise)."""

    def __init__(self):
        # The rate is read per request (settings may change in tests).
        pass

    def allow_request(self, request, view):
        self.scope = getattr(view, "throttle_scope", "read")
        self.rate = settings.API_THROTTLE_RATES.get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return f"api-throttle-{self.scope}-{ident}"
