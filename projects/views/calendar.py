"""The reporting calendar: every period with its state and history, and the coordinator's
actions on it (open next quarter's period, move dates before it opens, close, reopen, extend
per department). The review page's period forms post to the same actions."""

from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, services
from ..forms import ExtensionForm, PeriodDatesForm, PeriodForm
from ..models import ReportingPeriod
from ..permissions import permission_required_by
from ..selectors.calendar import PeriodState, next_period_proposal, period_calendar
from .common import attach_errors
from .review import render_review

FROM_CALENDAR = "periods"  # the `back` a calendar form posts, to come back to the calendar


@permission_required_by(permissions.may_review)
@require_safe
def calendar_page(request: HttpRequest) -> HttpResponse:
    return render_calendar(request)


def render_calendar(request: HttpRequest, *, refused=None, status=200) -> HttpResponse:
    """The calendar; `refused` is a form to show again with its errors (its `period` says
    which row's, none for the new period's)."""
    rows = period_calendar()
    refused_period = getattr(refused, "period", None)
    new = refused if refused is not None and refused_period is None else None
    new = new or PeriodForm(initial=asdict(next_period_proposal()), auto_id="id_new_%s")
    departments = None
    for row in rows:
        pk = row.period.pk
        mine = refused if refused_period is not None and refused_period.pk == pk else None
        row.extension_form = (
            mine if isinstance(mine, ExtensionForm) else ExtensionForm(auto_id=f"id_extend{pk}_%s")
        )
        # One query for the department list, however many periods show it (iter: no COUNT).
        departments = departments or list(iter(row.extension_form.fields["department"].choices))
        row.extension_form.fields["department"].choices = departments
        if row.state == PeriodState.SCHEDULED:
            row.dates_form = (
                mine
                if isinstance(mine, PeriodDatesForm)
                else PeriodDatesForm(
                    initial={"opens_on": row.period.opens_on, "due_on": row.period.due_on},
                    auto_id=f"id_dates{pk}_%s",
                )
            )
    context = {"rows": rows, "new_form": new, "back": FROM_CALENDAR}
    return render(request, "projects/periods.html", context, status=status)


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the form was on: the calendar, or the review page."""
    if request.POST.get("back") == FROM_CALENDAR:
        return redirect("projects:periods")
    return redirect("projects:review")


def _refused(request: HttpRequest, form, error: ValidationError | None = None, *, message=""):
    """The form's page again (400) with what is wrong: on the field, and as a message."""
    if error is not None:
        attach_errors(form, error)
        message = " ".join(error.messages)
    messages.error(request, message or _("입력한 값을 확인해 주세요."))
    if isinstance(form, ExtensionForm) and request.POST.get("back") != FROM_CALENDAR:
        return render_review(request, refused=form, status=400)
    return render_calendar(request, refused=form, status=400)


@permission_required_by(permissions.may_review)
@require_POST
def period_create(request: HttpRequest) -> HttpResponse:
    """Put next quarter's period on the calendar, with the dates shown (or changed)."""
    form = PeriodForm(request.POST, auto_id="id_new_%s")
    if not form.is_valid():
        return _refused(request, form)
    try:
        period = services.period_create(user=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, form, error)
    messages.success(
        request,
        _("%(period)s 보고 기간을 만들었습니다 (작성 %(opens)s ~ 기한 %(due)s).")
        % {"period": period, "opens": period.opens_on, "due": period.due_on},
    )
    return redirect("projects:periods")


@permission_required_by(permissions.may_review)
@require_POST
def period_dates(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a period's dates before it opens."""
    period = get_object_or_404(ReportingPeriod, pk=pk)
    form = PeriodDatesForm(request.POST, auto_id=f"id_dates{pk}_%s")
    form.period = period
    if not form.is_valid():
        return _refused(request, form)
    try:
        services.period_change_dates(user=request.user, period=period, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, form, error)
    messages.success(request, _("%(period)s 보고 기간의 날짜를 바꿨습니다.") % {"period": period})
    return redirect("projects:periods")


def _set_closed(request: HttpRequest, pk: int, *, closed: bool) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    try:
        services.period_set_closed(user=request.user, period=period, closed=closed)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request)
    if closed:
        done = _("%(period)s 보고 기간을 마감했습니다.")
    else:
        done = _("%(period)s 보고 기간을 다시 열었습니다.")
    messages.success(request, done % {"period": period})
    return _back(request)


@permission_required_by(permissions.may_review)
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_closed(request, pk, closed=True)


@permission_required_by(permissions.may_review)
@require_POST
def period_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_closed(request, pk, closed=False)


@permission_required_by(permissions.may_review)
@require_POST
def period_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Give one department a later due date for this period, with a reason."""
    period = get_object_or_404(ReportingPeriod, pk=pk)
    form = ExtensionForm(request.POST, auto_id=f"id_extend{period.pk}_%s")
    form.period = period
    if not form.is_valid():
        return _refused(request, form, message=_("부서, 연장 기한, 사유를 모두 적어 주세요."))
    try:
        services.extension_grant(user=request.user, period=period, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, form, error)
    messages.success(request, _("기한을 연장했습니다."))
    return _back(request)
