"""Values every page's layout needs."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def site(request):
    return {
        "PUBLIC_PAGE": settings.PUBLIC_PAGE,
        "SESSION_IDLE_MINUTES": settings.SESSION_IDLE_MINUTES,
        "AXES_COOLOFF_MINUTES": settings.AXES_COOLOFF_MINUTES,
        "language_next": page_of(request),
    }


def page_of(request) -> str:
    """The address of the page a request shows, for the language switch to come back to: the
    request's own for a GET; for a form refused and shown again (a POST to an action's
    address, which a GET cannot open), the page the form was sent from."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"
