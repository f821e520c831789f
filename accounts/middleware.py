"""Holds a signed-in session at its second step until it is done (accounts.mfa)."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from . import mfa

# Where a session owing its second step may still go.
OPEN_URL_NAMES = {"accounts:two_step", "accounts:two_step_setup", "accounts:logout",
                  "set_language", "healthz"}


class TwoStepMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        state = mfa.pending(request)
        if state == mfa.DONE:
            return self.get_response(request)
        name = _url_name(request)
        if name in OPEN_URL_NAMES or request.path.startswith(("/static/", "/media/")):
            return self.get_response(request)
        target = reverse("accounts:two_step" if state == mfa.VERIFY
                         else "accounts:two_step_setup")
        if request.method == "GET" and not request.htmx:
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None
