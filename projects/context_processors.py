"""What the navigation needs to know about the signed-in user (buttons only; views guard)."""

from . import permissions


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_department_staff": permissions.is_department_staff(user),
        "nav_is_coordinator": permissions.is_coordinator(user),
        "nav_is_reviewer": permissions.is_coordinator(user) or permissions.is_committee(user),
    }
