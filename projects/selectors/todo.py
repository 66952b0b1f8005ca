"""What a department owes (내 업무): every report and yearly plan not yet sent, most urgent
first, each with its deadline, the days left or late, and any extension."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from ..choices import FilingState
from ..models import ImplementationPlan, PeriodExtension, ProgressReport, Project, ReportingPeriod

SENT = (FilingState.SUBMITTED, FilingState.APPROVED)  # no longer the department's to do
# Plans are listed for this year and, from October (Q4), next year: a plan is due by the end
# of March, and the city drafts next year's budget in the autumn. Listed all year, next year's
# would sit under this quarter's work for nine months with nothing yet to write. A past year's
# plan is not listed: that year is over, its reports say what was done.
NEXT_YEAR_PLANS_FROM_MONTH = 10


class Urgency:
    """Groups of the list, in the order shown."""

    RETURNED, LATE, DUE = 0, 1, 2


@dataclass(frozen=True)
class Owed:
    """One plan or report the department has still to send."""

    code: str
    name: str
    year: int
    quarter: int | None  # None: the yearly plan
    state: str | None  # None: not started
    deadline: date | None  # None: its reporting period has no row yet
    extended_from: date | None  # the original deadline, when an extension moved it
    closed: bool  # the period is closed: the coordinator must reopen or extend it
    reason: str  # why it was returned
    days_left: int | None  # negative: days late
    urgency: int

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
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _today() -> date:
    return timezone.localdate()


def _urgency(state: str | None, days_left: int | None) -> int:
    if state == FilingState.RETURNED:
        return Urgency.RETURNED
    if days_left is not None and days_left < 0:
        return Urgency.LATE
    return Urgency.DUE


def department_owed(*, department_id: int, today: date | None = None) -> list[Owed]:
    """Reports of every period opened so far and this year's plans (next year's too from
    October) of the department's projects running then, that are not submitted or approved;
    returned ones first, then late ones (latest deadline last), then by deadline.

    Five queries whatever the number of projects, periods and filings."""
    today = today or _today()
    projects = list(
        Project.objects.filter(lead_department_id=department_id)
        .order_by("code")
        .values("pk", "code", "name", "start_year", "end_year")
    )
    periods = ReportingPeriod.objects.filter(opens_on__lte=today).prefetch_related(
        Prefetch("extensions", PeriodExtension.objects.filter(department_id=department_id))
    )
    ours = {"project__lead_department_id": department_id}
    reports = _by_key(ProgressReport.objects.filter(**ours), "project_id", "year", "quarter")
    plans = _by_key(ImplementationPlan.objects.filter(**ours), "project_id", "year")
    owed = []
    for period in periods:
        extended = period.extension_for(department_id)
        deadline = period.deadline_for(department_id)
        for project in projects:
            filing = reports.get((project["pk"], period.year, period.quarter))
            if _runs(project, period.year) and (filing is None or filing[0] not in SENT):
                owed.append(
                    _owed(project, period.year, period.quarter, filing, deadline, today)
                    | {"extended_from": period.due_on if extended else None}
                    | {"closed": period.closed and not (extended and extended >= today)}
                )
    for year in range(today.year, today.year + 1 + (today.month >= NEXT_YEAR_PLANS_FROM_MONTH)):
        for project in projects:
            filing = plans.get((project["pk"], year))
            if _runs(project, year) and (filing is None or filing[0] not in SENT):
                deadline = ImplementationPlan.due_on_for(year)
                owed.append(_owed(project, year, None, filing, deadline, today))
    rows = [Owed(**row) for row in owed]
    return sorted(rows, key=lambda o: (o.urgency, o.deadline or date.max, o.quarter or 0, o.code))


def _runs(project: dict, year: int) -> bool:
    return project["start_year"] <= year <= project["end_year"]


def _by_key(filings, *key: str) -> dict[tuple, tuple[str, str]]:
    """key → (state, review comment) of each filing."""
    rows = filings.values_list(*key, "state", "review_comment")
    return {tuple(row[:-2]): tuple(row[-2:]) for row in rows}


def _owed(project, year, quarter, filing, deadline, today) -> dict:
    state, reason = filing or (None, "")
    days_left = (deadline - today).days if deadline else None
    return {
        "code": project["code"],
        "name": project["name"],
        "year": year,
        "quarter": quarter,
        "state": state,
        "deadline": deadline,
        "extended_from": None,
        "closed": False,
        "reason": reason if state == FilingState.RETURNED else "",
        "days_left": days_left,
        "urgency": _urgency(state, days_left),
    }


def owed_counts(owed: list[Owed]) -> dict[str, int]:
    """How many are returned, late, and still within their deadline."""
    counts = {"returned": 0, "late": 0, "due": 0}
    names = {Urgency.RETURNED: "returned", Urgency.LATE: "late", Urgency.DUE: "due"}
    for item in owed:
        counts[names[item.urgency]] += 1
    return counts
