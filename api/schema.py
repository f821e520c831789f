"""The OpenAPI schema's additions: the Bearer token, and the problem-details
answers every operation may give."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

# Answers any operation may give, with when.
COMMON = {
    "401": _("No credentials, or a token unknown, revoked, expired or of an inactive account."),
    "403": _("The account's role may not do this."),
    "406": _("The answer cannot be given in the format asked for (Accept)."),
    "429": _("Too many requests for this token: wait Retry-After seconds."),
}
WITH_PARAMETERS = {"400": _("A parameter or the body is not valid: see errors.")}
WITH_ID = {"404": _("No such object in the account's scope.")}
WITH_BODY = {
    "413": _("The body is too large."),
    "415": _("The body is not JSON."),
    "409": _("The Idempotency-Key was sent with another request, or its first request is "
            "still being answered."),
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": str(_("An API token created by an administrator (shown "
                                     "once)."))}


def add_problem_responses(result, generator, request, public):
    """Give every operation its possible error answers as problem details."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            extra = dict(COMMON)
            if operation.get("parameters") or "requestBody" in operation:
                extra.update(WITH_PARAMETERS)
            if "{" in path or any(p.get("name") == "cursor"
                                  for p in operation.get("parameters", [])):
                # An unknown id, or a cursor that is not one of ours.
                extra.update(WITH_ID)
            if "requestBody" in operation:
                extra.update(WITH_BODY)
            if path.endswith("/indicators/"):
                extra.update(WITH_ID)  # a zone outside the account's scope
            for code, description in extra.items():
                responses.setdefault(code, {"description": str(description)})
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    response["content"] = {PROBLEM: {"schema": PROBLEM_REF}}
    return result


def add_list_limits(result, generator, request, public):
    """The sync's list limits, which drf-spectacular does not state itself."""
    schemas = result.get("components", {}).get("schemas", {})
    body = schemas.get("SyncRequestRequest", {}).get("properties", {}).get("items")
    if body is not None:
        body.update(minItems=1, maxItems=settings.API_MAX_ITEMS)
    workforce = schemas.get("SyncItemRequest", {}).get("properties", {}).get("workforce")
    if workforce is not None:
        workforce["maxItems"] = 50
    return result
