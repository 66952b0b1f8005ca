"""Where a sign-in lands; sign-in lockouts: who is locked out now, and lifting it (the
coordinator, an administrator); keeping a session alive while a form has unsaved text."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gwangyang_plan import audit

from .. import permissions, selectors, services
from ..permissions import permission_required_by


@permission_required_by(permissions.can_read)
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    """Where a sign-in without `?next=` lands (LOGIN_REDIRECT_URL): department staff on their
    work (내 업무), everyone else on the committee dashboard."""
    if permissions.may_see_my_work(request.user):
        return redirect("projects:my")
    return redirect("projects:dashboard")


def render_lockouts(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    context = {
        "lockouts": selectors.sign_in_lockouts(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "page_url": reverse("projects:lockouts"),
    }
    return render(request, "projects/lockouts.html", context, status=status)


@permission_required_by(permissions.may_unlock_sign_in)
@require_safe
def lockout_list(request: HttpRequest) -> HttpResponse:
    return render_lockouts(request)


@permission_required_by(permissions.may_unlock_sign_in)
@require_POST
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")
    try:
        services.sign_in_unlock(user=request.user, username=username)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return render_lockouts(request, status=400)
    audit.sign_in_unlocked(request, username)
    messages.success(request, _("%(name)s의 로그인 잠금을 풀었습니다.") % {"name": username})
    return redirect("projects:lockouts")


@permission_required_by(permissions.can_read)
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Posted by static/js/filing-form.js every few minutes while a form has unsaved changes:
    the request itself moves the session's idle expiry on (SessionIdleMiddleware). Signed
    out, it is sent to sign in like any page, which the script takes as "the session ended"."""
    return HttpResponse(status=204)
