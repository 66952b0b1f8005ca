"""What the navigation needs to know about the signed-in user (buttons only; views guard)."""

from . import permissions


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_may_see_my_work": permissions.may_see_my_work(user),
        "nav_may_import": permissions.may_import(user),
        "nav_may_see_review_queue": permissions.may_see_review_queue(user),
        "nav_may_unlock_sign_in": permissions.may_unlock_sign_in(user),
    }
