"""Values every page's layout needs."""

from django.conf import settings

from .middleware import page_of


def site(request):
    return {
        "PUBLIC_PAGE": settings.PUBLIC_PAGE,
        "SESSION_IDLE_MINUTES": settings.SESSION_IDLE_MINUTES,
        "AXES_COOLOFF_MINUTES": settings.AXES_COOLOFF_MINUTES,
        "language_next": page_of(request),
    }
