"""E-mail reminders for reporting periods: the daily automatic ones and the coordinator's 독촉.

The daily schedule, per period and department, while the department has a running project
without a submitted report: when the period opens, 7 days before the department's deadline
(an extension moves it), on the deadline, then every REMINDER_OVERDUE_EVERY_DAYS days while
overdue — those also to the department's head. Each mail is logged (Notification) and goes
once: a second run the same day, or any later day, sends nothing already sent.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import Role
from ..models import Department, Notification, ReportingPeriod, User
from ..notify import department_members, send_once
from ..selectors.chase import DepartmentDues, chase_board

Kind = Notification.Kind


@dataclass
class Reminder:
    kind: str
    key: str
    subject: str
    with_heads: bool = False


def _due_today(period: ReportingPeriod, deadline: date, today: date) -> list[Reminder]:
    """The reminders a department is owed today for the period, by the schedule above; a
    day the cron job missed is caught up the next run (the keys say which mail it was)."""
    names = {"period": period, "due": deadline.isoformat()}
    if today < deadline:
        reminders = [
            Reminder(
                Kind.PERIOD_OPENED,
                f"period:{period.pk}",
                _("[추진관리] %(period)s 실적 작성이 시작되었습니다") % names,
            )
        ]
        if 1 <= (deadline - today).days <= 7:
            reminders.append(
                Reminder(
                    Kind.DUE_SOON,
                    f"period:{period.pk}:due:{deadline.isoformat()}",
                    _("[추진관리] %(period)s 실적 제출 기한이 %(due)s입니다") % names,
                )
            )
        return reminders
    every = settings.REMINDER_OVERDUE_EVERY_DAYS
    step = (today - deadline).days // every
    if step == 0:
        return [
            Reminder(
                Kind.DUE_TODAY,
                f"period:{period.pk}:deadline:{deadline.isoformat()}",
                _("[추진관리] %(period)s 실적 제출 기한(%(due)s)이 되었습니다") % names,
            )
        ]
    return [
        Reminder(
            Kind.OVERDUE,
            f"period:{period.pk}:overdue:{deadline.isoformat()}:{step}",
            _("[추진관리] %(period)s 실적 제출 기한(%(due)s)이 %(days)s일 지났습니다")
            % {**names, "days": step * every},
            with_heads=True,
        )
    ]


def _body(row: DepartmentDues) -> str:
    lines = [
        f"- {item.project.code} {item.project.name}: {item.label} ({item.deadline})"
        for item in row.missing
    ]
    return _("%(department)s에서 아직 제출하지 않은 자료:\n%(items)s") % {
        "department": row.department,
        "items": "\n".join(lines),
    }


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Send today's reminders of every period that takes filings; returns mails sent by kind
    (and how many failed, under "failed")."""
    today = today or timezone.localdate()
    sent: Counter = Counter()
    # Open periods, and closed ones where a department's extension still runs.
    periods = (
        ReportingPeriod.objects.filter(opens_on__lte=today)
        .filter(Q(closed=False) | Q(extensions__due_on__gte=today))
        .distinct()
        .order_by("year", "quarter")
    )
    for period in periods:
        board = chase_board(period=period, today=today)
        for row in board.departments:
            reports_missing = [item for item in row.reports if not item.filed]
            if not reports_missing:
                continue  # everything filed: reminders stop
            if period.closed and not (row.extension and row.extension.due_on >= today):
                continue  # a closed period takes no filings (but an extension's department)
            body = _("아직 제출하지 않은 사업:\n%(names)s") % {
                "names": "\n".join(f"- {item.project}" for item in reports_missing)
            }
            for reminder in _due_today(period, row.deadline, today):
                roles = (Role.STAFF, Role.HEAD) if reminder.with_heads else (Role.STAFF,)
                counts = send_once(
                    kind=reminder.kind,
                    key=reminder.key,
                    recipients=department_members(row.department.pk, *roles),
                    subject=reminder.subject,
                    body=body,
                    department_id=row.department.pk,
                )
                sent[reminder.kind] += counts[Notification.Outcome.SENT]
                sent["failed"] += counts[Notification.Outcome.FAILED]
    return dict(sent)


def reminder_chase(
    *,
    user: User,
    period: ReportingPeriod,
    department: Department | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """독촉: mail one department (or, without one, every department with something overdue)
    what it still owes for the period and its year's plans, now, to its staff and head.
    Returns how many mails were sent and how many failed.

    Not one transaction: each mail's log row is committed as it goes out (send_once), so a
    failure half-way never erases the record of mails already sent."""
    permissions.check(permissions.may_chase, user)
    board = chase_board(
        period=period, today=today, department_id=department.pk if department else None
    )
    if department is not None:
        rows = [row for row in board.departments if row.missing]
        if not rows:
            raise ValidationError(
                _("%(department)s은(는) 낼 자료를 모두 제출했습니다.") % {"department": department}
            )
    else:
        rows = board.late
        if not rows:
            raise ValidationError(_("기한이 지난 미제출 부서가 없습니다."))
    now = timezone.now().isoformat()
    counts: Counter = Counter()
    for row in rows:
        subject = _("[추진관리] 독촉: %(department)s 미제출 자료 %(count)s건") % {
            "department": row.department,
            "count": len(row.missing),
        }
        counts.update(
            send_once(
                kind=Kind.CHASE,
                key=f"chase:{period.pk}:{row.department.pk}:{now}",
                recipients=department_members(row.department.pk, Role.STAFF, Role.HEAD),
                subject=subject,
                body=_body(row),
                department_id=row.department.pk,
                sent_by=user,
            )
        )
    return {
        "sent": counts[Notification.Outcome.SENT],
        "failed": counts[Notification.Outcome.FAILED],
    }
