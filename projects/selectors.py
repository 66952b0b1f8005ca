"""Reads that gather figures for pages, exports and imports. No writes here."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from strategies.models import Direction, Phase, Plan, Task

from .choices import FilingState, FundingSource, ProjectStatus
from .models import (
    Comment,
    DataChange,
    ImplementationPlan,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
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
    return carry_over_values(
        previous_reports([project], year=year, quarter=quarter).get(project.pk), year=year
    )


def previous_reports(projects, *, year: int, quarter: int) -> dict[int, ProgressReport]:
    """The latest report before (year, quarter) of each project, in two queries for any number."""
    latest = ProgressReport.objects.filter(
        Q(year__lt=year) | Q(year=year, quarter__lt=quarter), project=OuterRef("project")
    ).order_by("-year", "-quarter")
    reports = ProgressReport.objects.filter(
        project__in=[p.pk for p in projects], pk=Subquery(latest.values("pk")[:1])
    ).prefetch_related("results")
    return {r.project_id: r for r in reports}


def carry_over_values(previous: ProgressReport | None, *, year: int) -> tuple[dict, dict]:
    if previous is None:
        return {}, {}
    values = {"progress": previous.progress, "status": previous.status}
    results = {}
    if previous.year == year:
        values |= {f"spent_{s}": getattr(previous, f"spent_{s}") for s in FundingSource.values}
        results = {r.indicator_id: r.value for r in previous.results.all()}
    return values, results


# --- The committee dashboard -----------------------------------------------------------------
#
# Figures use approved data only. Progress (진척률) of a project is its latest approved
# cumulative progress up to the chosen quarter (0 when it has none); a task's is the weighted
# average of its projects, a direction's of its tasks, the plan's of its directions.

FILED_STATES = [FilingState.SUBMITTED, FilingState.APPROVED]
GRID_PROJECT_LIMIT = 100  # above this, the grid rolls up to tasks × quarters
NOT_FILED_SHOWN = 50


def period_choices() -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.order_by("-year", "-quarter"))


def dashboard_period(year: int | None, quarter: int | None) -> tuple[int, int]:
    """The period asked for; else the latest one already due (the last full reporting round,
    what a meeting reviews); else the latest one opened; else this quarter."""
    if year and quarter and 1 <= quarter <= 4:
        return year, quarter
    today = timezone.localdate()
    period = (
        ReportingPeriod.objects.filter(due_on__lte=today).order_by("-year", "-quarter").first()
        or current_period()
    )
    if period:
        return period.year, period.quarter
    return today.year, (today.month - 1) // 3 + 1


def _decimal(expression):
    return Coalesce(
        expression, Value(Decimal(0)), output_field=DecimalField(max_digits=20, decimal_places=2)
    )


def _whole(expression):
    return Coalesce(expression, Value(0), output_field=BigIntegerField())


def with_period_figures(projects: QuerySet[Project], *, year: int, quarter: int) -> QuerySet:
    """Annotate projects with the chosen period's state and status, progress up to it, and the
    year's budget (approved plan) and spending (latest approved report of the year so far).

    The period's report and the year's approved plan are one row each at most (unique per
    project and period, per project and year): joined, not looked up column by column."""
    up_to = ProgressReport.objects.filter(
        Q(year__lt=year) | Q(year=year, quarter__lte=quarter),
        project=OuterRef("pk"),
        state=FilingState.APPROVED,
    ).order_by("-year", "-quarter")
    in_year = up_to.filter(year=year)
    return projects.annotate(
        period_report=FilteredRelation(
            "reports", condition=Q(reports__year=year, reports__quarter=quarter)
        ),
        approved_plan=FilteredRelation(
            "plans", condition=Q(plans__year=year, plans__state=FilingState.APPROVED)
        ),
    ).annotate(
        period_state=F("period_report__state"),
        period_status=Case(
            When(period_report__state=FilingState.APPROVED, then=F("period_report__status")),
            default=None,
        ),
        progress_asof=_decimal(Subquery(up_to.values("progress")[:1])),
        **{
            f"budget_{s}_year": _whole(F(f"approved_plan__budget_{s}"))
            for s in FundingSource.values
        },
        **{
            f"spent_{s}_asof": _whole(Subquery(in_year.values(f"spent_{s}")[:1]))
            for s in FundingSource.values
        },
    )


def _weighted(total, weight) -> Decimal:
    return (Decimal(total) / Decimal(weight)) if weight else Decimal(0)


def _rate(part, whole) -> Decimal | None:
    return Decimal(part) * 100 / Decimal(whole) if whole else None


@dataclass
class RollupRow:
    """One task, direction or the plan, with its weighted progress."""

    obj: object
    progress: Decimal
    projects: int
    children: list = field(default_factory=list)


def progress_rollup(*, plan: Plan, year: int, quarter: int) -> RollupRow:
    """Weighted progress of every task, direction and of the plan."""
    projects = with_period_figures(
        Project.objects.filter(task__direction__plan=plan), year=year, quarter=quarter
    )
    per_task = {
        row["task_id"]: row
        for row in projects.order_by()
        .values("task_id")
        .annotate(
            weight_sum=Sum("weight"),
            weighted=Sum(F("weight") * F("progress_asof")),
            projects=Count("pk"),
        )
    }
    directions = []
    for direction in plan.directions.order_by("order").prefetch_related(
        Prefetch("tasks", Task.objects.order_by("order"))
    ):
        tasks = []
        for task in direction.tasks.all():
            row = per_task.get(task.pk, {"weight_sum": 0, "weighted": 0, "projects": 0})
            progress = _weighted(row["weighted"] or 0, row["weight_sum"])
            tasks.append(RollupRow(task, progress, row["projects"]))
        directions.append(
            RollupRow(
                direction,
                _weighted(sum(t.obj.weight * t.progress for t in tasks if t.projects),
                          sum(t.obj.weight for t in tasks if t.projects)),
                sum(t.projects for t in tasks),
                tasks,
            )
        )  # fmt: skip
    counted = [d for d in directions if d.projects]
    overall = _weighted(
        sum(d.obj.weight * d.progress for d in counted), sum(d.obj.weight for d in counted)
    )
    return RollupRow(plan, overall, sum(d.projects for d in directions), directions)


@dataclass
class Dashboard:
    year: int
    quarter: int
    period: ReportingPeriod | None
    rollup: RollupRow
    running: int
    status_counts: list  # (status value or "", label, count)
    filed: int
    departments: list  # dicts: department, running, filed, missing, days_late
    not_filed: list  # projects (with period_state, lead_department)
    not_filed_total: int
    budget: list  # (source value, label, budget, spent, rate)
    indicators: dict  # counts and average 달성률
    weakest: list  # indicators with the lowest 달성률
    phases: list  # dicts: phase, projects, progress
    grid: "Grid"

    @property
    def submission_rate(self) -> Decimal | None:
        return _rate(self.filed, self.running)


def running_projects(*, plan: Plan | None, year: int) -> QuerySet[Project]:
    """The plan's projects that run in `year`: the ones the dashboard and the workbook count."""
    return Project.objects.filter(
        task__direction__plan=plan, start_year__lte=year, end_year__gte=year
    )


