import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class SessionLifetimeMiddleware:
    """Ends a session SESSION_ABSOLUTE_SECONDS after login, however active.

    The 30-minute inactivity limit is the session cookie age, renewed on every
    request (SESSION_SAVE_EVERY_REQUEST); this adds the absolute cap.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            login_at = request.session.get("login_at")
            now = time.time()
            if login_at is None:
                request.session["login_at"] = now
            elif now - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and downloads may carry personal data: no browser or proxy cache.

    Static files are served by WhiteNoise before this runs and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response


class LanguageMiddleware:
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and
    many officers' computers run an English Windows or Chrome: the interface
    would greet them in English. Here only the switch's cookie counts, but
    on the REST API (``API_PATH_PREFIX``), where other systems choose the
    language of the messages with Accept-Language (after the cookie, which a
    person reading the API's documentation in a browser has).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path_info.startswith(settings.API_PATH_PREFIX):
            # Another system's request: it says which language it reads.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
