"""Pages of the projects app. Thin: rules live in services/permissions, figures in selectors."""

import hashlib
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_http_methods, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import charts, permissions, selectors, services, workbooks
from .filtersets import PERIOD, ProjectFilterSet
from .forms import (
    AttachmentForm,
    CommentForm,
    ExtensionForm,
    ImportForm,
    PlanForm,
    ProposalAnswerForm,
    ProposalForm,
    ReasonForm,
    ReportForm,
)
from .frames import framed_page
from .models import (
    Attachment,
    Filing,
    ImplementationPlan,
    IndicatorTarget,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
)
from .permissions import reader_required
from .tables import ProjectTable


@reader_required
@require_safe
def plan_tree(request: HttpRequest) -> HttpResponse:
    """The plan: vision and phases, then directions → tasks → projects with their latest status."""

    def build() -> str:
        plan = selectors.active_plan()
        if plan is None:
            raise Http404(_("등록된 기본계획이 없습니다."))
        tree = selectors.plan_tree(plan=plan)
        return compact(render_to_string("projects/_plan_tree_body.html", {"tree": tree}))

    return framed_page(request, _("기본계획"), version_cached("plan", build=build))


@method_decorator([reader_required, require_safe], name="dispatch")
class ProjectListView(SingleTableMixin, FilterView):
    """All projects, filtered, sorted and paged."""

    template_name = "projects/_project_list_body.html"
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return super().get(request, *args, **kwargs)
        query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
        listing = super().get
        body = version_cached(
            "projects", query, build=lambda: compact(listing(request).rendered_content)
        )
        return framed_page(request, _("사업"), body)

    def get_queryset(self):
        return selectors.project_list()

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("export") == "xlsx":
            # The filtered rows in the table's order, all pages.
            table = context["table"]
            rows = [row.record for row in table.rows]
            return xlsx_response(workbooks.project_list_workbook(rows), "projects.xlsx")
        return super().render_to_response(context, **kwargs)


def _project(code: str) -> Project:
    return get_object_or_404(
        Project.objects.select_related("task__direction__plan", "lead_department"), code=code
    )


@reader_required
@require_safe
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.select_related("task__direction__plan", "lead_department").prefetch_related(
            "support_departments",
            "phases",
            "plans",
            "reports",
            Prefetch("indicators__targets", IndicatorTarget.objects.order_by("year")),
        ),
        code=code,
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "overview": selectors.project_overview(project=project),
            "can_file": permissions.can_file_for(request.user, project),
        },
    )


# --- Plan and report pages --------------------------------------------------------------------


@dataclass
class FilingPage:
    """What differs between the plan page and the report page."""

    project: Project
    record: Filing | None
    year: int
    quarter: int | None = None
    period: ReportingPeriod | None = None

    @property
    def is_report(self) -> bool:
        return self.quarter is not None

    @property
    def url(self) -> str:
        if self.is_report:
            return reverse("projects:report", args=[self.project.code, self.year, self.quarter])
        return reverse("projects:plan", args=[self.project.code, self.year])

    def blank(self) -> Filing:
        if self.is_report:
            return ProgressReport(project=self.project, year=self.year, quarter=self.quarter)
        return ImplementationPlan(project=self.project, year=self.year)

    def form(self, data=None, *, record=None):
        record = record or self.record or self.blank()
        if not self.is_report:
            return PlanForm(data, instance=record)
        indicators = list(self.project.indicators.all())
        if record.pk:
            results = {r.indicator_id: r.value for r in record.results.all()}
        else:
            # A new report starts from the previous quarter's cumulative figures.
            values, results = selectors.report_carry_over(
                project=self.project, year=self.year, quarter=self.quarter
            )
            for field, value in values.items():
                setattr(record, field, value)
        return ReportForm(data, instance=record, indicators=indicators, results=results)

    def save(self, user, form) -> Filing:
        values = {name: form.cleaned_data[name] for name in form._meta.fields}
        version = form.cleaned_data.get("version")
        if self.is_report:
            return services.report_save(
                user=user,
                project=self.project,
                year=self.year,
                quarter=self.quarter,
                values=values,
                results=form.results(),
                version=version,
            )
        return services.plan_save(
            user=user, project=self.project, year=self.year, values=values, version=version
        )


