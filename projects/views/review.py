"""The review queue (a page of each kind) and bulk approval; its reporting-period forms post
to the calendar's actions (views/calendar.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from .. import permissions, selectors, services, workbooks
from ..choices import FilingState
from ..filtersets import QUEUE_STATES, ReviewFilterSet
from ..forms import ExtensionForm
from ..models import ReportingPeriod
from ..permissions import permission_required_by
from ..tables import PlanQueueTable, ReportQueueTable
from .common import xlsx_response
from .pages import PAGE_SIZE


@permission_required_by(permissions.may_see_review_queue)
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    """Reports and plans, filtered (by default those waiting for review), sorted, a page of
    each; `?export=xlsx` gives every filtered one, and the plan changes waiting as listed."""
    if request.GET.get("export") == "xlsx":
        filters = _filters(request)
        queue = {f"{kind}s": list(filters[kind].qs) for kind in KINDS}
        changes = selectors.change_queue()
        for filings in (*queue.values(), changes):
            selectors.for_review(filings, user=request.user, today=localdate())
        workbook = workbooks.review_queue_workbook(queue, changes=changes)
        return xlsx_response(workbook, "review-queue.xlsx")
    return render_review(request)


KINDS = ("report", "plan")
TABLES = {"report": ReportQueueTable, "plan": PlanQueueTable}


def _filters(request: HttpRequest) -> dict[str, ReviewFilterSet]:
    queue = selectors.review_queue(evaluated=False, states=QUEUE_STATES)
    return {kind: ReviewFilterSet(request.GET, queryset=queue[f"{kind}s"]) for kind in KINDS}


def _tables(request: HttpRequest, filters: dict) -> dict:
    """A sorted table of each kind, paged by `?reports=` and `?plans=`, sorted by
    `?reports_sort=` and `?plans_sort=`; each filing on the page carries what the queue shows."""
    may_review = permissions.may_review(request.user)
    tables = {}
    for kind, table_class in TABLES.items():
        table = table_class(
            filters[kind].qs,
            page_field=f"{kind}s",
            order_by_field=f"{kind}s_sort",
            exclude=() if may_review else ("pick",),
        )
        RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
        table.kind, table.may_review = kind, may_review
        rows = [row.record for row in table.page.object_list]
        selectors.for_review(rows, user=request.user, today=localdate())
        tables[kind] = table
    return tables


def render_review(request: HttpRequest, *, refused: ExtensionForm | None = None, status=200):
    """The review page; `refused` is an extension form to show again with its errors."""
    filters = _filters(request)
    tables = _tables(request, filters)
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
        "tables": tables,
        "filter": filters["report"],
        "page_url": reverse("projects:review"),
        "may_review": permissions.may_review(request.user),
        "periods": list(forms.items()),
        "plan_changes": selectors.change_queue(),
    }
    return render(request, "projects/review.html", context, status=status)


def _ticked(data, name: str) -> dict[int, int | None]:
    """Ticked id → the version the reviewer was shown (each box's value is "id:version");
    None for a value that is not such a pair, so that it is refused as changed."""
    ticked = {}
    for index, value in enumerate(data.getlist(name)):
        pk, _sep, version = value.partition(":")
        if all(part.isascii() and part.isdigit() and len(part) <= 9 for part in (pk, version)):
            ticked[int(pk)] = int(version)
        else:
            ticked[-1 - index] = None
    return ticked


def _names(filings) -> str:
    return ", ".join(str(filing) for filing in filings)


def _chosen(request: HttpRequest, data) -> tuple[list, str]:
    """The ticked filings of `data` as [(kind, filing, version shown)], and why none of them
    may be approved ("" when all may): one is the reviewer's own work, has changed since it
    was shown, or is gone."""
    ticked = {kind: _ticked(data, kind) for kind in KINDS}
    queue = selectors.review_queue(evaluated=False, states=FilingState.values)
    chosen = [
        (kind, filing, ticked[kind][filing.pk])
        for kind in KINDS
        for filing in queue[f"{kind}s"].filter(pk__in=ticked[kind])
    ]
    filings = [filing for _kind, filing, _version in chosen]
    own = [filing for filing in filings if not permissions.may_review_filing(request.user, filing)]
    changed = [filing for _kind, filing, version in chosen if filing.version != version]
    if own:
        return chosen, _(
            "직접 제출했거나 마지막으로 수정한 문서가 있어 아무것도 승인하지 않았습니다: "
            "%(names)s. 다른 총괄 관리자에게 맡겨 주세요."
        ) % {"names": _names(own)}
    if changed or len(filings) < sum(map(len, ticked.values())):
        names = _("바뀐 문서: %(names)s.") % {"names": _names(changed)} if changed else ""
        return chosen, CHANGED + (" " + names if names else "")
    return chosen, ""


CHANGED = gettext_lazy(
    "그 사이 상태가 바뀐 문서가 있어 아무것도 승인하지 않았습니다. 다시 고르세요."
)
NOTHING_TICKED = gettext_lazy("승인할 문서를 하나 이상 고르세요.")
# What the approval page shows of each filing's text: the first line of each.
SUMMARY_FIELDS = {
    "report": ("achievements", "problems", "countermeasures", "next_steps"),
    "plan": ("goal", "content"),
}


def _summary(kind: str, filing) -> list[tuple[str, str]]:
    """(field label, its first line, shortened) for each narrative field that says something."""
    lines = []
    for name in SUMMARY_FIELDS[kind]:
        text = getattr(filing, name).strip()
        if text:
            label = type(filing)._meta.get_field(name).verbose_name
            lines.append((label, Truncator(text.splitlines()[0]).chars(120)))
    return lines


@permission_required_by(permissions.may_review)
@require_safe
def bulk_confirm(request: HttpRequest) -> HttpResponse:
    """Before a bulk approval: each filing ticked on the queue with its summary and the
    warnings its submitter acknowledged, and one button that approves exactly these, at the
    versions shown (none when one of them may not be approved)."""
    chosen, refusal = _chosen(request, request.GET)
    if not chosen and not refusal:
        context = {"items": [], "refusal": NOTHING_TICKED}
        return render(request, "projects/bulk_confirm.html", context)
    filings = [filing for _kind, filing, _version in chosen]
    selectors.for_review(filings, user=request.user, today=localdate())
    items = [
        {"kind": kind, "filing": filing, "version": version, "summary": _summary(kind, filing)}
        for kind, filing, version in chosen
    ]
    context = {"items": items, "refusal": refusal}
    return render(request, "projects/bulk_confirm.html", context, status=409 if refusal else 200)


@permission_required_by(permissions.may_review)
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve every filing of the approval page, each as the reviewer was shown it; none
    when one of them has changed meanwhile or is the reviewer's own work."""
    chosen, refusal = _chosen(request, request.POST)
    if not chosen and not refusal:
        messages.error(request, NOTHING_TICKED)
        return redirect("projects:review")
    if refusal:
        messages.error(request, refusal)
        return redirect("projects:review")
    shown = [(filing, version) for _kind, filing, version in chosen]
    try:
        services.filings_approve(user=request.user, filings=shown)
    except (ValidationError, services.ConflictError):
        messages.error(request, CHANGED)
    else:
        messages.success(request, _("%(count)s건을 승인했습니다.") % {"count": len(shown)})
    return redirect("projects:review")