def dashboard(*, year: int, quarter: int) -> Dashboard:
    """Every figure of the committee dashboard, in a fixed number of queries."""
    plan = active_plan()
    period = (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=year, quarter=quarter)
        .first()
    )
    running = with_period_figures(
        running_projects(plan=plan, year=year), year=year, quarter=quarter
    ).order_by()

    by_status = {
        row["period_status"]: row["n"]
        for row in running.values("period_status").annotate(n=Count("pk"))
    }
    status_counts = [(s.value, s.label, by_status.get(s.value, 0)) for s in ProjectStatus]
    status_counts.append(("", _("승인된 실적 없음"), by_status.get(None, 0)))

    today = timezone.localdate()
    departments = []
    for row in (
        running.values("lead_department", "lead_department__name")
        .annotate(
            total=Count("pk"),
            filed=Count("pk", filter=Q(period_state__in=FILED_STATES)),
        )
        .order_by("lead_department__name")
    ):
        deadline = period.deadline_for(row["lead_department"]) if period else None
        missing = row["total"] - row["filed"]
        late = (today - deadline).days if deadline and missing and today > deadline else 0
        departments.append(
            {
                "id": row["lead_department"],
                "name": row["lead_department__name"],
                "running": row["total"],
                "filed": row["filed"],
                "missing": missing,
                "deadline": deadline,
                "days_late": late,
            }
        )
    not_filed_qs = running.filter(Q(period_state__isnull=True) | ~Q(period_state__in=FILED_STATES))
    not_filed = list(
        not_filed_qs.select_related("lead_department").order_by("code")[:NOT_FILED_SHOWN]
    )
    filed = sum(d["filed"] for d in departments)

    totals = running.aggregate(
        **{f"budget_{s}": Sum(f"budget_{s}_year") for s in FundingSource.values},
    ) | _spent_totals(plan=plan, year=year, quarter=quarter)
    budget = []
    for source in FundingSource:
        b, s = totals[f"budget_{source.value}"] or 0, totals[f"spent_{source.value}"] or 0
        budget.append((source.value, source.label, b, s, _rate(s, b)))
    b_total, s_total = sum(r[2] for r in budget), sum(r[3] for r in budget)
    budget.append(("total", _("합계"), b_total, s_total, _rate(s_total, b_total)))

    indicators, weakest = indicator_achievement(year=year, quarter=quarter)
    phases = [
        {
            "phase": phase,
            "projects": phase.n,
            "progress": _weighted(phase.weighted or 0, phase.weight_sum),
        }
        for phase in _phase_breakdown(plan, year=year, quarter=quarter)
    ]
    return Dashboard(
        year=year,
        quarter=quarter,
        period=period,
        rollup=progress_rollup(plan=plan, year=year, quarter=quarter),
        running=sum(d["running"] for d in departments),
        status_counts=status_counts,
        filed=filed,
        departments=departments,
        not_filed=not_filed,
        not_filed_total=sum(d["missing"] for d in departments),
        budget=budget,
        indicators=indicators,
        weakest=weakest,
        phases=phases,
        grid=status_grid(plan=plan),
    )


