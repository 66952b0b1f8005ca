"""The read-only pages: dashboard, status grid, plan tree, project list and page, my work,
and the citizens' page."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_response_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .. import charts, permissions, selectors, workbooks
from ..filtersets import PERIOD, ProjectFilterSet
from ..models import IndicatorTarget, Project
from ..permissions import permission_required_by
from ..tables import ProjectTable
from .common import active_plan_or_404, cached_html, code_version, int_param, xlsx_response

PAGE_SIZE = 50  # rows per page of the long lists (grid, citizens' page, review queue)
PROJECTS_PER_TASK = 10  # the plan tree shows this many of a task's projects, then a link


@permission_required_by(permissions.can_read)
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The committee's view of one quarter: status, progress, submissions, money, indicators."""
    plan = active_plan_or_404()
    year, quarter = int_param(request, "year"), int_param(request, "quarter")
    chosen = PERIOD.match(request.GET.get("period", ""))
    if chosen:  # the period picker sends "2026-3"
        year, quarter = int(chosen[1]), int(chosen[2])
    if year is not None and not plan.start_year <= year <= plan.end_year:
        return redirect("projects:dashboard")  # each year asked for would be a cache entry
    year, quarter = selectors.dashboard_period(year, quarter)
    body = cached_html("dashboard", year, quarter, build=lambda: _dashboard_body(year, quarter))
    title = _("%(year)s년 %(quarter)s분기 추진현황") % {"year": year, "quarter": quarter}
    return render(request, "projects/dashboard.html", {"title": title, "body": body})


def _dashboard_body(year: int, quarter: int) -> str:
    figures = selectors.dashboard(year=year, quarter=quarter)
    return render_to_string(
        "projects/_dashboard_body.html",
        {
            "d": figures,
            "periods": selectors.period_choices(),
            "status_bar": charts.stacked(
                [(value or "none", label, n) for value, label, n in figures.status_counts]
            ),
            "period_param": f"{year}-{quarter}",
            "yoy": selectors.year_over_year(figures),
        },
    )


