"""Pages of the projects app. Thin: rules live in services/permissions, figures in selectors."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import selectors
from .permissions import reader_required


@reader_required
@require_safe
def plan_tree(request: HttpRequest) -> HttpResponse:
    """The plan: vision and phases, then directions → tasks → projects with their latest status."""
    plan = selectors.active_plan()
    if plan is None:
        raise Http404(_("등록된 기본계획이 없습니다."))
    return render(request, "projects/plan_tree.html", {"tree": selectors.plan_tree(plan=plan)})