def _spent_totals(*, plan: Plan, year: int, quarter: int) -> dict:
    """Σ spent_<source>_asof over the plan's projects running in `year` (with_period_figures),
    summed over their latest approved reports of the year directly: one anti-join rather than
    five lookups per project."""
    approved = ProgressReport.objects.filter(
        year=year, quarter__lte=quarter, state=FilingState.APPROVED
    )
    later = approved.filter(project=OuterRef("project"), quarter__gt=OuterRef("quarter"))
    latest = approved.filter(project__in=running_projects(plan=plan, year=year)).exclude(
        Exists(later)
    )
    totals = latest.aggregate(**{f"spent_{s}": Sum(f"spent_{s}") for s in FundingSource.values})
    return {key: value or 0 for key, value in totals.items()}


def _phase_breakdown(plan: Plan, *, year: int, quarter: int):
    up_to = ProgressReport.objects.filter(
        Q(year__lt=year) | Q(year=year, quarter__lte=quarter),
        project=OuterRef("projects"),
        state=FilingState.APPROVED,
    ).order_by("-year", "-quarter")
    progress = _decimal(Subquery(up_to.values("progress")[:1]))
    return (
        Phase.objects.filter(plan=plan)
        .annotate(
            n=Count("projects"),
            weight_sum=Sum("projects__weight"),
            weighted=Sum(F("projects__weight") * progress),
        )
        .order_by("order")
    )


def indicator_achievement(*, year: int, quarter: int) -> tuple[dict, list]:
    """달성률 of every indicator with a target this year: actual (latest approved value of the
    year so far) ÷ target, or target ÷ actual where lower is better; capped at 999%."""
    indicators = _indicators_with_rates(year=year, quarter=quarter)
    summary = indicators.aggregate(
        with_target=Count("pk"),
        reported=Count("pk", filter=Q(actual__isnull=False)),
        average=Avg("rate"),
        met=Count("pk", filter=Q(rate__gte=100)),
        fair=Count("pk", filter=Q(rate__gte=70, rate__lt=100)),
        short=Count("pk", filter=Q(rate__lt=70)),
    )
    weakest = list(
        indicators.filter(rate__isnull=False).select_related("project").order_by("rate", "pk")[:10]
    )
    return summary, weakest


