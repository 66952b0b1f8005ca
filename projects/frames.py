"""The site's frame around a cached page body, rendered once per kind of reader, then filled in.

The dashboard, the plan and the project list take their bodies from the page cache
(views.version_cached). What is left to do per request is the frame around the body:
templates/projects/page.html (header, menu, account, language switch). Between two readers who
see the same menu on the same page, that frame differs in five places only: the page title, the
body, the reader's name, the CSRF token and the path the language switch returns to.

So the frame is rendered once per language, page and menu, with a marker in each of those five
places, and split at the markers. Each request joins the pieces with its own values, escaped as
the template escapes them; inserted values are never searched again, so what a user typed cannot
become a marker. Everything else the template might read from the request or the user is hidden
from that first render: it would come out empty, and the test that compares this page with a
plain render of the template would fail. A request with messages to show is rendered in full.
"""

import re
import secrets

from django.contrib import messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.autoreload import file_changed
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from .context_processors import navigation

TEMPLATE = "projects/page.html"
SLOTS = ("title", "body", "user", "csrf", "next")
# Random per process, so no text in the template or the data can be taken for a marker.
MARK = f"frame{secrets.token_hex(12)}"
MARKER = re.compile(f"{MARK}({'|'.join(SLOTS)})")

_frames: dict[tuple, list[str]] = {}


def framed_page(request: HttpRequest, title: str, body: str) -> HttpResponse:
    """What render(request, TEMPLATE, {"title": title, "body": body}) returns, made faster."""
    if len(messages.get_messages(request)):
        return render(request, TEMPLATE, {"title": title, "body": body})
    user = request.user
    menu = navigation(request)
    key = (
        get_language(),
        get_script_prefix(),
        getattr(request.resolver_match, "url_name", None),
        user.is_authenticated,
        user.is_superuser,
        tuple(sorted(menu.items())),
    )
    pieces = _frames.get(key)
    if pieces is None:
        pieces = _frames[key] = MARKER.split(_render_frame(request))
    values = {
        "title": conditional_escape(title),
        "body": conditional_escape(body),
        "user": conditional_escape(str(user)),
        "csrf": get_token(request),
        "next": conditional_escape(request.get_full_path()),
    }
    # re.split with one group: literal text at even places, slot names at odd ones.
    return HttpResponse("".join(values[p] if i % 2 else p for i, p in enumerate(pieces)))


def _render_frame(request: HttpRequest) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "title": MARK + "title",
            "body": MARK + "body",
            "csrf_token": MARK + "csrf",
            "user": _Reader(request.user),
            "request": _Request(request),
            "messages": (),
        },
        request=request,
    )


class _Reader:
    """The signed-in user as the frame may see them: a name to fill in, and what the key holds."""

    def __init__(self, user):
        self.is_authenticated = user.is_authenticated
        self.is_superuser = user.is_superuser

    def __str__(self) -> str:
        return MARK + "user"


class _Request:
    """The request as the frame may see it: which page this is, and a path to fill in."""

    def __init__(self, request: HttpRequest):
        self.resolver_match = getattr(request, "resolver_match", None)

    def get_full_path(self) -> str:
        return MARK + "next"


@receiver(setting_changed)
@receiver(file_changed)
def forget_frames(**kwargs) -> None:
    """A template edited under runserver, or settings changed by a test, make new frames
    (tests also start each with none)."""
    _frames.clear()
