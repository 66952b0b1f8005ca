"""The plan and report pages (GET) and one small POST view per button on them.

Each action URL is the page's address plus the action (`…/reports/2026/4/submit/`); the same
view serves plans and reports (`quarter` is None for a plan). Success redirects back to the
page with a message; invalid input shows the page again with the errors (400, or 409 when
someone else saved first)."""

from dataclasses import dataclass
from functools import cached_property, wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, selectors, services
from ..choices import FilingState
from ..forms import AttachmentForm, CommentForm, PlanForm, ReasonForm, ReportForm
from ..models import (
    Attachment,
    Filing,
    ImplementationPlan,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from ..permissions import permission_required_by
from .common import attach_errors

ACTIONS = (
    *("save", "submit", "confirm", "withdraw", "approve", "return", "reopen", "comment"),
    *("signoff", "signoff-return"),
)


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
    def args(self) -> list:
        return [self.project.code, self.year, *([self.quarter] if self.is_report else [])]

    @property
    def kind(self) -> str:
        return "report" if self.is_report else "plan"

    @property
    def url(self) -> str:
        return reverse(f"projects:{self.kind}", args=self.args)

    @property
    def submission_url(self) -> str:
        """The confirmation page that 제출 leads to (views.submission)."""
        return reverse(f"projects:{self.kind}_submission", args=self.args)

    @cached_property
    def actions(self) -> dict[str, str]:
        """Where each button of the page posts (a template names signoff-return signoff_return);
        worked out once per page, however many of its forms name them."""
        names = ACTIONS + (("attach",) if self.is_report else ())
        return {
            name.replace("-", "_"): reverse(f"projects:{self.kind}_{name}", args=self.args)
            for name in names
        }

    def blank(self) -> Filing:
        if self.is_report:
            return ProgressReport(project=self.project, year=self.year, quarter=self.quarter)
        return ImplementationPlan(project=self.project, year=self.year)

    def form(self, data=None, files=None):
        record = self.record or self.blank()
        if not self.is_report:
            return PlanForm(data, files, instance=record)
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
        return ReportForm(data, files, instance=record, indicators=indicators, results=results)

    def save(self, user, form) -> Filing:
        """Save what the form says with its evidence files (added and removed), all or none:
        the one save behind both 임시 저장 and 제출."""
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        common = {
            "user": user, "project": self.project, "year": self.year, "values": values,
            "version": form.cleaned_data.get("version"),
            "uploads": form.uploads(), "remove": form.removals(),
        }  # fmt: skip
        if self.is_report:
            return services.report_save(**common, quarter=self.quarter, results=form.results())
        return services.plan_save(**common)

    def current(self) -> Filing | None:
        """The record as saved now (after someone else's save)."""
        lookup = {"project": self.project, "year": self.year}
        if self.is_report:
            lookup["quarter"] = self.quarter
        return type(self.blank()).objects.filter(**lookup).first()


def load_page(code: str, year: int, quarter: int | None = None) -> FilingPage:
    """The plan (quarter None) or report page at this address, or 404."""
    projects = Project.objects.select_related("task__direction__plan", "lead_department")
    if quarter is not None:  # the report's form and its record both list the indicators
        projects = projects.prefetch_related("indicators")
    project = get_object_or_404(projects, code=code)
    if quarter is not None and not 1 <= quarter <= 4:
        raise Http404(_("분기는 1~4 중 하나여야 합니다."))
    if not project.runs_in(year):
        raise Http404(_("이 사업은 %(year)s년에 추진하지 않습니다.") % {"year": year})
    stamps = ("submitted_by", "signed_off_by", "reviewed_by", "reopened_by")
    if quarter is None:
        plan = ImplementationPlan.objects.select_related(*stamps).prefetch_related("attachments")
        plan = plan.filter(project=project, year=year).first()
        if plan:
            plan.project = project  # read once, with its department and task
        return FilingPage(project, plan, year)
    report = (
        ProgressReport.objects.select_related(*stamps)
        .prefetch_related("results", "attachments")
        .filter(project=project, year=year, quarter=quarter)
        .first()
    )
    if report:
        report.project = project
    period = (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=year, quarter=quarter)
        .first()
    )
    return FilingPage(project, report, year, quarter, period)