def _indicators_with_rates(*, year: int, quarter: int) -> QuerySet[Indicator]:
    target = IndicatorTarget.objects.filter(indicator=OuterRef("pk"), year=year)
    actual = IndicatorResult.objects.filter(
        indicator=OuterRef("pk"),
        report__state=FilingState.APPROVED,
        report__year=year,
        report__quarter__lte=quarter,
    ).order_by("-report__quarter")
    number = DecimalField(max_digits=20, decimal_places=4)
    hundred = Value(Decimal(100), output_field=number)
    raw_rate = Case(
        When(higher_is_better=True, then=F("actual") * hundred / NullIf(F("target"), 0)),
        default=F("target") * hundred / NullIf(F("actual"), 0),
        output_field=number,
    )
    # Capped with CASE, not LEAST: PostgreSQL's LEAST skips NULLs (no actual yet) and would
    # turn them into the cap.
    capped = Case(
        When(raw_rate__gt=RATE_CAP, then=Value(RATE_CAP, output_field=number)),
        default=F("raw_rate"),
        output_field=number,
    )
    return (
        Indicator.objects.annotate(
            target=Subquery(target.values("value")[:1]),
            actual=Subquery(actual.values("value")[:1]),
        )
        .filter(target__isnull=False)
        .annotate(raw_rate=raw_rate)
        .annotate(rate=capped)
    )


def indicator_rows(*, year: int, quarter: int) -> QuerySet[Indicator]:
    """Every indicator with a target this year, with its actual and 달성률 (as above)."""
    return (
        _indicators_with_rates(year=year, quarter=quarter)
        .select_related("project")
        .order_by("project__code", "order", "pk")
    )


@dataclass
class Grid:
    """Projects (or, for a large plan, tasks) × quarters of the whole plan period."""

    quarters: list  # (year, quarter)
    rows: list  # (label, code or None, cells) — a cell is a report, or a status count dict
    by_task: bool
    project_count: int


def status_grid(*, plan: Plan, page_projects: list[Project] | None = None) -> Grid:
    quarters = [(y, q) for y in plan.years for q in range(1, 5)]
    project_count = Project.objects.filter(task__direction__plan=plan).count()
    if page_projects is None and project_count > GRID_PROJECT_LIMIT:
        counts: dict = {}
        for row in (
            ProgressReport.objects.filter(
                state=FilingState.APPROVED, project__task__direction__plan=plan
            )
            .values("project__task", "year", "quarter", "status")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            cell = counts.setdefault((row["project__task"], row["year"], row["quarter"]), {})
            cell[row["status"]] = row["n"]
        tasks = Task.objects.filter(direction__plan=plan).order_by("number")
        rows = [
            (task.name, task.code, [counts.get((task.pk, y, q), {}) for y, q in quarters])
            for task in tasks
        ]
        return Grid(quarters, rows, True, project_count)
    projects = page_projects
    if projects is None:
        projects = list(Project.objects.filter(task__direction__plan=plan).order_by("code"))
    reports = {
        (r.project_id, r.year, r.quarter): r
        for r in ProgressReport.objects.filter(project__in=[p.pk for p in projects]).only(
            "project_id", "year", "quarter", "state", "status"
        )
    }
    rows = [(p.name, p.code, [reports.get((p.pk, y, q)) for y, q in quarters]) for p in projects]
    return Grid(quarters, rows, False, project_count)


def public_projects(*, plan: Plan, year: int, quarter: int) -> list[Project]:
    """Projects for the citizens' page: approved figures only (see with_period_figures)."""
    return list(
        with_period_figures(
            Project.objects.filter(task__direction__plan=plan), year=year, quarter=quarter
        )
        .select_related("task", "lead_department")
        .annotate(
            public_status=Subquery(
                ProgressReport.objects.filter(
                    Q(year__lt=year) | Q(year=year, quarter__lte=quarter),
                    project=OuterRef("pk"),
                    state=FilingState.APPROVED,
                )
                .order_by("-year", "-quarter")
                .values("status")[:1]
            )
        )
        .order_by("code")
    )


def data_version() -> str:
    """Changes whenever anything a page of approved data shows is saved or deleted, and only
    then: departments saving drafts all day long leave it alone (see projects.changes). One
    query on a small table."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {DataChange._meta.db_table}")  # noqa: S608
        last, count = cursor.fetchone()
    return f"{last or 0}-{count}"