def _attach_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    project = _project(code)
    if not project.runs_in(year):
        raise Http404(_("이 사업은 %(year)s년에 추진하지 않습니다.") % {"year": year})
    record = (
        ImplementationPlan.objects.select_related("submitted_by", "reviewed_by", "reopened_by")
        .filter(project=project, year=year)
        .first()
    )
    return _filing_page(request, FilingPage(project, record, year))


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_page(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    project = _project(code)
    if not 1 <= quarter <= 4:
        raise Http404(_("분기는 1~4 중 하나여야 합니다."))
    if not project.runs_in(year):
        raise Http404(_("이 사업은 %(year)s년에 추진하지 않습니다.") % {"year": year})
    record = (
        ProgressReport.objects.select_related("submitted_by", "reviewed_by", "reopened_by")
        .prefetch_related("results", "attachments")
        .filter(project=project, year=year, quarter=quarter)
        .first()
    )
    period = (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=year, quarter=quarter)
        .first()
    )
    return _filing_page(request, FilingPage(project, record, year, quarter, period))


ACTIONS = {"save", "submit", "approve", "return", "reopen", "comment", "attach", "detach"}


def _filing_page(request: HttpRequest, page: FilingPage) -> HttpResponse:
    user = request.user
    form = None
    status = 200
    conflict = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            return HttpResponse(_("알 수 없는 요청입니다."), status=400)
        if action in ("save", "submit"):
            form, conflict = _save_or_submit(request, page, action)
            if form is None:
                return redirect(page.url)
            status = 409 if conflict else 400
        else:
            problem = _review_action(request, page, action)
            if problem is None:
                return redirect(page.url)
            messages.error(request, problem)
            status = 400
    record = page.record
    refusal = (
        services.edit_refusal(user=user, filing=record or page.blank(), period=page.period)
        if record
        else _create_refusal(user, page)
    )
    if form is None and refusal is None:
        form = page.form()
    context = {
        "page": page,
        "project": page.project,
        "record": record,
        "form": form if refusal is None or status != 200 else None,
        "refusal": refusal,
        "conflict": conflict,
        "deadline": services.deadline_of(record or page.blank(), period=page.period)
        if (not page.is_report or page.period)
        else None,
        "may_review": permissions.is_coordinator(user),
        "may_comment": services.may_comment(user, record or page.blank()),
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "attachment_form": AttachmentForm(),
        "results": _result_rows(page, record),
        **selectors.filing_thread(record),
    }
    template = "projects/report_page.html" if page.is_report else "projects/plan_page.html"
    return render(request, template, context, status=status)


def _create_refusal(user, page: FilingPage) -> str | None:
    if not permissions.can_file_for(user, page.project):
        return _("이 사업의 주관부서 담당자나 총괄 관리자만 작성할 수 있습니다.")
    if page.is_report:
        return services.period_accepts(page.period, page.project.lead_department_id)
    return None


def _result_rows(page: FilingPage, record):
    if not page.is_report:
        return []
    values = {r.indicator_id: r.value for r in record.results.all()} if record else {}
    return [(indicator, values.get(indicator.pk)) for indicator in page.project.indicators.all()]


