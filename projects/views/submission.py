"""Submitting with a confirmation step, and withdrawing (회수) a submission.

Pressing 제출 on the form saves the draft (views.filings._save) and leads here: the
confirmation page lists what will be sent and the checks before submission (errors block,
warnings each need a tick); its 제출 posts to `confirm`, which submits the version the page
showed, never a later one (409 and the page again). `withdraw` takes a submission back to
작성중 until review starts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, selectors, services
from ..choices import FilingState
from ..permissions import permission_required_by
from .filings import (
    FilingPage,
    changed_meanwhile,
    load_page,
    load_writable,
    run_action,
    shown_version,
)


def render_submission(
    request: HttpRequest,
    page: FilingPage,
    *,
    problems=(),
    acknowledged=(),
    changes=(),
    status: int = 200,
) -> HttpResponse:
    """The confirmation page for the record as stored now: what will be sent, the checks, and
    the final 제출 when nothing blocks it. `problems`: why a confirmation was refused."""
    record = page.record
    refusal = None
    if record is None:
        refusal = _("아직 작성된 문서가 없습니다. 먼저 작성하고 저장하세요.")
    else:
        refusal = services.edit_refusal(user=request.user, filing=record, period=page.period)
    checks = selectors.submission_checks(record) if refusal is None else []
    errors = [check for check in checks if check.is_error]
    results = []
    if page.is_report and record is not None:
        values = {r.indicator_id: r.value for r in record.results.all()}
        results = [(i, values.get(i.pk)) for i in page.project.indicators.all()]
    deadline = services.deadline_of(record, period=page.period) if record else None
    context = {
        "page": page,
        "page_url": page.submission_url,
        "project": page.project,
        "record": record,
        "refusal": refusal,
        "errors": errors,
        "warnings": [check for check in checks if not check.is_error],
        "acknowledged": set(acknowledged),
        "problems": problems,
        "changes": changes,
        "results": results,
        "deadline": deadline,
        "filing_title": _filing_title(page),
        "late": deadline is not None and timezone.localdate() > deadline,
    }
    return render(request, "projects/submission.html", context, status=status)


def _filing_title(page: FilingPage) -> str:
    if page.is_report:
        return _("%(year)s년 %(quarter)s분기 실적") % {"year": page.year, "quarter": page.quarter}
    return _("%(year)s년 시행계획") % {"year": page.year}


@permission_required_by(permissions.may_file_any)
@require_safe
def submission(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    """The confirmation page (nothing is submitted by showing it)."""
    return render_submission(request, load_writable(request, code, year, quarter))


@permission_required_by(permissions.may_file_any)
@require_POST
def confirm(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    """Submit the record at the version the confirmation page showed, with its ticks."""
    page = load_writable(request, code, year, quarter)
    shown = shown_version(request)
    acknowledged = request.POST.getlist("acknowledge")
    if page.record is None:
        return render_submission(request, page, status=400)
    if shown != page.record.version:
        return _changed(request, page, shown)
    try:
        filing = services.filing_submit(
            user=request.user,
            filing=page.record,
            version=shown,
            acknowledged=acknowledged,
            link=request.build_absolute_uri(page.url),
        )
    except ValidationError as error:
        return render_submission(
            request, page, problems=error.messages, acknowledged=acknowledged, status=400
        )
    except services.ConflictError:
        page.record = page.current()
        return _changed(request, page, shown)
    if filing.state == FilingState.SIGNOFF:
        messages.success(request, _("제출했습니다. 부서장의 확인을 기다립니다."))
    else:
        messages.success(request, _("제출했습니다. 총괄 관리자의 검토를 기다립니다."))
    return redirect(page.url)


def _changed(request: HttpRequest, page: FilingPage, shown: int | None) -> HttpResponse:
    """The record changed after the confirmation page was shown: nothing submitted; the page
    again, as the record is now, with what changed."""
    changes = []
    if page.record is not None and shown is not None:
        changes = selectors.filing_changes(page.record, since_version=shown)
    problem = _(
        "확인 화면을 연 뒤 이 문서가 바뀌었습니다. 제출하지 않았습니다. "
        "지금 내용과 확인 결과를 다시 보고 제출하세요."
    )
    return render_submission(request, page, problems=[problem], changes=changes, status=409)


@permission_required_by(permissions.may_withdraw_any)
@require_POST
def withdraw(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    """Take the submission back to 작성중, as the page showed it."""
    page = load_page(code, year, quarter)
    record = page.record
    if record is not None and not permissions.may_withdraw(request.user, record):
        raise PermissionDenied(str(permissions.may_withdraw_any.refusal))
    shown = shown_version(request)
    if record is not None and shown != record.version:
        return changed_meanwhile(request, page, shown)
    return run_action(
        request, page,
        lambda filing: services.filing_withdraw(user=request.user, filing=filing, version=shown),
        _("제출을 회수했습니다. 다시 작성중 상태이니 수정한 뒤 다시 제출하세요."),
        shown=shown,
    )  # fmt: skip
