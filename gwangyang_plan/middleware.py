"""Our middleware: the chosen language; no browser cache of what a signed-in user sees."""

from django.conf import settings
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
