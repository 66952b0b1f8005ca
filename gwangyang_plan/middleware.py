"""Our middleware: the chosen language (Korean unless the user chose otherwise; the browser's
Accept-Language is not followed), no request body larger than the largest upload, an idle
timeout that costs no write per request, no browser cache of what a signed-in user sees, and a
page for a 405 (an action's address opened directly)."""

import time

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class ChosenLanguageMiddleware:
    """Activate the language saved by the language switch (cookie), else LANGUAGE_CODE.

    Django's LocaleMiddleware would follow the browser, and many office PCs send English
    first; the city wants the Korean interface unless a person picks English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class MethodNotAllowedPageMiddleware:
    """A page in the user's language for a 405, which Django sends empty (the browser then
    shows its own English error): an action's address opened from the address bar."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method == "GET":
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class PrivateNoStoreMiddleware:
    """Every response to a signed-in user is `Cache-Control: private, no-store` (with Django's
    other never-cache headers): pages, evidence files and exports must not stay in a shared
    office PC's browser cache after sign-out. Anonymous pages (/public/, sign-in) are left as
    they are; static files are answered by WhiteNoise before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than the largest upload the app takes (413), before
    anything reads it: Django's upload handlers would otherwise write all of it to a temporary
    file while the CSRF check or a form reads it, before sign-in and permissions are checked.

    The body Django reads is at most its Content-Length (a body without one, e.g. chunked, is
    not read at all), so the header is the one thing to check."""

    FORM_MARGIN_MB = 1  # the form's other fields and the multipart framing

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if content_length(request) > max_request_bytes():
            limit = max(settings.ATTACHMENT_MAX_MB, settings.IMPORT_MAX_MB)
            body = render_to_string("413.html", {"limit": limit})
            # No Connection header: hop-by-hop headers are the server's (PEP 3333; runserver
            # turned this answer into a 500), and the servers drain or drop an unread body.
            return HttpResponse(body, status=413)
        return self.get_response(request)


def max_request_bytes() -> int:
    largest = max(settings.ATTACHMENT_MAX_MB, settings.IMPORT_MAX_MB)
    return (largest + RequestSizeLimitMiddleware.FORM_MARGIN_MB) * 1024 * 1024


def content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class SessionIdleMiddleware:
    """A session ends SESSION_IDLE_MINUTES after its last use: each use moves its expiry on.
    Django's SESSION_SAVE_EVERY_REQUEST would do that with a database write (and, on
    PostgreSQL, a flush to disk) on every request, pages included; this saves it at most once
    a TOUCH_EVERY_S, so a session may end up to that much sooner than the full idle time."""

    TOUCH_EVERY_S = 60
    KEY = "_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key:  # a cookie names one: read it (the sign-in check would anyway)
            touched, now = session.get(self.KEY, 0), int(time.time())
            # Still named after reading: the session exists and has not expired.
            if session.session_key and now - touched >= self.TOUCH_EVERY_S:
                session[self.KEY] = now  # modified: SessionMiddleware saves it, expiry moved on
        return self.get_response(request)
