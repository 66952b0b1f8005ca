"""Who owes what: per department and per project, the reports of a period and the yearly
plans of its year — due, filed, late (days), extended — for the 미제출·독촉 page and for the
reminders sent from it."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Department,
    ImplementationPlan,
    Notification,
    PeriodExtension,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from .calendar import plan_due_on
from .figures import FILED_STATES, running_in
from .meeting import days_late


@dataclass
class DueItem:
    """One filing a project owes: its quarterly report (`quarter`) or its yearly plan (None)."""

    project: Project
    year: int
    quarter: int | None
    deadline: date
    submitted_at: datetime | None
    submitted_late: bool
    days_late: int

    @property
    def filed(self) -> bool:
        return self.submitted_at is not None

    @property
    def label(self) -> str:
        if self.quarter is None:
            return _("%(year)s년 시행계획") % {"year": self.year}
        return _("%(year)s년 %(quarter)s분기 실적") % {"year": self.year, "quarter": self.quarter}


@dataclass
class DepartmentDues:
    """A department's reports and plans owed, with its deadline and extension."""

    department: Department
    deadline: date
    extension: PeriodExtension | None
    items: list[DueItem] = field(default_factory=list)
    last_chased: datetime | None = None

    def _of(self, report: bool) -> list[DueItem]:
        return [item for item in self.items if (item.quarter is not None) == report]

    @property
    def reports(self) -> list[DueItem]:
        return self._of(True)

    @property
    def plans(self) -> list[DueItem]:
        return self._of(False)

    @property
    def reports_filed(self) -> int:
        return sum(item.filed for item in self.reports)

    @property
    def plans_filed(self) -> int:
        return sum(item.filed for item in self.plans)

    @property
    def missing(self) -> list[DueItem]:
        return [item for item in self.items if not item.filed]

    @property
    def filed_late(self) -> int:
        return sum(item.filed and item.submitted_late for item in self.items)

    @property
    def days_late(self) -> int:
        """The most days any missing filing is past its deadline (0: nothing overdue)."""
        return max((item.days_late for item in self.missing), default=0)


@dataclass
class ChaseBoard:
    period: ReportingPeriod
    departments: list[DepartmentDues]

    @property
    def missing(self) -> list[DueItem]:
        return [item for row in self.departments for item in row.missing]

    @property
    def late(self) -> list[DepartmentDues]:
        return [row for row in self.departments if row.days_late]


def opened_periods(today: date | None = None) -> list[ReportingPeriod]:
    """Periods that have opened (open or closed), latest first: the ones anything is due for."""
    today = today or timezone.localdate()
    return list(ReportingPeriod.objects.filter(opens_on__lte=today).order_by("-year", "-quarter"))


def chase_board(
    *, period: ReportingPeriod, today: date | None = None, department_id: int | None = None
) -> ChaseBoard:
    """Every department that leads a project running in the period (figures.running_in), or
    only the one asked for, with each such project's report for the period and plan for the year.

    A fixed number of queries, whatever the data: projects, reports, plans, extensions and
    the last 독촉 of each department, each read once."""
    today = today or timezone.localdate()
    projects = Project.objects.filter(
        running_in(period.year, period.quarter), lead_department__isnull=False
    )
    if department_id is not None:
        projects = projects.filter(lead_department_id=department_id)
    projects = list(projects.select_related("lead_department").order_by("code"))
    ids = [project.pk for project in projects]
    filed = {"state__in": FILED_STATES, "project_id__in": ids}
    reports = {
        row["project_id"]: row
        for row in ProgressReport.objects.filter(
            year=period.year, quarter=period.quarter, **filed
        ).values("project_id", "submitted_at", "submitted_late")
    }
    plans = {
        row["project_id"]: row
        for row in ImplementationPlan.objects.filter(year=period.year, **filed).values(
            "project_id", "submitted_at", "submitted_late"
        )
    }
    extensions = {
        extension.department_id: extension
        for extension in PeriodExtension.objects.filter(period=period).select_related("granted_by")
    }
    chased = dict(
        Notification.objects.filter(kind=Notification.Kind.CHASE, department__isnull=False)
        .values("department_id")
        .annotate(last=Max("sent_at"))
        .values_list("department_id", "last")
    )
    plan_deadline = plan_due_on(period.year)
    rows: dict[int, DepartmentDues] = {}
    for project in projects:
        department = project.lead_department
        row = rows.get(department.pk)
        if row is None:
            extension = extensions.get(department.pk)
            deadline = max(period.due_on, extension.due_on) if extension else period.due_on
            row = rows[department.pk] = DepartmentDues(
                department, deadline, extension, last_chased=chased.get(department.pk)
            )
        for quarter, deadline, filing in (
            (period.quarter, row.deadline, reports.get(project.pk)),
            (None, plan_deadline, plans.get(project.pk)),
        ):
            row.items.append(
                DueItem(
                    project=project,
                    year=period.year,
                    quarter=quarter,
                    deadline=deadline,
                    submitted_at=filing["submitted_at"] if filing else None,
                    submitted_late=bool(filing and filing["submitted_late"]),
                    days_late=0 if filing else days_late(deadline, today),
                )
            )
    departments = sorted(rows.values(), key=lambda row: (-row.days_late, row.department.name))
    return ChaseBoard(period=period, departments=departments)


def reminder_log():
    """Every reminder mailed (automatic and 독촉), newest first, to page through."""
    return Notification.objects.filter(
        kind__in=[
            Notification.Kind.PERIOD_OPENED,
            Notification.Kind.DUE_SOON,
            Notification.Kind.DUE_TODAY,
            Notification.Kind.OVERDUE,
            Notification.Kind.CHASE,
        ]
    ).select_related("recipient", "department", "sent_by")