def _save_or_submit(request, page: FilingPage, action: str):
    """Returns (None, None) on success, else the bound form to show again and any conflict."""
    form = page.form(request.POST)
    if not form.is_valid():
        return form, None
    try:
        record = page.save(request.user, form)
        if action == "submit":
            services.filing_submit(user=request.user, filing=record, version=record.version)
            messages.success(request, _("제출했습니다. 총괄 관리자의 검토를 기다립니다."))
        else:
            messages.success(request, _("임시 저장했습니다."))
        return None, None
    except ValidationError as error:
        _attach_errors(form, error)
        return form, None
    except services.ConflictError:
        lookup = {"project": page.project, "year": page.year}
        if page.is_report:
            lookup["quarter"] = page.quarter
        current = type(page.blank()).objects.filter(**lookup).first()
        form.add_error(
            None,
            _(
                "다른 사람이 먼저 이 문서를 저장했습니다. 입력하신 내용은 아래에 그대로 있습니다. "
                "현재 저장된 내용과 비교한 뒤 다시 저장하면 그 내용으로 바뀝니다."
            ),
        )
        if current is not None:
            data = request.POST.copy()
            data["version"] = current.version
            form.data = data
        return form, current or True


def _review_action(request, page: FilingPage, action: str) -> str | None:
    """Run one review action; returns an error message to show, or None when it worked."""
    record = page.record
    user = request.user
    if record is None:
        return _("아직 작성된 문서가 없습니다.")
    try:
        if action == "approve":
            services.filing_approve(
                user=user, filing=record, comment=request.POST.get("reason", "")
            )
            messages.success(request, _("승인했습니다."))
        elif action == "return":
            services.filing_return(user=user, filing=record, reason=request.POST.get("reason", ""))
            messages.success(request, _("보완요청했습니다."))
        elif action == "reopen":
            services.filing_reopen(user=user, filing=record, reason=request.POST.get("reason", ""))
            messages.success(request, _("다시 작성할 수 있게 열었습니다."))
        elif action == "comment":
            services.comment_add(user=user, filing=record, body=request.POST.get("body", ""))
            messages.success(request, _("의견을 남겼습니다."))
        elif action == "attach":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                return _("올릴 파일을 고르세요.")
            services.attachment_add(user=user, report=record, upload=form.cleaned_data["file"])
            messages.success(request, _("증빙자료를 올렸습니다."))
        elif action == "detach":
            attachment = get_object_or_404(
                Attachment, pk=request.POST.get("attachment") or 0, report=record
            )
            services.attachment_delete(user=user, attachment=attachment)
            messages.success(request, _("증빙자료를 지웠습니다."))
    except ValidationError as error:
        return " ".join(error.messages)
    except services.ConflictError:
        return _("다른 사람이 먼저 이 문서를 바꾸었습니다. 새로 고친 뒤 다시 하세요.")
    return None


@reader_required
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("파일이 없습니다.")) from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


# --- My department, review queue, proposals --------------------------------------------------


@reader_required
@require_safe
def my_work(request: HttpRequest) -> HttpResponse:
    if not permissions.is_department_staff(request.user):
        raise PermissionDenied(_("부서 담당자만 볼 수 있는 화면입니다."))
    period = selectors.current_period()
    todo = selectors.department_todo(department_id=request.user.department_id, period=period)
    return render(request, "projects/my_work.html", {"todo": todo})


def _reviewer_required(user) -> None:
    if not (permissions.is_coordinator(user) or permissions.is_committee(user)):
        raise PermissionDenied(_("총괄 관리자와 위원만 볼 수 있는 화면입니다."))


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_queue(request: HttpRequest) -> HttpResponse:
    _reviewer_required(request.user)
    if request.method == "POST":
        return _review_post(request)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            workbooks.review_queue_workbook(selectors.review_queue()), "review-queue.xlsx"
        )
    periods = ReportingPeriod.objects.prefetch_related("extensions__department").order_by(
        "-year", "-quarter"
    )[:8]
    return render(
        request,
        "projects/review.html",
        {
            "queue": selectors.review_queue(),
            "may_review": permissions.is_coordinator(request.user),
            "periods": list(periods),
            "extension_form": ExtensionForm(),
        },
    )


