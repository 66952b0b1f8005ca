"""What a department owes (내 업무): every report and yearly plan not yet sent, most urgent
first, each with its deadline, the days left or late, and any extension."""

from collections import Counter
from datetime import date
from typing import NamedTuple

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import FilingState
from ..models import (
    ImplementationPlan,
    PeriodExtension,
    PlanChange,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from .calendar import plan_due_on

# No longer the staff's to do (one waiting for the head is the head's: heads_queue).
SENT = (FilingState.SIGNOFF, FilingState.SUBMITTED, FilingState.APPROVED)
# Plans are listed for this year and, from October (Q4), next year: a plan is due by the end
# of March, and the city drafts next year's budget in the autumn. Listed all year, next year's
# would sit under this quarter's work for nine months with nothing yet to write. A past year's
# plan is not listed: that year is over, its reports say what was done.
NEXT_YEAR_PLANS_FROM_MONTH = 10


class Urgency:
    """Groups of the list, in the order shown."""

    RETURNED, LATE, DUE = 0, 1, 2


class Owed(NamedTuple):
    """One plan or report the department has still to send (a tuple: a department at 100×
    the demo owes thousands, each made and sorted on every visit)."""

    code: str
    name: str
    year: int
    quarter: int | None  # None: the yearly plan
    state: str | None  # None: not started
    deadline: date  # with the department's extension
    days_left: int  # negative: days late
    urgency: int
    reason: str = ""  # why it was returned
    extended_from: date | None = None  # the original deadline, when an extension moved it
    closed: bool = False  # the period is closed: the coordinator must reopen or extend it

    @property
    def url(self) -> str:
        if self.quarter:
            return reverse("projects:report", args=[self.code, self.year, self.quarter])
        return reverse("projects:plan", args=[self.code, self.year])

    @property
    def state_label(self) -> str:
        return FilingState(self.state).label if self.state else ""

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)


def _today() -> date:
    return timezone.localdate()


def _urgency(state: str | None, days_left: int) -> int:
    if state == FilingState.RETURNED:
        return Urgency.RETURNED
    return Urgency.LATE if days_left < 0 else Urgency.DUE


def department_owed(*, department_id: int, today: date | None = None) -> list[Owed]:
    """Reports of every period opened so far and this year's plans (next year's too from
    October) of the department's projects running then (Project.counts_in: nothing for the
    quarters after a project ended, no plan for the years after), that are not submitted or
    approved; returned ones first, then late ones (latest deadline last), then by deadline.

    Five queries whatever the number of projects, periods and filings."""
    today = today or _today()
    projects = list(
        Project.objects.filter(lead_department_id=department_id)
        .order_by("code")
        .only("pk", "code", "name", "start_year", "end_year", "ended_on")
    )
    periods = ReportingPeriod.objects.filter(opens_on__lte=today).prefetch_related(
        Prefetch("extensions", PeriodExtension.objects.filter(department_id=department_id))
    )
    ours = {"project__lead_department_id": department_id}
    reports = _by_key(ProgressReport.objects.filter(**ours), "project_id", "year", "quarter")
    plan_years = range(today.year, today.year + 1 + (today.month >= NEXT_YEAR_PLANS_FROM_MONTH))
    plans = _by_key(
        ImplementationPlan.objects.filter(**ours, year__in=plan_years), "project_id", "year"
    )
    owed = []
    for period in periods:
        extended = period.extension_for(department_id)
        deadline = period.deadline_for(department_id)
        marks = {
            "extended_from": period.due_on if extended else None,
            "closed": period.closed and not (extended and extended >= today),
        }
        for project in projects:
            filing = reports.get((project.pk, period.year, period.quarter))
            if (filing is None or filing[0] not in SENT) and project.counts_in(
                period.year, period.quarter
            ):
                owed.append(
                    _owed(project, period.year, period.quarter, filing, deadline, today, **marks)
                )
    for year in plan_years:
        for project in projects:
            filing = plans.get((project.pk, year))
            if (filing is None or filing[0] not in SENT) and project.counts_in(year):
                deadline = plan_due_on(year)
                owed.append(_owed(project, year, None, filing, deadline, today))
    return sorted(owed, key=lambda o: (o.urgency, o.deadline, o.quarter or 0, o.code))


def _by_key(filings, *key: str) -> dict[tuple, tuple[str, str]]:
    """key → (state, review comment) of each filing. Unordered: the models' ordering would
    sort thousands of rows (joining each one's project for its code) to make a dict."""
    rows = filings.order_by().values_list(*key, "state", "review_comment")
    return {tuple(row[:-2]): tuple(row[-2:]) for row in rows}


def _owed(project, year, quarter, filing, deadline, today, **marks) -> Owed:
    state, reason = filing or (None, "")
    days_left = (deadline - today).days
    urgency = _urgency(state, days_left)
    reason = reason if urgency == Urgency.RETURNED else ""
    return Owed(project.code, project.name, year, quarter, state, deadline, days_left,
                urgency, reason, **marks)  # fmt: skip


def owed_counts(owed: list[Owed]) -> dict[str, int]:
    """How many are returned, late, and still within their deadline."""
    found = Counter(item.urgency for item in owed)
    return {
        "returned": found[Urgency.RETURNED],
        "late": found[Urgency.LATE],
        "due": found[Urgency.DUE],
    }


class Awaiting(NamedTuple):
    """A plan or report of the department waiting for its head's sign-off (결재)."""

    filing: ImplementationPlan | ProgressReport
    url: str

    @property
    def what(self) -> str:
        filing = self.filing
        if isinstance(filing, ProgressReport):
            return _("%(year)s년 %(quarter)s분기 실적") % {
                "year": filing.year,
                "quarter": filing.quarter,
            }
        if isinstance(filing, PlanChange):
            return _("%(year)s년 시행계획 변경(%(kind)s)") % {
                "year": filing.year,
                "kind": filing.get_kind_display(),
            }
        return _("%(year)s년 시행계획") % {"year": filing.year}


def awaiting_signoff(*, department_id: int) -> list[Awaiting]:
    """The department's plans, reports and plan changes waiting for its head, oldest
    submission first (the head's queue on 내 업무). Three queries."""
    ours = {"project__lead_department_id": department_id, "state": FilingState.SIGNOFF}
    related = ("project", "submitted_by")
    filings = [
        *ProgressReport.objects.filter(**ours).select_related(*related),
        *ImplementationPlan.objects.filter(**ours).select_related(*related),
        *PlanChange.objects.filter(
            plan__project__lead_department_id=department_id, state=FilingState.SIGNOFF
        ).select_related("plan__project", "submitted_by"),
    ]
    filings.sort(key=lambda filing: (filing.submitted_at, filing.project.code))
    return [Awaiting(filing, filing_url(filing)) for filing in filings]


def filing_url(filing) -> str:
    """The page of a plan or report (its project read with it)."""
    if isinstance(filing, ProgressReport):
        return reverse("projects:report", args=[filing.project.code, filing.year, filing.quarter])
    if isinstance(filing, PlanChange):
        return reverse("projects:plan_change", args=[filing.project.code, filing.year, filing.pk])
    return reverse("projects:plan", args=[filing.project.code, filing.year])