def load_writable(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    """The page, for an action that writes it: only its lead department or the coordinator."""
    page = load_page(code, year, quarter)
    permissions.check_may_file(request.user, page.project)
    return page


def render_page(
    request: HttpRequest, page: FilingPage, *, form=None, conflict=None, changes=(), status=200
):
    """The plan or report page: the edit form when the user may edit, else the record;
    `changes` are what changed since the version a reviewer was shown (a 409)."""
    user = request.user
    record = page.record
    filing = record or page.blank()
    if record:
        refusal = services.edit_refusal(user=user, filing=record, period=page.period)
    elif not permissions.may_file(user, page.project):
        refusal = str(permissions.may_file_any.refusal)
    elif ended := services.ended_refusal(page.project, page.year, page.quarter):
        refusal = ended
    elif page.is_report:
        refusal = services.period_accepts(page.period, page.project.lead_department_id)
    else:
        refusal = None  # a plan is not filed in a reporting period
    if form is None and refusal is None:
        form = page.form()
    results = []
    if page.is_report:
        values = {r.indicator_id: r.value for r in record.results.all()} if record else {}
        results = [(i, values.get(i.pk)) for i in page.project.indicators.all()]
    has_deadline = not page.is_report or page.period
    if form is not None and (refusal is None or status != 200):
        if page.is_report:
            form.describe_context(
                selectors.report_form_context(
                    project=page.project, year=page.year, quarter=page.quarter
                )
            )
        else:
            form.describe_money()
    sent = record is not None and record.state in selectors.FILED_STATES
    context = {
        "page": page,
        "page_url": page.url,
        "project": page.project,
        "record": record,
        "form": form if refusal is None or status != 200 else None,
        "refusal": refusal,
        "conflict": conflict,
        "deadline": services.deadline_of(filing, period=page.period) if has_deadline else None,
        "may_review": permissions.may_review(user),
        "may_review_filing": record is not None and permissions.may_review_filing(user, record),
        "review_refusal": permissions.may_review_filing.refusal,
        "may_sign_off": record is not None and permissions.may_sign_off(user, record),
        "signoff_step": page.project.lead_department.signoff_required
        or (record is not None and record.signed_off_at is not None),
        "changes": changes,
        "compare_url": reverse(f"projects:{page.kind}_versions", args=page.args)
        if record and permissions.may_compare_versions(user)
        else None,
        "may_comment": permissions.may_comment(user, filing),
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "attachment_form": AttachmentForm(),
        "results": results,
        "acknowledged_warnings": selectors.acknowledged_warnings(record) if sent else [],
        "may_withdraw": offers_withdraw(user, page.record, page.period),
        **selectors.filing_thread(record),
    }
    if not page.is_report:
        context.update(_plan_changes(user, page))
    template = f"projects/{page.kind}_page.html"
    return render(request, template, context, status=status)


def _plan_changes(user, page: FilingPage) -> dict:
    """The plan's change requests (변경계획), 당초 when one was approved, and whether the
    user may request one now (one query)."""
    changes = selectors.plan_changes(page.record)
    approved = page.record is not None and page.record.state == FilingState.APPROVED
    closed = approved and services.past_year_refusal(page.record)
    return {
        "plan_changes": changes,
        "original": selectors.original_of(changes),
        "plan_change_closed": closed,
        "may_request_plan_change": approved
        and not closed
        and permissions.may_request_plan_change(user, page.project),
    }


def offers_withdraw(user, filing, period=None) -> bool:
    """Whether a page offers 회수 (a plan's, a report's, a plan change's): to those who may,
    when nothing stands against it."""
    if filing is None or not permissions.may_withdraw(user, filing):
        return False
    return services.withdraw_refusal(filing=filing, period=period) is None


@permission_required_by(permissions.can_read)
@require_safe
def plan_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return render_page(request, load_page(code, year))


@permission_required_by(permissions.can_read)
@require_safe
def report_page(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    return render_page(request, load_page(code, year, quarter))


# --- Writing: save and submit -----------------------------------------------------------------


def _save(request: HttpRequest, page: FilingPage, *, submit: bool) -> HttpResponse:
    form = page.form(request.POST, request.FILES)
    if not form.is_valid():
        return _not_saved(request, page, form)
    try:
        page.save(request.user, form)
    except ValidationError as error:
        attach_errors(form, error)
        return _not_saved(request, page, form)
    except services.ConflictError:
        _files_not_kept(request, form)
        return _conflict(request, page, form)
    if not submit:
        messages.success(request, _("임시 저장했습니다."))
        return redirect(page.url)
    return redirect(page.submission_url)  # saved; the confirmation step submits it


def _not_saved(request: HttpRequest, page: FilingPage, form) -> HttpResponse:
    _files_not_kept(request, form)
    return render_page(request, page, form=form, status=400)


def _files_not_kept(request: HttpRequest, form) -> None:
    """Nothing was saved: the typed text comes back in the form, chosen files cannot."""
    if request.FILES:
        message = _("저장하지 않았으므로 선택한 파일도 올리지 않았습니다. 다시 선택해 주세요.")
        form.add_error("evidence", message)


def back_to_the_page_when_signed_out(view):
    """A save posted after the session ended (idle sign-out) goes to sign-in and from there
    back to the page, not to the action's address (which takes only POST)."""

    @wraps(view)
    def guarded(request: HttpRequest, code: str, year: int, quarter: int | None = None):
        if not request.user.is_authenticated:
            kind = "plan" if quarter is None else "report"
            args = [code, year, *([] if quarter is None else [quarter])]
            return redirect_to_login(reverse(f"projects:{kind}", args=args))
        return view(request, code, year, quarter)

    return guarded


def _conflict(request: HttpRequest, page: FilingPage, form) -> HttpResponse:
    """Someone else saved the record first: the user's text back, beside what is saved now."""
    form.add_error(
        None,
        _(
            "다른 사람이 먼저 이 문서를 저장했습니다. 입력하신 내용은 아래에 그대로 있습니다. "
            "현재 저장된 내용과 비교한 뒤 다시 저장하면 그 내용으로 바뀝니다."
        ),
    )
    current = page.current()
    if current is not None:
        form.data = _with_version(request, current)
    return render_page(request, page, form=form, conflict=current or True, status=409)


def _with_version(request: HttpRequest, record: Filing):
    """The user's text as posted, to be saved over `record` as it is now."""
    data = request.POST.copy()
    data["version"] = record.version
    return data


@back_to_the_page_when_signed_out
@permission_required_by(permissions.may_file_any)
@require_POST
def save(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    return _save(request, load_writable(request, code, year, quarter), submit=False)


@back_to_the_page_when_signed_out
@permission_required_by(permissions.may_file_any)
@require_POST
def submit(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    return _save(request, load_writable(request, code, year, quarter), submit=True)


# --- Review and comments ----------------------------------------------------------------------


def run_action(
    request: HttpRequest, page: FilingPage, act, done: str, *, shown: int | None = None
) -> HttpResponse:
    """Run one action on the page's record; on a refusal show the page with why (400), or with
    what changed since the version `shown` to the user when someone changed it first (409)."""
    if page.record is None:
        problem = _("아직 작성된 문서가 없습니다.")
    else:
        try:
            act(page.record)
        except ValidationError as error:
            problem = " ".join(error.messages)
        except services.ConflictError:
            return changed_meanwhile(request, page, shown)
        else:
            messages.success(request, done)
            return redirect(page.url)
    messages.error(request, problem)
    return render_page(request, page, status=400)


def changed_meanwhile(request: HttpRequest, page: FilingPage, shown: int | None) -> HttpResponse:
    """The page as the record is now, with what changed since the version the user was shown."""
    current = page.current()
    changes = []
    if current is not None and shown is not None:
        changes = selectors.filing_changes(current, since_version=shown)
    messages.error(
        request,
        _(
            "보고 계시던 뒤에 이 문서가 바뀌었습니다. 아무것도 하지 않았습니다. "
            "바뀐 내용을 확인한 뒤 다시 하세요."
        ),
    )
    page.record = current
    return render_page(request, page, changes=changes, status=409)


def shown_version(request: HttpRequest) -> int | None:
    """The version of the record the page showed the reviewer (the form's hidden field)."""
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def run_review(request: HttpRequest, page: FilingPage, act, done: str) -> HttpResponse:
    """Approve or return the record as the reviewer was shown it, never a later version."""
    shown = shown_version(request)
    if page.record is not None and shown is None:
        messages.error(request, _("검토한 문서의 버전이 없습니다. 새로 고친 뒤 다시 하세요."))
        return render_page(request, page, status=400)
    if page.record is not None and shown != page.record.version:
        return changed_meanwhile(request, page, shown)
    return run_action(request, page, lambda filing: act(filing, shown), done, shown=shown)


@permission_required_by(permissions.may_review)
@require_POST
def approve(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    comment = request.POST.get("reason", "")
    return run_review(
        request, load_page(code, year, quarter),
        lambda filing, shown: services.filing_approve(
            user=request.user, filing=filing, comment=comment, version=shown
        ),
        _("승인했습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_review)
@require_POST
def return_(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    reason = request.POST.get("reason", "")
    return run_review(
        request, load_page(code, year, quarter),
        lambda filing, shown: services.filing_return(
            user=request.user, filing=filing, reason=reason, version=shown
        ),
        _("보완요청했습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_review)
@require_POST
def reopen(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    reason = request.POST.get("reason", "")
    return run_action(
        request, load_page(code, year, quarter),
        lambda filing: services.filing_reopen(user=request.user, filing=filing, reason=reason),
        _("다시 작성할 수 있게 열었습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_comment_any)
@require_POST
def comment(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    body = request.POST.get("body", "")
    page = load_page(code, year, quarter)
    if not permissions.may_comment(request.user, page.record or page.blank()):
        raise PermissionDenied(str(permissions.may_comment_any.refusal))
    return run_action(
        request, page,
        lambda filing: services.comment_add(user=request.user, filing=filing, body=body),
        _("의견을 남겼습니다."),
    )  # fmt: skip


# --- Evidence ---------------------------------------------------------------------------------


@permission_required_by(permissions.may_file_any)
@require_POST
def attach(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    page = load_writable(request, code, year, quarter)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("올릴 파일을 고르세요."))
        return render_page(request, page, status=400)
    upload = form.cleaned_data["file"]
    return run_action(
        request, page,
        lambda report: services.attachment_add(user=request.user, filing=report, upload=upload),
        _("증빙자료를 올렸습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_file_any)
@require_POST
def detach(request: HttpRequest, code: str, year: int, quarter: int, pk: int) -> HttpResponse:
    page = load_writable(request, code, year, quarter)
    attachment = get_object_or_404(Attachment, pk=pk, report=page.record)
    return run_action(
        request, page,
        lambda report: services.attachment_delete(user=request.user, attachment=attachment),
        _("증빙자료를 지웠습니다."),
    )  # fmt: skip


@permission_required_by(permissions.can_read)
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("파일이 없습니다.")) from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)
