"""E-mail reminders for reporting periods."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import (
    FilingState,
)
from ..models import (
    Department,
    Notification,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from ..notify import department_staff, send_once

# --- Reminders -------------------------------------------------------------------------------


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Mail staff when a period opens and 7 days before their deadline; safe to run daily.

    Each mail is logged (Notification), so a second run the same day — or any later day —
    sends nothing already sent.
    """
    today = today or timezone.localdate()
    sent = {Notification.Kind.PERIOD_OPENED: 0, Notification.Kind.DUE_SOON: 0}
    periods = ReportingPeriod.objects.filter(closed=False, opens_on__lte=today).prefetch_related(
        "extensions"
    )
    for period in periods:
        running = Project.objects.filter(start_year__lte=period.year, end_year__gte=period.year)
        filed = ProgressReport.objects.filter(
            year=period.year,
            quarter=period.quarter,
            state__in=[FilingState.SUBMITTED, FilingState.APPROVED],
        ).values("project_id")
        for department in Department.objects.filter(led_projects__in=running).distinct():
            deadline = period.deadline_for(department.pk)
            if today > deadline:
                continue
            staff = list(department_staff(department.pk))
            sent[Notification.Kind.PERIOD_OPENED] += send_once(
                kind=Notification.Kind.PERIOD_OPENED,
                key=f"period:{period.pk}",
                recipients=staff,
                subject=_("[추진관리] %(period)s 실적 작성이 시작되었습니다") % {"period": period},
                body=_("%(period)s 분기 실적을 %(due)s까지 제출해 주세요.")
                % {"period": period, "due": deadline.isoformat()},
            )
            missing = running.filter(lead_department=department).exclude(pk__in=filed)
            if (deadline - today).days <= 7 and missing.exists():
                names = "\n".join(f"- {p}" for p in missing.order_by("code"))
                sent[Notification.Kind.DUE_SOON] += send_once(
                    kind=Notification.Kind.DUE_SOON,
                    key=f"period:{period.pk}:due:{deadline.isoformat()}",
                    recipients=staff,
                    subject=_("[추진관리] %(period)s 실적 제출 기한이 %(due)s입니다")
                    % {"period": period, "due": deadline.isoformat()},
                    body=_("아직 제출하지 않은 사업:\n%(names)s") % {"names": names},
                )
    return sent
