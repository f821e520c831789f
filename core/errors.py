"""Error pages in the interface language, without tracebacks or details."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

# Seconds after which a client may try again when the database is unreachable.
RETRY_AFTER_SECONDS = 60


def _api_problem(request, status: int, slug: str, title: str):
    """On the REST API's paths, an error is problem details (RFC 9457), as
    the API's own views answer, never an HTML page; else None."""
    if not request.path_info.startswith(settings.API_PATH_PREFIX):
        return None
    return JsonResponse({"type": f"{settings.API_PROBLEM_TYPE_BASE}{slug}", "title": title,
                         "status": status, "detail": title, "instance": request.path},
                        status=status, content_type="application/problem+json",
                        json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception=None):
    return (_api_problem(request, 400, "invalid", _("The request is not valid."))
            or render(request, "errors/400.html", status=400))


def permission_denied(request, exception=None):
    return (_api_problem(request, 403, "forbidden", _("Your account may not do this."))
            or render(request, "errors/403.html", status=403))


def page_not_found(request, exception=None):
    return (_api_problem(request, 404, "not-found", _("Not found."))
            or render(request, "errors/404.html", status=404))


def server_error(request):
    """The generic 500 page, or a 503 when the database cannot be reached.

    Django calls this while handling the exception, so ``sys.exc_info()`` is the
    error. Connection failures, lost connections and other transient database
    errors (OperationalError) are an outage, not a bug: the page says so and
    asks the client to try again later. Neither page uses context processors,
    which could query the database.
    """
    error = sys.exc_info()[1]
    problem = _api_problem(request, 500, "server-error",
                           _("The server failed to answer; nothing was written."))
    if problem is not None:
        return problem
    if isinstance(error, OperationalError | InterfaceError):
        template = loader.get_template("errors/503.html")
        response = HttpResponseServerError(template.render({}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({}))


def csrf_failure(request, reason=""):
    """A form posted after its session or page expired: say so plainly."""
    return render(request, "errors/403_csrf.html", status=403)