def _review_post(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.is_coordinator(user):
        raise PermissionDenied(_("총괄 관리자만 할 수 있습니다."))
    action = request.POST.get("action")
    if action == "bulk_approve":
        filings = [
            *ImplementationPlan.objects.filter(pk__in=_ids(request, "plan")),
            *ProgressReport.objects.filter(pk__in=_ids(request, "report")),
        ]
        try:
            services.filings_approve(user=user, filings=filings)
        except (ValidationError, services.ConflictError):
            messages.error(
                request,
                _("그 사이 상태가 바뀐 문서가 있어 아무것도 승인하지 않았습니다. 다시 고르세요."),
            )
            return redirect("projects:review")
        messages.success(request, _("%(count)s건을 승인했습니다.") % {"count": len(filings)})
    elif action in ("close", "open"):
        period = get_object_or_404(ReportingPeriod, pk=request.POST.get("period") or 0)
        services.period_set_closed(user=user, period=period, closed=action == "close")
        messages.success(request, _("%(period)s 보고 기간을 바꾸었습니다.") % {"period": period})
    elif action == "extend":
        period = get_object_or_404(ReportingPeriod, pk=request.POST.get("period") or 0)
        form = ExtensionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("부서, 연장 기한, 사유를 모두 적어 주세요."))
            return redirect("projects:review")
        try:
            services.extension_grant(user=user, period=period, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:review")
        messages.success(request, _("기한을 연장했습니다."))
    else:
        return HttpResponse(_("알 수 없는 요청입니다."), status=400)
    return redirect("projects:review")


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(value) for value in request.POST.getlist(name) if value.isdigit()]


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProposalForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "propose":
            form = ProposalForm(request.POST)
            if form.is_valid():
                try:
                    services.proposal_create(user=user, values=form.cleaned_data)
                    messages.success(request, _("제안을 등록했습니다."))
                    return redirect("projects:proposals")
                except ValidationError as error:
                    _attach_errors(form, error)
            status = 400
        elif action == "answer":
            proposal = get_object_or_404(Proposal, pk=request.POST.get("proposal") or 0)
            answer = ProposalAnswerForm(request.POST, instance=proposal)
            if answer.is_valid():
                try:
                    services.proposal_answer(
                        user=user,
                        proposal=proposal,
                        response=answer.cleaned_data["response"],
                        reason=answer.cleaned_data["response_reason"],
                    )
                    messages.success(request, _("검토 결과를 회신했습니다."))
                    return redirect("projects:proposals")
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
            else:
                messages.error(request, _("검토 결과와 의견을 적어 주세요."))
            status = 400
        else:
            return HttpResponse(_("알 수 없는 요청입니다."), status=400)
    proposals = Proposal.objects.select_related(
        "proposed_by", "department", "responded_by", "project"
    )
    may_propose = permissions.is_committee(user) or permissions.is_coordinator(user)
    return render(
        request,
        "projects/proposals.html",
        {
            "proposals": [
                (p, permissions.may_answer_proposal(user, p) and ProposalAnswerForm(instance=p))
                for p in proposals
            ],
            "form": form if may_propose else None,
        },
        status=status,
    )


# --- The committee dashboard ------------------------------------------------------------------


PAGE_CACHE_SECONDS = 600
BUILD_SECONDS = 30  # how long a page being built keeps others on the previous version


def version_cached(name: str, *params, build):
    """What `build()` returns, made once per data version, day and language, then kept for
    PAGE_CACHE_SECONDS: for page bodies that every reader sees alike (approved data, the plan).

    One query decides (selectors.data_version): any saved change that such a page can show
    makes a new version; drafts being edited do not. The day is in the key because default
    periods and days-late follow the calendar. While one request builds a new version, the
    others are served the one before it rather than all building it at once.
    """
    page = ":".join(map(str, (name, *params, timezone.localdate(), get_language())))
    key = f"{page}:{selectors.data_version()}"
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:building"
    if not cache.add(lock, True, BUILD_SECONDS):
        previous = cache.get(f"{page}:latest")
        if previous is not None:
            return previous
    try:
        value = build()
        cache.set_many({key: value, f"{page}:latest": value}, PAGE_CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return value


def compact(html: str) -> SafeString:
    """Rendered HTML without the templates' indentation (a fifth of the dashboard's bytes).
    Only for bodies without <pre> or <textarea>, where leading spaces would show."""
    return mark_safe(INDENTATION.sub("\n", html))  # noqa: S308 (rendered by a template)


INDENTATION = re.compile(r"\n\s+")


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) <= 4 else None


