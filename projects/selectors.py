"""Reads that gather figures for pages, exports and imports. No writes here."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from strategies.models import Direction, Plan, Task

from .choices import FilingState, FundingSource
from .models import (
    Comment,
    ImplementationPlan,
    Indicator,
    IndicatorResult,
    ProgressReport,
    Project,
    ReportingPeriod,
)


def active_plan() -> Plan | None:
    return Plan.objects.filter(is_active=True).order_by("-start_year").first()


def with_latest_approved_report(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate each project with its latest approved report's status, progress and quarter."""
    latest = ProgressReport.objects.filter(
        project=OuterRef("pk"), state=FilingState.APPROVED
    ).order_by("-year", "-quarter")
    return projects.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_progress=Subquery(latest.values("progress")[:1]),
        latest_year=Subquery(latest.values("year")[:1]),
        latest_quarter=Subquery(latest.values("quarter")[:1]),
    )


@dataclass(frozen=True)
class PlanTree:
    plan: Plan
    phases: list
    directions: list[Direction]
    project_count: int
    task_count: int


def plan_tree(*, plan: Plan) -> PlanTree:
    """The whole plan for the tree page in a fixed number of queries, whatever its size."""
    projects = with_latest_approved_report(
        Project.objects.select_related("lead_department").prefetch_related("phases")
    ).order_by("code")
    tasks = Task.objects.order_by("order").prefetch_related(Prefetch("projects", projects))
    directions = list(plan.directions.order_by("order").prefetch_related(Prefetch("tasks", tasks)))
    all_tasks = [task for direction in directions for task in direction.tasks.all()]
    return PlanTree(
        plan=plan,
        phases=list(plan.phases.order_by("order")),
        directions=directions,
        task_count=len(all_tasks),
        project_count=sum(len(task.projects.all()) for task in all_tasks),
    )


def current_period(today: date | None = None) -> ReportingPeriod | None:
    """The latest period that has opened: what staff are filing for now."""
    today = today or timezone.localdate()
    return (
        ReportingPeriod.objects.filter(opens_on__lte=today)
        .prefetch_related("extensions")
        .order_by("-year", "-quarter")
        .first()
    )


def project_list() -> QuerySet[Project]:
    return with_latest_approved_report(
        Project.objects.select_related("task__direction", "lead_department")
    )


@dataclass(frozen=True)
class YearRow:
    year: int
    plan: ImplementationPlan | None
    quarters: list  # ProgressReport | None, for quarters 1..4
    spent: int | None  # cumulative, from the year's latest approved report
    execution_rate: Decimal | None  # 집행률 in %

    @property
    def budget(self) -> int | None:
        return self.plan.budget_total if self.plan else None


RATE_CAP = Decimal(999)


def achievement_rate(actual, target, *, higher_is_better: bool) -> Decimal | None:
    """달성률 in %: actual ÷ target, or target ÷ actual where lower is better; capped at 999."""
    if actual is None or target is None:
        return None
    numerator, denominator = (actual, target) if higher_is_better else (target, actual)
    if denominator == 0:
        return RATE_CAP if numerator > 0 else None
    return min(Decimal(numerator) / Decimal(denominator) * 100, RATE_CAP)


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    cells: list  # (year, target, actual, 달성률) per plan year


