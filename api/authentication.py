"""``Authorization: Bearer <token>``: the request acts as the token's account."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from . import services


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Give the token after 'Bearer', with no spaces in it."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(_("This token is not valid.")) from exc
        token = services.token_authenticate(raw=raw)
        if token is None:
            raise AuthenticationFailed(_(
                "This token is not valid: unknown, revoked, expired, or its account is "
                "inactive."))
        # The change history (django-simple-history's middleware) and the
        # access log name the account the token acts for.
        request._request.user = token.account
        return token.account, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
