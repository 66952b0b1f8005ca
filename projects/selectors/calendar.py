"""The reporting calendar: the rule that proposes dates, each period's state and the history of
every change to it (who, when, what)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import PeriodExtension, ReportingPeriod, User
from ..models.work import quarter_start

PLAN_DUE_MONTH, PLAN_DUE_DAY = 3, 31
REPORT_DUE_DAY = 15  # quarterly reports are due 15 days after the quarter ends


def plan_due_on(year: int) -> date:
    """Yearly implementation plans are due on 31 March of their year."""
    return date(year, PLAN_DUE_MONTH, PLAN_DUE_DAY)


def quarter_due(year: int, quarter: int) -> date:
    """A quarter's reports are due on the 15th of the month after it ends."""
    if quarter == 4:
        return date(year + 1, 1, REPORT_DUE_DAY)
    return date(year, 3 * quarter + 1, REPORT_DUE_DAY)


def quarter_opens(year: int, quarter: int) -> date:
    """Filing opens on the first day of the quarter's second month (as every period so far)."""
    return date(year, 3 * quarter - 1, 1)


@dataclass
class PeriodProposal:
    year: int
    quarter: int
    opens_on: date
    due_on: date


def next_period_proposal(today: date | None = None) -> PeriodProposal:
    """The quarter after the latest period (this quarter when there is none), with its dates
    from the rule."""
    latest = ReportingPeriod.objects.order_by("-year", "-quarter").first()
    if latest is None:
        today = today or timezone.localdate()
        year, quarter = today.year, (today.month - 1) // 3 + 1
    else:
        year, quarter = (
            (latest.year + 1, 1)
            if latest.quarter == 4
            else (
                latest.year,
                latest.quarter + 1,
            )
        )
    return PeriodProposal(year, quarter, quarter_opens(year, quarter), quarter_due(year, quarter))


class PeriodState(TextChoices):
    SCHEDULED = "scheduled", gettext_lazy("예정")
    OPEN = "open", gettext_lazy("작성 중")
    OVERDUE = "overdue", gettext_lazy("기한 경과")
    CLOSED = "closed", gettext_lazy("마감")


def period_state(period: ReportingPeriod, today: date) -> PeriodState:
    if period.closed:
        return PeriodState.CLOSED
    if today < period.opens_on:
        return PeriodState.SCHEDULED
    return PeriodState.OVERDUE if today > period.due_on else PeriodState.OPEN


@dataclass
class Change:
    at: datetime
    by: User | None
    what: list[str]


@dataclass
class CalendarRow:
    period: ReportingPeriod
    state: PeriodState
    extensions: list[PeriodExtension]
    changes: list[Change] = field(default_factory=list)


def _yes_no(closed: bool) -> str:
    return _("마감") if closed else _("열림")


def _period_changes(record, before) -> list[str]:
    if before is None:
        return [
            _("보고 기간을 만들었습니다: 작성 시작일 %(opens)s, 제출 기한 %(due)s")
            % {"opens": record.opens_on, "due": record.due_on}
        ]
    what = []
    for name, label in (("opens_on", _("작성 시작일")), ("due_on", _("제출 기한"))):
        if getattr(before, name) != getattr(record, name):
            what.append(f"{label}: {getattr(before, name)} → {getattr(record, name)}")
    if before.closed != record.closed:
        what.append(f"{_('상태')}: {_yes_no(before.closed)} → {_yes_no(record.closed)}")
    return what


def _extension_changes(record, before) -> list[str]:
    names = {"department": record.department, "due": record.due_on, "reason": record.reason}
    if record.history_type == "-":
        return [_("%(department)s 기한 연장을 취소했습니다") % names]
    if before is None:
        return [_("%(department)s 기한을 %(due)s까지 연장했습니다 (사유: %(reason)s)") % names]
    return [
        _("%(department)s 연장 기한: %(before)s → %(due)s (사유: %(reason)s)")
        % {**names, "before": before.due_on}
    ]


def _changes(records, describe) -> dict[int, list[Change]]:
    """Each period's changes, from its (or its extensions') history records, oldest first."""
    previous: dict[int, object] = {}
    by_period: dict[int, list[Change]] = {}
    for record in records:
        what = describe(record, previous.get(record.id))
        previous[record.id] = record
        period_id = getattr(record, "period_id", record.id)
        if what:
            by_period.setdefault(period_id, []).append(
                Change(record.history_date, record.history_user, what)
            )
    return by_period


def period_calendar(today: date | None = None) -> list[CalendarRow]:
    """Every period, latest first, with its state, extensions and history: four queries."""
    today = today or timezone.localdate()
    periods = list(
        ReportingPeriod.objects.prefetch_related("extensions__department").order_by(
            "-year", "-quarter"
        )
    )
    history = ReportingPeriod.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    extension_history = PeriodExtension.history.select_related(
        "history_user", "department"
    ).order_by("history_date", "history_id")
    changes = _changes(history, _period_changes)
    for period_id, more in _changes(extension_history, _extension_changes).items():
        changes.setdefault(period_id, []).extend(more)
    return [
        CalendarRow(
            period=period,
            state=period_state(period, today),
            extensions=list(period.extensions.all()),
            changes=sorted(changes.get(period.pk, []), key=lambda change: change.at, reverse=True),
        )
        for period in periods
    ]


def outside_plan(plan, year: int) -> str | None:
    """Why `year` is refused (a reporting period, a meeting document), when it is outside
    the plan; None within it."""
    if plan.start_year <= year <= plan.end_year:
        return None
    return _("%(year)s년은 기본계획 기간(%(start)s~%(end)s년)이 아닙니다.") % {
        "year": year, "start": plan.start_year, "end": plan.end_year,
    }  # fmt: skip


def document_refusal(plan, year: int, quarter: int) -> str | None:
    """Why no meeting document (the workbook, the PDF; from the page or the command) is made
    for the quarter: a year outside the plan, or a quarter that has not begun (it made a
    document of zeros). None when one is."""
    if refused := outside_plan(plan, year):
        return refused
    if quarter_start(year, quarter) > timezone.localdate():
        return _("%(year)s년 %(quarter)s분기는 아직 시작되지 않아 회의자료를 만들 수 없습니다.") % {
            "year": year, "quarter": quarter,
        }  # fmt: skip
    return None
