"""Every error of the API in one shape: RFC 9457 problem details.

``{"type", "title", "status", "detail", "instance"}`` served as
``application/problem+json``; a refused request body adds ``errors``, one
``{"field", "message"}`` per refused value (``items[3].tax_code``), and a
refused sync adds ``items`` with each item's errors.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"


def _flatten(detail, prefix: str = "") -> list[dict]:
    """DRF's nested errors as a flat list of {field, message}."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            if isinstance(key, int) or str(key).isdigit():
                path = f"{prefix}[{key}]"  # an item of a list
            else:
                name = "" if key == "non_field_errors" else str(key)
                path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            out += _flatten(value, path)
        return out
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [{"field": prefix or None, "message": str(item)} for item in detail]
        out = []
        for index, value in enumerate(detail):
            if value:
                out += _flatten(value, f"{prefix}[{index}]")
        return out
    return [{"field": prefix or None, "message": str(detail)}]


TITLES = {
    400: ("invalid", lambda: _("The request is not valid.")),
    401: ("unauthenticated", lambda: _("Authentication is needed.")),
    403: ("forbidden", lambda: _("Your account may not do this.")),
    404: ("not-found", lambda: _("Not found.")),
    405: ("method-not-allowed", lambda: _("This method is not allowed here.")),
    406: ("not-acceptable", lambda: _("The answer cannot be given in the format asked for.")),
    409: ("conflict", lambda: _("The request conflicts with an earlier one.")),
    413: ("too-large", lambda: _("The request is too large.")),
    415: ("unsupported-media-type", lambda: _("Send JSON (Content-Type: application/json).")),
    422: ("unprocessable", lambda: _("Some items were refused; nothing was written.")),
    429: ("throttled", lambda: _("Too many requests: wait before trying again.")),
    500: ("server-error", lambda: _("The server failed to answer; nothing was written.")),
}


def problem(request, status_code: int, detail: str = "", **extra) -> Response:
    """A problem-details answer."""
    slug, title = TITLES.get(status_code, ("error", lambda: _("Error.")))
    body = {"type": f"{settings.API_PROBLEM_TYPE_BASE}{slug}", "title": str(title()), "status": status_code,
            "detail": str(detail) or str(title()),
            "instance": request.path if request is not None else ""}
    body.update(extra)
    return Response(body, status=status_code, content_type=CONTENT_TYPE)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def problem_exception_handler(exc, context):
    """DRF's exception handler, answering in problem details (and a 500 in
    the same shape rather than an HTML page)."""
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("API request failed", exc_info=exc)
        return problem(request, 500)
    data = response.data
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = _("Some values are not valid: see errors.")
        extra["errors"] = _flatten(data)
    elif isinstance(data, dict) and "detail" in data:
        detail = data["detail"]
    else:
        detail = ""
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = int(exc.wait + 0.999)
    answer = problem(request, response.status_code, detail, **extra)
    for name, value in response.items():
        if name.lower() in ("retry-after", "www-authenticate", "allow"):
            answer[name] = value
    return answer
