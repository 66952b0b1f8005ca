"""Small helpers the view modules share."""

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_CACHE_SECONDS = 600
# What a cached page's markup is made from, static files included: their hashed names are in it.
RENDERING_FILES = (
    "templates/**/*.html",
    "projects/**/*.py",
    "strategies/**/*.py",
    "locale/**/*.mo",
    "static/*.*",
    "static/**/*.css",
    "static/**/*.js",
)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    # isdigit alone lets "²" through, which int() refuses
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else None


def active_plan_or_404():
    plan = selectors.active_plan()
    if plan is None:
        raise Http404(_("등록된 기본계획이 없습니다."))
    return plan


def attach_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def cached_html(name: str, *params, build: Callable[[], str]) -> str:
    """What `build()` renders, kept in Django's cache per data version, day and language.

    For page bodies every reader sees alike. selectors.data_version() moves with every write a
    reader could see; the day is in the key because default periods and days-late follow the
    calendar."""
    parts = (name, *params, timezone.localdate(), get_language(), selectors.data_version())
    parts += (code_version(),)
    key = "page:" + ":".join(map(str, parts))
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return html


@functools.cache
def code_version() -> str:
    """A digest of what renders a cached page (templates, code, translations), read once per
    process: after a deploy no server serves markup cached by the code before it, which may
    name static files that are gone."""
    digest = hashlib.blake2b(digest_size=8)
    for pattern in RENDERING_FILES:
        for path in sorted(settings.BASE_DIR.glob(pattern)):
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