def project_overview(*, project: Project) -> dict:
    """Everything the project page shows, in a fixed number of queries."""
    plan = project.task.direction.plan
    plans = {p.year: p for p in project.plans.all()}
    reports = {(r.year, r.quarter): r for r in project.reports.all()}
    years = [y for y in plan.years if project.runs_in(y)]
    timeline = []
    for year in years:
        quarters = [reports.get((year, q)) for q in range(1, 5)]
        approved = [r for r in quarters if r and r.state == FilingState.APPROVED]
        spent = approved[-1].spent_total if approved else None
        plan_of_year = plans.get(year)
        budget = plan_of_year.budget_total if plan_of_year else 0
        rate = Decimal(spent) / budget * 100 if spent is not None and budget else None
        timeline.append(YearRow(year, plan_of_year, quarters, spent, rate))
    # The actual of a year is the value in that year's latest approved report.
    actuals: dict[tuple[int, int], Decimal] = {}
    for result in sorted(
        IndicatorResult.objects.filter(
            report__project=project, report__state=FilingState.APPROVED
        ).select_related("report"),
        key=lambda r: (r.report.year, r.report.quarter),
    ):
        actuals[result.indicator_id, result.report.year] = result.value
    indicators = []
    for indicator in project.indicators.all():
        targets = {t.year: t.value for t in indicator.targets.all()}
        cells = []
        for year in years:
            target, actual = targets.get(year), actuals.get((indicator.pk, year))
            rate = achievement_rate(actual, target, higher_is_better=indicator.higher_is_better)
            cells.append((year, target, actual, rate))
        indicators.append(IndicatorRow(indicator, cells))
    comments = (
        Comment.objects.filter(Q(plan__project=project) | Q(report__project=project))
        .select_related("author", "plan", "report")
        .order_by("-created_at")[:10]
    )
    history = project.history.select_related("history_user").order_by("-history_date")[:15]
    return {
        "years": years,
        "timeline": timeline,
        "indicators": indicators,
        "comments": list(comments),
        "history": list(history),
    }


def filing_thread(filing) -> dict:
    """The review thread and change history of one plan or report."""
    if filing is None or filing.pk is None:
        return {"comments": [], "history": []}
    return {
        "comments": list(filing.comments.select_related("author")),
        "history": list(
            filing.history.select_related("history_user").order_by("-history_date")[:20]
        ),
    }


def review_queue() -> dict:
    """Submitted plans and reports waiting for the coordinator, oldest first."""
    plans = ImplementationPlan.objects.filter(state=FilingState.SUBMITTED).select_related(
        "project__lead_department", "submitted_by"
    )
    reports = ProgressReport.objects.filter(state=FilingState.SUBMITTED).select_related(
        "project__lead_department", "submitted_by"
    )
    return {
        "plans": list(plans.order_by("submitted_at")),
        "reports": list(reports.order_by("submitted_at")),
    }


def department_todo(*, department_id: int, period: ReportingPeriod | None) -> dict:
    """A department's to-do for the current period: due, drafts, returned, late."""
    projects = list(Project.objects.filter(lead_department_id=department_id).order_by("code"))
    todo = {"period": period, "due": [], "drafts": [], "returned": [], "late": []}
    if period is None:
        return todo
    running = [p for p in projects if p.runs_in(period.year)]
    reports = {
        r.project_id: r
        for r in ProgressReport.objects.filter(
            project__lead_department_id=department_id, year=period.year, quarter=period.quarter
        )
    }
    deadline = period.deadline_for(department_id)
    overdue = timezone.localdate() > deadline
    for project in running:
        report = reports.get(project.pk)
        if report is None or report.state in (FilingState.DRAFT, FilingState.RETURNED):
            todo["due"].append((project, report))
            if overdue:
                todo["late"].append((project, report))
    todo["deadline"] = deadline
    filings = [
        *ImplementationPlan.objects.filter(project__lead_department_id=department_id)
        .exclude(state__in=[FilingState.SUBMITTED, FilingState.APPROVED])
        .select_related("project"),
        *ProgressReport.objects.filter(project__lead_department_id=department_id)
        .exclude(state__in=[FilingState.SUBMITTED, FilingState.APPROVED])
        .select_related("project"),
    ]
    todo["drafts"] = [f for f in filings if f.state == FilingState.DRAFT]
    todo["returned"] = [f for f in filings if f.state == FilingState.RETURNED]
    return todo


def report_carry_over(*, project: Project, year: int, quarter: int) -> tuple[dict, dict]:
    """Where a new report starts: the latest earlier report's progress and status, and —
    within the same year, since money and indicator values are cumulative for the year —
    its spending and indicator values."""
    previous = (
        ProgressReport.objects.filter(project=project)
        .filter(Q(year__lt=year) | Q(year=year, quarter__lt=quarter))
        .order_by("-year", "-quarter")
        .prefetch_related("results")
        .first()
    )
    if previous is None:
        return {}, {}
    values = {"progress": previous.progress, "status": previous.status}
    results = {}
    if previous.year == year:
        values |= {f"spent_{s}": getattr(previous, f"spent_{s}") for s in FundingSource.values}
        results = {r.indicator_id: r.value for r in previous.results.all()}
    return values, results
