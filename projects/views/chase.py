"""The 미제출·독촉 page: who owes what for a period, a 독촉 button per department and one for
every late department, and the log of every reminder sent."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, services
from ..models import Department, ReportingPeriod
from ..permissions import permission_required_by
from ..selectors.chase import chase_board, opened_periods, reminder_log
from .common import int_param
from .pages import PAGE_SIZE

LOG_PAGE_SIZE = 30


@permission_required_by(permissions.may_chase)
@require_safe
def missing_page(request: HttpRequest) -> HttpResponse:
    """Per department and per project, for the chosen period (default the latest opened): the
    reports and the year's plans due, filed, late and extended; 독촉 buttons; the mail log."""
    periods = opened_periods()
    today = timezone.localdate()
    chosen = int_param(request, "period")
    # By default the latest period already past its deadline: the round there is to chase.
    default = next((p for p in periods if p.due_on < today), periods[0] if periods else None)
    period = next((p for p in periods if p.pk == chosen), default)
    board = chase_board(period=period) if period else None
    missing = board.missing if board else []
    log = Paginator(reminder_log(), LOG_PAGE_SIZE).get_page(request.GET.get("log"))
    start = (log.number - 1) * LOG_PAGE_SIZE
    context = {
        "periods": periods,
        "period": period,
        "board": board,
        "missing": Paginator(missing, PAGE_SIZE).get_page(request.GET.get("projects")),
        "log": log,
        # Sliced here, not log.object_list (skipped when empty): the same queries whatever the
        # number of mails.
        "log_rows": list(reminder_log()[start : start + LOG_PAGE_SIZE]),
        "page_url": reverse("projects:missing"),
    }
    return render(request, "projects/missing.html", context)


def _report(request: HttpRequest, counts: dict[str, int], *, who: str) -> None:
    sent, failed = counts["sent"], counts["failed"]
    if failed:
        messages.error(
            request,
            _(
                "%(who)s: 독촉 메일 %(sent)s통을 보냈고 %(failed)s통은 보내지 못했습니다 "
                "(메일 서버 오류). 아래 발송 기록을 확인하세요."
            )
            % {"who": who, "sent": sent, "failed": failed},
        )
    elif not sent:
        messages.error(
            request,
            _("%(who)s: 메일 주소가 있는 담당자나 부서장이 없어 보내지 못했습니다.") % {"who": who},
        )
    else:
        messages.success(
            request, _("%(who)s에 독촉 메일 %(sent)s통을 보냈습니다.") % {"who": who, "sent": sent}
        )


def _chase(request: HttpRequest, period: ReportingPeriod, department: Department | None):
    who = str(department) if department else _("기한이 지난 모든 부서")
    try:
        counts = services.reminder_chase(user=request.user, period=period, department=department)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report(request, counts, who=who)
    return redirect(f"{reverse('projects:missing')}?period={period.pk}")


@permission_required_by(permissions.may_chase)
@require_POST
def chase_department(request: HttpRequest, pk: int, department: int) -> HttpResponse:
    """독촉 one department now: its staff and head get what it still owes."""
    period = get_object_or_404(ReportingPeriod, pk=pk)
    return _chase(request, period, get_object_or_404(Department, pk=department))


@permission_required_by(permissions.may_chase)
@require_POST
def chase_late(request: HttpRequest, pk: int) -> HttpResponse:
    """독촉 every department with something past its deadline."""
    return _chase(request, get_object_or_404(ReportingPeriod, pk=pk), None)