@reader_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The committee's view of one quarter: status, progress, submissions, money, indicators."""
    year, quarter = _int_param(request, "year"), _int_param(request, "quarter")
    chosen = PERIOD.match(request.GET.get("period", ""))
    if chosen:  # the period picker sends "2026-3"
        year, quarter = int(chosen[1]), int(chosen[2])
    title, body = version_cached(
        "dashboard", year, quarter, build=lambda: _dashboard_page(year, quarter)
    )
    return framed_page(request, title, body)


def _dashboard_page(year: int | None, quarter: int | None) -> tuple[str, str]:
    """The dashboard's title and body for the period asked for (or the default one)."""
    if selectors.active_plan() is None:
        raise Http404(_("등록된 기본계획이 없습니다."))
    year, quarter = selectors.dashboard_period(year, quarter)
    figures = selectors.dashboard(year=year, quarter=quarter)
    body = render_to_string(
        "projects/_dashboard_body.html",
        {
            "d": figures,
            "periods": selectors.period_choices(),
            "status_bar": charts.stacked(
                [(value or "none", label, n) for value, label, n in figures.status_counts]
            ),
            "period_param": f"{year}-{quarter}",
        },
    )
    title = _("%(year)s년 %(quarter)s분기 추진현황") % {"year": year, "quarter": quarter}
    return title, compact(body)


GRID_PAGE_SIZE = 50


