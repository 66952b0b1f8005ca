"""Reporting periods and deadlines: when a department may file, and the coordinator's
changes to a period (close, reopen, extend)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import (
    Department,
    Filing,
    ImplementationPlan,
    PeriodExtension,
    ProgressReport,
    ReportingPeriod,
    User,
)
from ..selectors.calendar import outside_plan, plan_due_on
from ..selectors.figures import active_plan


def _today() -> date:
    return timezone.localdate()


def period_of(report: ProgressReport) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=report.year, quarter=report.quarter)
        .first()
    )


def deadline_of(filing: Filing, *, period: ReportingPeriod | None = None) -> date | None:
    if isinstance(filing, ImplementationPlan):
        return plan_due_on(filing.year)
    period = period or period_of(filing)
    return period.deadline_for(filing.project.lead_department_id) if period else None


def period_accepts(period: ReportingPeriod | None, department_id: int) -> str | None:
    """Why this period takes no filing from the department now, or None when it does."""
    if period is None:
        return _("이 분기의 보고 기간이 아직 만들어지지 않았습니다.")
    today = _today()
    if today < period.opens_on:
        return _("보고 기간이 %(day)s에 시작됩니다.") % {"day": period.opens_on.isoformat()}
    extension = period.extension_for(department_id)
    if period.closed and (extension is None or extension < today):
        return _("마감된 보고 기간입니다. 총괄 관리자에게 재개나 기한 연장을 요청하세요.")
    return None


# A later deadline than this is a typo (9999-12-31), not an extension.
EXTENSION_AT_MOST = timedelta(days=365)


def extension_refusal(period: ReportingPeriod, due_on: date) -> str | None:
    """Why `due_on` cannot be a department's extended deadline for `period` (after the
    period's own, not a day already gone, within a year of it); None when it can. The
    calendar's form and the admin both ask."""
    due = period.due_on.isoformat()
    if due_on <= period.due_on:
        return _("연장 기한은 원래 기한(%(due)s) 뒤여야 합니다.") % {"due": due}
    if due_on < _today():
        return _("연장 기한은 오늘(%(today)s)이나 그 뒤여야 합니다.") % {
            "today": _today().isoformat()
        }
    if due_on > period.due_on + EXTENSION_AT_MOST:
        return _("연장 기한은 원래 기한(%(due)s)에서 1년 안이어야 합니다.") % {"due": due}
    return None


def period_year_refusal(year: int) -> str | None:
    """Why a reporting period of `year` cannot be made (outside the active plan's years)."""
    plan = active_plan()
    return outside_plan(plan, year) if plan is not None else None


@transaction.atomic
def extension_grant(
    *, user: User, period: ReportingPeriod, department: Department, due_on: date, reason: str
) -> PeriodExtension:
    """Give one department until `due_on` for one period (replacing an earlier extension)."""
    permissions.check_coordinator(user)
    if refused := extension_refusal(period, due_on):
        raise ValidationError({"due_on": refused})
    if not reason.strip():
        raise ValidationError({"reason": _("연장 사유를 적어 주세요.")})
    extension = PeriodExtension.objects.filter(period=period, department=department).first()
    extension = extension or PeriodExtension(period=period, department=department)
    extension.due_on, extension.reason, extension.granted_by = due_on, reason.strip(), user
    extension._history_user = user  # the calendar's history names who, also outside a request
    extension.save()
    return extension


def _check_dates(period: ReportingPeriod) -> None:
    """Korean refusals for dates that make no calendar: the deadline before the start, a
    period overlapping another one's filing window, or a second period for the same quarter."""
    if period.opens_on and period.due_on and period.due_on < period.opens_on:
        raise ValidationError(
            {"due_on": _("제출 기한이 작성 시작일보다 빠릅니다. 날짜를 확인해 주세요.")}
        )
    others = ReportingPeriod.objects.exclude(pk=period.pk)
    overlapping = others.filter(opens_on__lte=period.due_on, due_on__gte=period.opens_on).first()
    if overlapping is not None:
        raise ValidationError(
            _("%(other)s 보고 기간(%(opens)s ~ %(due)s)과 날짜가 겹칩니다.")
            % {
                "other": overlapping,
                "opens": overlapping.opens_on.isoformat(),
                "due": overlapping.due_on.isoformat(),
            }
        )
    period.full_clean()  # the quarter's range and uniqueness, with the model's messages


def _locked(period: ReportingPeriod) -> ReportingPeriod:
    """The period as stored now, locked until the change is committed."""
    return ReportingPeriod.objects.select_for_update().get(pk=period.pk)


@transaction.atomic
def period_create(
    *, user: User, year: int, quarter: int, opens_on: date, due_on: date
) -> ReportingPeriod:
    """Put a quarter's reporting period on the calendar (open once `opens_on` comes)."""
    permissions.check_coordinator(user)
    if refused := period_year_refusal(year):
        raise ValidationError({"year": refused})
    period = ReportingPeriod(year=year, quarter=quarter, opens_on=opens_on, due_on=due_on)
    _check_dates(period)
    period._history_user = user
    period.save()
    return period


@transaction.atomic
def period_change_dates(
    *, user: User, period: ReportingPeriod, opens_on: date, due_on: date
) -> ReportingPeriod:
    """Move a period's dates while it has not opened yet; once staff may file, only an
    extension per department moves a deadline."""
    permissions.check_coordinator(user)
    if _locked(period).opens_on <= _today():
        raise ValidationError(
            _("이미 시작된 보고 기간의 날짜는 바꿀 수 없습니다. 부서별 기한 연장을 이용해 주세요.")
        )
    if opens_on < _today():
        raise ValidationError({"opens_on": _("작성 시작일을 지난 날짜로 옮길 수 없습니다.")})
    period.opens_on, period.due_on = opens_on, due_on
    _check_dates(period)
    period._history_user = user
    period.save(update_fields=["opens_on", "due_on"])
    return period


@transaction.atomic
def period_set_closed(*, user: User, period: ReportingPeriod, closed: bool) -> ReportingPeriod:
    """Close a period (no more filings but by an extension) or reopen a closed one."""
    permissions.check_coordinator(user)
    current = _locked(period)
    if closed and current.closed:
        raise ValidationError(_("%(period)s 보고 기간은 이미 마감되었습니다.") % {"period": period})
    if not closed and not current.closed:
        raise ValidationError(
            _("%(period)s 보고 기간은 이미 열려 있습니다. 마감된 기간만 다시 열 수 있습니다.")
            % {"period": period}
        )
    if closed and current.opens_on > _today():
        raise ValidationError(
            _("%(period)s 보고 기간은 아직 시작되지 않아 마감할 수 없습니다.") % {"period": period}
        )
    period.closed = closed
    period._history_user = user
    period.save(update_fields=["closed"])
    return period
