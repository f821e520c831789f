"""The OpenAPI schema's additions: the Bearer token, and the problem-details
answers every operation may give."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

# Answers any operation may give, with when.
COMMON = {
    "401": "No credentials, or a token unknown, revoked, expired or of an inactive account.",
    "403": "The account's role may not do this.",
    "406": "The answer cannot be given in the format asked for (Accept).",
    "429": "Too many requests for this token: wait Retry-After seconds.",
}
WITH_PARAMETERS = {"400": "A parameter or the body is not valid: see errors."}
WITH_ID = {"404": "No such object in the account's scope."}
WITH_BODY = {
    "413": "The body is too large.",
    "415": "The body is not JSON.",
    "409": "The Idempotency-Key was sent with another request, or its first request is "
           "still being answered.",
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An API token created by an administrator (shown once)."}


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
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    response["content"] = {PROBLEM: {"schema": PROBLEM_REF}}
    return result
