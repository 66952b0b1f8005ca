"""Reporting periods and deadlines: when a department may file, and the coordinator's
changes to a period (close, reopen, extend)."""

from datetime import date

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


def _today() -> date:
    return timezone.localdate()


def plan_due_on(year: int) -> date:
    return ImplementationPlan.due_on_for(year)


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


@transaction.atomic
def extension_grant(
    *, user: User, period: ReportingPeriod, department: Department, due_on: date, reason: str
) -> PeriodExtension:
    """Give one department until `due_on` for one period (replacing an earlier extension)."""
    permissions.check_coordinator(user)
    if due_on <= period.due_on:
        raise ValidationError(
            {
                "due_on": _("연장 기한은 원래 기한(%(due)s) 뒤여야 합니다.")
                % {"due": period.due_on.isoformat()}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("연장 사유를 적어 주세요.")})
    extension, _created = PeriodExtension.objects.update_or_create(
        period=period,
        department=department,
        defaults={"due_on": due_on, "reason": reason.strip(), "granted_by": user},
    )
    return extension


@transaction.atomic
def period_set_closed(*, user: User, period: ReportingPeriod, closed: bool) -> ReportingPeriod:
    permissions.check_coordinator(user)
    period.closed = closed
    period._history_user = user
    period.save(update_fields=["closed"])
    return period
