"""The review queue (a page of each kind) and bulk approval; its reporting-period forms post
to the calendar's actions (views/calendar.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, selectors, services, workbooks
from ..forms import ExtensionForm
from ..models import ImplementationPlan, ProgressReport, ReportingPeriod
from ..permissions import permission_required_by
from .common import xlsx_response
from .pages import PAGE_SIZE


@permission_required_by(permissions.may_see_review_queue)
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted reports and plans, a page of each; `?export=xlsx` gives all of them."""
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            workbooks.review_queue_workbook(selectors.review_queue()), "review-queue.xlsx"
        )
    return render_review(request)


def render_review(request: HttpRequest, *, refused: ExtensionForm | None = None, status=200):
    """The review page; `refused` is an extension form to show again with its errors."""
    queue = selectors.review_queue(evaluated=False)
    pages = {
        kind: Paginator(queue[f"{kind}s"], PAGE_SIZE).get_page(request.GET.get(f"{kind}s"))
        for kind in ("report", "plan")
    }
    for page in pages.values():
        for filing in page:  # a checkbox for each filing this reviewer may approve
            filing.reviewable = permissions.may_review_filing(request.user, filing)
    periods = ReportingPeriod.objects.prefetch_related("extensions__department").order_by(
        "-year", "-quarter"
    )[:8]
    forms = {}
    departments = None
    for period in periods:
        form = ExtensionForm(auto_id=f"id_extend{period.pk}_%s")
        forms[period] = refused if refused and refused.period == period else form
        # One query for the department list, however many periods show it.
        departments = departments or list(form.fields["department"].choices)
        forms[period].fields["department"].choices = departments
    context = {
        "pages": pages,
        "page_url": reverse("projects:review"),
        "may_review": permissions.may_review(request.user),
        "periods": list(forms.items()),
    }
    return render(request, "projects/review.html", context, status=status)


def _ticked(request: HttpRequest, name: str) -> dict[int, int | None]:
    """Ticked id → the version the reviewer was shown (each box's value is "id:version");
    None for a value that is not such a pair, so that it is refused as changed."""
    ticked = {}
    for index, value in enumerate(request.POST.getlist(name)):
        pk, _sep, version = value.partition(":")
        if all(part.isascii() and part.isdigit() and len(part) <= 9 for part in (pk, version)):
            ticked[int(pk)] = int(version)
        else:
            ticked[-1 - index] = None
    return ticked


def _names(filings) -> str:
    return ", ".join(str(filing) for filing in filings)


@permission_required_by(permissions.may_review)
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve every ticked filing of the shown page, each as the reviewer was shown it; none
    when one of them has changed meanwhile or is the reviewer's own work."""
    ticked = {"plan": _ticked(request, "plan"), "report": _ticked(request, "report")}
    if not any(ticked.values()):
        messages.error(request, _("승인할 문서를 하나 이상 고르세요."))
        return redirect("projects:review")
    stamps = ("project", "submitted_by")
    shown = [
        (filing, ticked[kind][filing.pk])
        for kind, model in (("plan", ImplementationPlan), ("report", ProgressReport))
        for filing in model.objects.select_related(*stamps).filter(pk__in=ticked[kind])
    ]
    filings = [filing for filing, _version in shown]
    own = [filing for filing in filings if not permissions.may_review_filing(request.user, filing)]
    changed = [filing for filing, version in shown if filing.version != version]
    if own:
        messages.error(
            request,
            _(
                "직접 제출했거나 마지막으로 수정한 문서가 있어 아무것도 승인하지 않았습니다: "
                "%(names)s. 다른 총괄 관리자에게 맡겨 주세요."
            )
            % {"names": _names(own)},
        )
        return redirect("projects:review")
    if changed or len(filings) < sum(map(len, ticked.values())):
        names = _("바뀐 문서: %(names)s.") % {"names": _names(changed)} if changed else ""
        messages.error(
            request,
            _("그 사이 상태가 바뀐 문서가 있어 아무것도 승인하지 않았습니다. 다시 고르세요.")
            + (" " + names if names else ""),
        )
        return redirect("projects:review")
    try:
        services.filings_approve(user=request.user, filings=shown)
    except (ValidationError, services.ConflictError):
        messages.error(
            request,
            _("그 사이 상태가 바뀐 문서가 있어 아무것도 승인하지 않았습니다. 다시 고르세요."),
        )
    else:
        messages.success(request, _("%(count)s건을 승인했습니다.") % {"count": len(filings)})
    return redirect("projects:review")
