"""Excel out (the meeting workbook, the templates) and in (preview, then apply)."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import briefing, permissions, selectors, services, workbooks
from ..forms import ImportForm
from ..models import ReportingPeriod
from ..permissions import permission_required_by
from ..selectors.calendar import document_refusal
from ..workbooks import pending as pending_imports
from .common import active_plan_or_404, int_param, xlsx_response

PENDING_IMPORT = pending_imports.SESSION_KEY


@permission_required_by(permissions.can_read)
@require_safe
def workbook_download(request: HttpRequest) -> HttpResponse:
    """The meeting workbook for `?year=&quarter=` (default: as the dashboard), prepared by the
    signed-in person; a year outside the plan is refused, as for the PDF."""
    year, quarter, refused = document_period(request)
    if refused:
        return render_refusal(request, refused, status=400)
    content = workbooks.meeting_workbook(
        year=year,
        quarter=quarter,
        printed_by=printed_by(request.user),
        # The committee's copy holds approved data only; the coordinator's adds a sheet of
        # what is still under review.
        under_review=permissions.may_review(request.user),
    )
    return xlsx_response(content, workbooks.workbook_filename(year, quarter))


def document_period(request: HttpRequest) -> tuple[int, int, str | None]:
    """The quarter a meeting document is asked for (`?year=&quarter=`; neither: as the
    dashboard), and why it is refused: a year or quarter that is not one (quarter=7 had
    quietly given another quarter's file), or calendar.document_refusal's reason."""
    plan = active_plan_or_404()
    asked = {name: request.GET.get(name, "").strip() for name in ("year", "quarter")}
    year, quarter = int_param(request, "year"), int_param(request, "quarter")
    if any(asked.values()) and not (year and quarter and 1 <= quarter <= 4):
        example = _("연도와 분기를 숫자로 적어 주세요. 예: ?year=2026&quarter=3")
        return 0, 0, example
    year, quarter = selectors.dashboard_period(year, quarter)
    return year, quarter, document_refusal(plan, year, quarter)


def printed_by(user) -> str:
    """ "<department> <name>": who prepared a meeting document."""
    department = user.department.name if user.department_id else ""
    return " ".join(filter(None, [department, user.get_full_name() or user.username]))


@permission_required_by(permissions.can_read)
@require_safe
def briefing_download(request: HttpRequest) -> HttpResponse:
    """The meeting document as a PDF for `?year=&quarter=` (default: as the dashboard):
    approved data only, for everyone who may read (the committee's copy of the workbook).
    A year outside the plan is refused; without WeasyPrint or Pango, a 503 page says so."""
    year, quarter, refused = document_period(request)
    if refused:
        return render_refusal(request, refused, status=400)
    try:
        content = briefing.briefing_pdf(
            year=year, quarter=quarter, printed_by=printed_by(request.user)
        )
    except briefing.PdfUnavailable:
        message = _(
            "이 서버에는 PDF를 만드는 프로그램(WeasyPrint와 Pango)이 설치되어 있지 않아 "
            "회의자료 PDF를 만들 수 없습니다. 회의용 엑셀을 내려받거나 관리자에게 문의해 주세요."
        )
        return render_refusal(request, message, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    filename = briefing.briefing_filename(year, quarter)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def render_refusal(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    """A page that says why the meeting document could not be made."""
    return render(request, "projects/briefing/refused.html", {"message": message}, status=status)


@permission_required_by(permissions.may_import)
@require_safe
def report_template_download(request: HttpRequest) -> HttpResponse:
    """The quarterly-progress template for the user's projects (all, for the coordinator)."""
    year, quarter = int_param(request, "year"), int_param(request, "quarter")
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


@permission_required_by(permissions.may_import_plan)
@require_safe
def plan_template_download(request: HttpRequest) -> HttpResponse:
    """The plan-structure template, pre-filled with the current list (coordinator)."""
    plan = active_plan_or_404()
    return xlsx_response(workbooks.plan_template(plan=plan), "plan-structure-template.xlsx")


def template_periods(user) -> list[ReportingPeriod]:
    """The periods whose template the import page offers, newest first: each that has opened
    and still takes the user's department's filings (services.period_accepts: not closed, or
    extended for it); for the coordinator, who files for every department, each not closed.
    An overdue quarter's report is filed from its own template too (the page offered only the
    latest)."""
    opened = ReportingPeriod.objects.filter(opens_on__lte=timezone.localdate()).order_by(
        "-year", "-quarter"
    )
    if not user.department_id:
        return list(opened.filter(closed=False))
    opened = opened.prefetch_related("extensions")
    return [p for p in opened if services.period_accepts(p, user.department_id) is None]


def render_import(request: HttpRequest, *, status=200, **shown) -> HttpResponse:
    context = {
        "form": ImportForm(),
        "periods": template_periods(request.user),
        "may_import_plan": permissions.may_import_plan(request.user),
        "page_url": reverse("projects:import"),
        **shown,
    }
    return render(request, "projects/import.html", context, status=status)


@permission_required_by(permissions.may_import)
@require_safe
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: first a preview of every change (or every error), then apply."""
    return render_import(request)


@permission_required_by(permissions.may_import)
@require_POST
def import_preview(request: HttpRequest) -> HttpResponse:
    """Check the file and list what it would change; keep it for `apply` if it can be applied."""
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_import(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        preview = workbooks.read(upload, user=request.user)
    except workbooks.ImportRefused as refusal:
        return render_import(request, form=form, refused=str(refusal), status=400)
    if not preview.ok:
        return render_import(request, form=form, preview=preview, status=400)
    pending = None
    if preview.writes:  # one file waits per person: the one previewed last
        pending = pending_imports.keep(upload, request.session)
    return render_import(request, form=form, preview=preview, pending=pending)


@permission_required_by(permissions.may_import)
@require_POST
def import_apply(request: HttpRequest) -> HttpResponse:
    """Apply the file previewed last, after checking every rule again."""
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
            return render_import(request, preview=preview, status=400)
        count = workbooks.apply(preview, user=request.user)
    except workbooks.ImportRefused as refusal:
        return render_import(request, refused=str(refusal), status=400)
    finally:
        default_storage.delete(name)
    messages.success(request, _("반영했습니다 (%(count)s건).") % {"count": count})
    return redirect("projects:import")
