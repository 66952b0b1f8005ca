"""Values every page's layout needs."""

from django.conf import settings


def site(request):
    return {
        "PUBLIC_PAGE": settings.PUBLIC_PAGE,
        "SESSION_IDLE_MINUTES": settings.SESSION_IDLE_MINUTES,
        "AXES_COOLOFF_MINUTES": settings.AXES_COOLOFF_MINUTES,
    }