@permission_required_by(permissions.can_read)
@require_safe
def status_grid(request: HttpRequest) -> HttpResponse:
    """Every project × every quarter of the plan, a page of projects at a time."""
    plan = active_plan_or_404()
    paginator = Paginator(
        Project.objects.filter(task__direction__plan=plan).order_by("code"), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    grid = selectors.status_grid(plan=plan, page_projects=list(page.object_list))
    return render(request, "projects/status_grid.html", {"grid": grid, "page": page})


@permission_required_by(permissions.can_read)
@require_safe
def plan_tree(request: HttpRequest) -> HttpResponse:
    """The plan: vision and phases, then directions → tasks → projects with their latest status
    (a task with more than PROJECTS_PER_TASK projects shows the first ones and a link to all)."""
    plan = active_plan_or_404()
    tree = selectors.plan_tree(plan=plan, projects_per_task=PROJECTS_PER_TASK)
    return render(request, "projects/plan_tree.html", {"tree": tree, "limit": PROJECTS_PER_TASK})


@permission_required_by(permissions.can_read)
@require_safe
def plan_part(request: HttpRequest, code: str) -> HttpResponse:
    """A direction (/plan/2/) or a task (/plan/2-1/): its tasks or projects and its trends."""
    plan = active_plan_or_404()
    part = selectors.plan_part(plan=plan, code=code)
    if part is None:
        raise Http404(_("해당 전략방향이나 전략과제가 없습니다."))
    points = selectors.trend(plan=plan, projects=part.scope, rollup=(part.level, part.obj.pk))
    context = {"part": part, "points": points, "lines": charts.trend_lines(points)}
    context["limit"] = selectors.PART_PROJECTS
    return render(request, "projects/plan_part.html", context)


MAX_PER_PAGE = 100


class ProjectPaginator(Paginator):
    """`?per_page=` (django-tables2) chooses 1–100 rows a page; any other number the default
    (a negative one would leave no page to show)."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        if not 1 <= int(per_page) <= MAX_PER_PAGE:
            per_page = ProjectListView.per_page
        super().__init__(object_list, per_page, *args, **kwargs)


class ProjectListView(SingleTableMixin, FilterView):
    """All projects, filtered, sorted and paged; `?export=xlsx` gives every filtered row."""

    template_name = "projects/project_list.html"
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    # The table's paging, not the list view's: with both, the rows would be counted twice.
    per_page = 25
    table_pagination = {"per_page": per_page, "paginator_class": ProjectPaginator}

    def get_queryset(self):
        return selectors.project_list()

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("export") == "xlsx":
            rows = [row.record for row in context["table"].rows]  # the table's order, all pages
            return xlsx_response(workbooks.project_list_workbook(rows), "projects.xlsx")
        return super().render_to_response(context, **kwargs)


project_list = permission_required_by(permissions.can_read)(require_safe(ProjectListView.as_view()))


@permission_required_by(permissions.can_read)
@require_safe
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.select_related(
            "task__direction__plan", "lead_department", "merged_into", "proposal"
        ).prefetch_related(
            "support_departments",
            "phases",
            "plans",
            "reports",
            "merged_from",
            Prefetch("indicators__targets", IndicatorTarget.objects.order_by("year")),
        ),
        code=code,
    )
    points = selectors.trend(
        plan=project.task.direction.plan, projects=Project.objects.filter(pk=project.pk)
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "overview": selectors.project_overview(project=project),
            "may_file": permissions.may_file(request.user, project),
            "may_change_projects": permissions.may_change_projects(request.user),
            "merged_from": project.merged_from.all(),
            "points": points,
            "lines": charts.trend_lines(points),
            "evaluations": selectors.project_evaluations(project=project),
        },
    )


OWED_PER_PAGE = 20  # /my/ lists this many things owed a page


@permission_required_by(permissions.may_see_my_work)
@require_safe
def my_work(request: HttpRequest) -> HttpResponse:
    """Everything the department owes, most urgent first: returned, late, then by deadline."""
    owed = selectors.department_owed(department_id=request.user.department_id)
    is_head = permissions.is_department_head(request.user)
    page = Paginator(owed, OWED_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "counts": selectors.owed_counts(owed),
        "groups": selectors.Urgency,
        "page_url": reverse("projects:my"),
        # A head's queue: what waits for their sign-off, above what the department owes.
        "is_head": is_head,
        "awaiting": selectors.awaiting_signoff(department_id=request.user.department_id)
        if is_head
        else [],
    }
    return render(request, "projects/my_work.html", context)


PUBLIC_CACHE_SECONDS = 300


@permission_required_by(permissions.anyone)
def public_page(request: HttpRequest) -> HttpResponse:
    """The plan's progress for citizens (PUBLIC_PAGE=on): approved data, no names, no comments."""
    if not settings.PUBLIC_PAGE:
        raise Http404(_("공개 페이지를 사용하지 않습니다."))
    return _public_page(request)


@require_safe
def _public_page(request: HttpRequest) -> HttpResponse:
    """Kept whole in the cache for PUBLIC_CACHE_SECONDS per page number and language, and only
    for a page that exists: other parameters are ignored and another page number is sent to
    the page shown, so no query string makes a new cache entry."""
    asked = request.GET.get("page", "1")
    number = int(asked) if asked.isdigit() and len(asked) <= 6 else 0
    key = f"public:{number}:{get_language()}:{code_version()}"
    content = cache.get(key)
    if content is None:
        response = _public_page_for(request, number)
        if response.status_code != 200:
            return response
        content = response.content
        cache.set(key, content, PUBLIC_CACHE_SECONDS)
    response = HttpResponse(content)
    patch_response_headers(response, PUBLIC_CACHE_SECONDS)
    return response


def _public_page_for(request: HttpRequest, number: int) -> HttpResponse:
    plan = active_plan_or_404()
    year, quarter = selectors.dashboard_period(None, None)
    paginator = Paginator(
        Project.objects.filter(task__direction__plan=plan).order_by("code"), PAGE_SIZE
    )
    page = paginator.get_page(number)
    if page.number != number:
        url = reverse("projects:public")
        return redirect(url if page.number == 1 else f"{url}?page={page.number}")
    projects = selectors.public_projects(
        plan=plan, year=year, quarter=quarter, page_projects=list(page.object_list)
    )
    return render(
        request,
        "projects/public.html",
        {
            "plan": plan,
            "year": year,
            "quarter": quarter,
            "rollup": selectors.progress_rollup(plan=plan, year=year, quarter=quarter),
            "projects": projects,
            "page": page,
        },
    )
