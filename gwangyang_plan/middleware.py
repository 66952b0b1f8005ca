"""Korean unless the user chose otherwise: the browser's Accept-Language is not followed."""

from django.conf import settings
from django.utils import translation


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