@reader_required
@require_safe
def status_grid(request: HttpRequest) -> HttpResponse:
    """Every project × every quarter of the plan, a page of projects at a time."""
    plan = selectors.active_plan()
    if plan is None:
        raise Http404(_("등록된 기본계획이 없습니다."))
    paginator = Paginator(
        Project.objects.filter(task__direction__plan=plan).order_by("code"), GRID_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    grid = selectors.status_grid(plan=plan, page_projects=list(page.object_list))
    return render(request, "projects/status_grid.html", {"grid": grid, "page": page})


# --- The citizens' page -----------------------------------------------------------------------

PUBLIC_CACHE_SECONDS = 300


def public_page(request: HttpRequest) -> HttpResponse:
    """The plan's progress for citizens (PUBLIC_PAGE=on): approved data, no names, no comments."""
    if not settings.PUBLIC_PAGE:
        raise Http404(_("공개 페이지를 사용하지 않습니다."))
    return _public_page(request)


@require_safe
@cache_page(PUBLIC_CACHE_SECONDS)
def _public_page(request: HttpRequest) -> HttpResponse:
    plan = selectors.active_plan()
    if plan is None:
        raise Http404(_("등록된 기본계획이 없습니다."))
    year, quarter = selectors.dashboard_period(None, None)
    return render(
        request,
        "projects/public.html",
        {
            "plan": plan,
            "year": year,
            "quarter": quarter,
            "rollup": selectors.progress_rollup(plan=plan, year=year, quarter=quarter),
            "projects": selectors.public_projects(plan=plan, year=year, quarter=quarter),
        },
    )


# --- Excel --------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@reader_required
@require_safe
def workbook_download(request: HttpRequest) -> HttpResponse:
    """The meeting workbook for `?year=&quarter=` (default: as the dashboard)."""
    if selectors.active_plan() is None:
        raise Http404(_("등록된 기본계획이 없습니다."))
    year, quarter = selectors.dashboard_period(
        _int_param(request, "year"), _int_param(request, "quarter")
    )
    content = workbooks.meeting_workbook(year=year, quarter=quarter)
    return xlsx_response(content, workbooks.workbook_filename(year, quarter))


# --- Import ----------------------------------------------------------------------------------

PENDING_IMPORT = "pending_import"


def _importer_required(user) -> None:
    if not (permissions.is_coordinator(user) or permissions.is_department_staff(user)):
        raise PermissionDenied(_("부서 담당자와 총괄 관리자만 엑셀로 올릴 수 있습니다."))


@reader_required
@require_safe
def report_template_download(request: HttpRequest) -> HttpResponse:
    """The quarterly-progress template for the user's projects (all, for the coordinator)."""
    _importer_required(request.user)
    year, quarter = _int_param(request, "year"), _int_param(request, "quarter")
    if not (year and quarter and 1 <= quarter <= 4):
        period = selectors.current_period()
        if period is None:
            raise Http404(_("열려 있는 보고 기간이 없습니다."))
        year, quarter = period.year, period.quarter
    projects = (
        permissions.projects_writable_by(request.user)
        .filter(start_year__lte=year, end_year__gte=year)
        .prefetch_related("indicators__targets")
        .order_by("code")
    )
    content = workbooks.report_template(projects=list(projects), year=year, quarter=quarter)
    return xlsx_response(content, f"report-template-{year}-Q{quarter}.xlsx")


@reader_required
@require_safe
def plan_template_download(request: HttpRequest) -> HttpResponse:
    """The plan-structure template, pre-filled with the current list (coordinator)."""
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied(_("총괄 관리자만 계획 구조 양식을 내려받을 수 있습니다."))
    plan = selectors.active_plan()
    if plan is None:
        raise Http404(_("등록된 기본계획이 없습니다."))
    return xlsx_response(workbooks.plan_template(plan=plan), "plan-structure-template.xlsx")


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: first a preview of every change (or every error), then apply."""
    user = request.user
    _importer_required(user)
    context = {
        "form": ImportForm(),
        "period": selectors.current_period(),
        "may_import_plan": permissions.is_coordinator(user),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "preview":
            status = _import_preview(request, context)
        elif action == "apply":
            return _import_apply(request, context)
        else:
            return HttpResponse(_("알 수 없는 요청입니다."), status=400)
    return render(request, "projects/import.html", context, status=status)


def _import_preview(request: HttpRequest, context: dict) -> int:
    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return 400
    upload = form.cleaned_data["file"]
    try:
        preview = workbooks.read(upload, user=request.user)
    except workbooks.ImportRefused as refusal:
        context["refused"] = str(refusal)
        return 400
    context["preview"] = preview
    if not preview.ok:
        return 400
    if preview.writes:
        upload.seek(0)
        earlier = request.session.get(PENDING_IMPORT)
        if earlier:  # one file waits per person: the one previewed last
            default_storage.delete(earlier)
        name = default_storage.save(f"imports/{uuid.uuid4().hex}.xlsx", upload)
        request.session[PENDING_IMPORT] = context["pending"] = name
    return 200


def _import_apply(request: HttpRequest, context: dict) -> HttpResponse:
    name = request.session.get(PENDING_IMPORT)
    if not name or not default_storage.exists(name):
        messages.error(request, _("미리보기한 파일이 없습니다. 파일을 다시 올려 주세요."))
        return redirect("projects:import")
    if request.POST.get("pending") != name:  # this page's preview is not the latest one
        messages.error(
            request,
            _("그 뒤 다른 창에서 다른 파일을 미리 보았습니다. 반영할 파일을 다시 올려 주세요."),
        )
        return redirect("projects:import")
    del request.session[PENDING_IMPORT]
    try:
        with default_storage.open(name) as stored:
            preview = workbooks.read(stored, user=request.user)  # the rules are checked again
        if not preview.ok:  # the data changed since the preview: show where, as it did
            context["preview"] = preview
            return render(request, "projects/import.html", context, status=400)
        count = workbooks.apply(preview, user=request.user)
    except workbooks.ImportRefused as refusal:
        context["refused"] = str(refusal)
        return render(request, "projects/import.html", context, status=400)
    finally:
        default_storage.delete(name)
    messages.success(request, _("반영했습니다 (%(count)s건).") % {"count": count})
    return redirect("projects:import")
