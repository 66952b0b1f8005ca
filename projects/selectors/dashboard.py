"""The committee dashboard's figures."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from strategies.models import Phase, Plan, Task

from ..choices import FilingState, FundingSource, ProjectStatus
from ..models import (
    ImplementationPlan,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from ..numbers import million_won
from .figures import (
    FILED_STATES,
    active_plan,
    execution_rate,
    in_plan_as_of,
    progress_as_of,
    rate,
    reporting_period,
    running_projects,
    weighted_average,
    with_period_figures,
    with_period_state,
)
from .indicators import indicator_achievement
from .meeting import days_late
from .plan_changes import original_budget_by_source

# --- The committee dashboard -----------------------------------------------------------------
#
# Figures use approved data only. Progress (진척률) of a project is its latest approved
# cumulative progress up to the chosen quarter (0 when it has none); a task's is the weighted
# average of its projects, a direction's of its tasks, the plan's of its directions.


GRID_PROJECT_LIMIT = 100  # above this, the grid rolls up to tasks × quarters
NOT_FILED_SHOWN = 50


@dataclass
class RollupRow:
    """One task, direction or the plan, with its weighted progress."""

    obj: object
    progress: Decimal
    projects: int
    children: list = field(default_factory=list)


def project_progress(*, plan: Plan, year: int, quarter: int) -> dict[int, tuple]:
    """Each project of the plan as of the quarter (in_plan_as_of): id → (task id, weight,
    진척률 as of the quarter), in one query.
    The task, direction, plan and phase figures are all sums over these."""
    rows = (
        Project.objects.filter(in_plan_as_of(year, quarter), task__direction__plan=plan)
        .order_by()
        .values_list("pk", "task_id", "weight", progress_as_of(year, quarter))
    )
    return {pk: (task, weight, progress) for pk, task, weight, progress in rows}


def plan_directions(plan: Plan) -> list:
    """The plan's directions with their tasks, in order: what progress_rollup rolls up to."""
    return list(
        plan.directions.order_by("order").prefetch_related(
            Prefetch("tasks", Task.objects.order_by("order"))
        )
    )


def progress_rollup(
    *,
    plan: Plan,
    year: int,
    quarter: int,
    progress: dict[int, tuple] | None = None,
    directions: list | None = None,
) -> RollupRow:
    """Weighted progress of every task, direction and of the plan (from `progress`, as
    project_progress gives it, and `directions`, as plan_directions gives them, when the
    caller has them already)."""
    if progress is None:
        progress = project_progress(plan=plan, year=year, quarter=quarter)
    if directions is None:
        directions = plan_directions(plan)
    per_task: dict = {}
    for task, weight, value in progress.values():
        row = per_task.setdefault(task, {"weight_sum": 0, "weighted": 0, "projects": 0})
        row["weight_sum"] += weight
        row["weighted"] += weight * value
        row["projects"] += 1
    rows = []
    for direction in directions:
        tasks = []
        for task in direction.tasks.all():
            row = per_task.get(task.pk, {"weight_sum": 0, "weighted": 0, "projects": 0})
            average = weighted_average(row["weighted"], row["weight_sum"])
            tasks.append(RollupRow(task, average, row["projects"]))
        rows.append(
            RollupRow(
                direction,
                weighted_average(sum(t.obj.weight * t.progress for t in tasks if t.projects),
                          sum(t.obj.weight for t in tasks if t.projects)),
                sum(t.projects for t in tasks),
                tasks,
            )
        )  # fmt: skip
    counted = [d for d in rows if d.projects]
    overall = weighted_average(
        sum(d.obj.weight * d.progress for d in counted), sum(d.obj.weight for d in counted)
    )
    return RollupRow(plan, overall, sum(d.projects for d in rows), rows)


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
    # 당초 of the budget per source and "total", when approved plan changes moved it (else None)
    budget_original: dict | None = None
    unplanned: "Unplanned | None" = None  # spending left out of 집행률 (unplanned_spending)

    @property
    def submission_rate(self) -> Decimal | None:
        return rate(self.filed, self.running)


def dashboard(*, year: int, quarter: int) -> Dashboard:
    """Every figure of the committee dashboard, in a fixed number of queries."""
    plan = active_plan()
    period = reporting_period(year, quarter)
    running = running_with_state(plan=plan, year=year, quarter=quarter)
    status_counts, departments = filing_counts(running, period)
    not_filed_qs = running.filter(Q(period_state__isnull=True) | ~Q(period_state__in=FILED_STATES))
    not_filed = list(
        not_filed_qs.select_related("lead_department").order_by("code")[:NOT_FILED_SHOWN]
    )
    filed = sum(d["filed"] for d in departments)
    budget = budget_by_source(plan, year=year, quarter=quarter)
    indicators, weakest = indicator_achievement(year=year, quarter=quarter)
    progress = project_progress(plan=plan, year=year, quarter=quarter)
    phases = _phase_breakdown(plan, progress)
    return Dashboard(
        year=year,
        quarter=quarter,
        period=period,
        rollup=progress_rollup(plan=plan, year=year, quarter=quarter, progress=progress),
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
        budget_original=original_budget_by_source(plan=plan, year=year, budget=budget),
        unplanned=unplanned_spending(plan, year=year, quarter=quarter),
    )


@dataclass
class Headline:
    """The quarter's figures at the head of the meeting documents (the workbook's 요약 and the
    PDF), as the dashboard counts them."""

    rollup: RollupRow
    status_counts: list  # as Dashboard.status_counts
    running: int
    filed: int
    budget: list  # as Dashboard.budget
    indicators: dict  # as Dashboard.indicators
    weakest: list = field(default_factory=list)  # as Dashboard.weakest, when asked for
    budget_original: dict | None = None  # as Dashboard.budget_original
    unplanned: "Unplanned | None" = None  # as Dashboard.unplanned

    @property
    def submission_rate(self) -> Decimal | None:
        return rate(self.filed, self.running)


def headline(*, plan: Plan, year: int, quarter: int, weakest: int = 0) -> Headline:
    """The meeting documents' headline figures, from the dashboard's own selectors; with
    `weakest`, that many of the lowest indicators too (indicator_achievement, once)."""
    running = running_with_state(plan=plan, year=year, quarter=quarter)
    status_counts, departments = filing_counts(running, reporting_period(year, quarter))
    budget = budget_by_source(plan, year=year, quarter=quarter)
    indicators, lowest = indicator_achievement(year=year, quarter=quarter, lowest=weakest)
    return Headline(
        rollup=progress_rollup(plan=plan, year=year, quarter=quarter),
        status_counts=status_counts,
        running=sum(d["running"] for d in departments),
        filed=sum(d["filed"] for d in departments),
        budget=budget,
        indicators=indicators,
        weakest=lowest,
        budget_original=original_budget_by_source(plan=plan, year=year, budget=budget),
        unplanned=unplanned_spending(plan, year=year, quarter=quarter),
    )


def running_with_state(*, plan: Plan | None, year: int, quarter: int) -> QuerySet[Project]:
    """The running projects with the period's report state and status (with_period_state)."""
    return with_period_state(
        running_projects(plan=plan, year=year, quarter=quarter), year=year, quarter=quarter
    ).order_by()


def filing_counts(running: QuerySet[Project], period: ReportingPeriod | None):
    """Status counts and each department's filing figures, from one query grouped by
    department and the period's report state and status (a few dozen rows at most)."""
    rows = (
        running.values("lead_department", "lead_department__name", "period_state", "period_status")
        .annotate(n=Count("pk"))
        .order_by("lead_department__name", "lead_department")
    )
    by_status: dict = {}
    by_department: dict = {}
    for row in rows:
        by_status[row["period_status"]] = by_status.get(row["period_status"], 0) + row["n"]
        department = by_department.setdefault(
            row["lead_department"],
            {"id": row["lead_department"], "name": row["lead_department__name"],
             "running": 0, "filed": 0},
        )  # fmt: skip
        department["running"] += row["n"]
        if row["period_state"] in FILED_STATES:
            department["filed"] += row["n"]
    status_counts = [(s.value, s.label, by_status.get(s.value, 0)) for s in ProjectStatus]
    status_counts.append(("", _("승인된 실적 없음"), by_status.get(None, 0)))
    today = timezone.localdate()
    departments = list(by_department.values())  # in the database's order of names
    for department in departments:
        deadline = period.deadline_for(department["id"]) if period else None
        missing = department["running"] - department["filed"]
        late = days_late(deadline, today) if missing else 0
        department.update(missing=missing, deadline=deadline, days_late=late)
    return status_counts, departments


def budget_by_source(plan: Plan, *, year: int, quarter: int) -> list[tuple]:
    """(source, label, budget, spent, 집행률) per funding source and in total: the running
    projects' approved plans of the year, and what the latest approved report of the year up
    to the quarter of those same projects says was spent (as with_period_figures: spending is
    cumulative for the year, so an older report counts nothing)."""
    running = running_projects(plan=plan, year=year, quarter=quarter).values("pk")
    budgets = ImplementationPlan.objects.filter(
        project__in=running, year=year, state=FilingState.APPROVED
    ).aggregate(**{s: Sum(f"budget_{s}") for s in FundingSource.values})
    approved = ProgressReport.objects.filter(
        year=year, quarter__lte=quarter, state=FilingState.APPROVED
    )
    # Correlated on the project already: repeating the project filter inside makes SQLite
    # evaluate it once per report (seconds at 100× the data).
    later = approved.filter(project=OuterRef("project"), quarter__gt=OuterRef("quarter"))
    # Spending beside a budget: of the projects whose plan of the year is approved (a
    # project's spending without one made a task's 집행률 287%).
    planned = ImplementationPlan.objects.filter(
        project=OuterRef("project"), year=year, state=FilingState.APPROVED
    )
    spending = (
        approved.filter(project__in=running)
        .filter(~Exists(later), Exists(planned))
        .aggregate(**{s: Sum(f"spent_{s}") for s in FundingSource.values})
    )
    budget = []
    for source in FundingSource:
        b, s = budgets[source.value] or 0, spending[source.value] or 0
        budget.append((source.value, source.label, b, s, execution_rate(s, b)))
    b_total, s_total = sum(r[2] for r in budget), sum(r[3] for r in budget)
    budget.append(("total", _("합계"), b_total, s_total, execution_rate(s_total, b_total)))
    return budget


@dataclass(frozen=True)
class Unplanned:
    """Spending left out of 집행률 (unplanned_spending): the projects, by code, each with
    `spent` in won."""

    year: int
    projects: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.projects)

    @property
    def spent(self) -> int:
        return sum(p.spent for p in self.projects)

    def note(self) -> str:
        """What the dashboard, the PDF and the workbook say under the budget table."""
        return _(
            "%(year)s년 시행계획이 승인되지 않은 사업 %(n)d개(%(codes)s)의 집행 "
            "%(amount)s백만원은 견줄 예산이 없어 집행과 집행률에 넣지 않았습니다."
        ) % {
            "year": self.year,
            "n": len(self.projects),
            "codes": ", ".join(p.code for p in self.projects),
            "amount": million_won(self.spent),
        }


def unplanned_spending(plan: Plan, *, year: int, quarter: int) -> Unplanned:
    """The running projects whose spending of the year budget_by_source leaves out because
    their plan of the year is not approved (returned, waiting or never filed), with what they
    spent (the year's latest approved report up to the quarter): what a reader of 집행률 is
    told is not in it. Projects that spent nothing are not listed."""
    projects = with_period_figures(
        running_projects(plan=plan, year=year, quarter=quarter), year=year, quarter=quarter
    ).filter(plan_approved=False)
    spent = sum((F(f"spent_{s}_asof") for s in FundingSource.values[1:]),
                F(f"spent_{FundingSource.values[0]}_asof"))  # fmt: skip
    return Unplanned(
        year, list(projects.annotate(spent=spent).filter(spent__gt=0).only("code").order_by("code"))
    )


def _phase_breakdown(plan: Plan, progress: dict[int, tuple]) -> list[dict]:
    """Each phase of the plan with its projects' weighted progress (project_progress)."""
    per_phase: dict = {}
    for project, phase in Project.phases.through.objects.filter(phase__plan=plan).values_list(
        "project_id", "phase_id"
    ):
        if project in progress:
            _task, weight, value = progress[project]
            row = per_phase.setdefault(phase, {"n": 0, "weight_sum": 0, "weighted": 0})
            row["n"] += 1
            row["weight_sum"] += weight
            row["weighted"] += weight * value
    rows = []
    for phase in Phase.objects.filter(plan=plan).order_by("order"):
        row = per_phase.get(phase.pk, {"n": 0, "weight_sum": 0, "weighted": 0})
        average = weighted_average(row["weighted"], row["weight_sum"])
        rows.append({"phase": phase, "projects": row["n"], "progress": average})
    return rows


@dataclass(frozen=True)
class EndedCell:
    """A grid cell of a quarter after its project ended (중단·폐지·통합): owed and counted no
    more. False, as an empty cell is: nothing was filed there."""

    kind: str  # the end's label

    def __bool__(self) -> bool:
        return False


@dataclass
class Grid:
    """Projects (or, for a large plan, tasks) × quarters of the whole plan period."""

    quarters: list  # (year, quarter)
    rows: list  # (label, code or None, cells) — a cell is a report, or a status count dict
    by_task: bool
    project_count: int

    @cached_property
    def has_ended(self) -> bool:
        """Whether a row has quarters after its project ended (the legend then explains them)."""
        return any(isinstance(c, EndedCell) for _label, _code, cells in self.rows for c in cells)

    @cached_property
    def latest_column(self) -> int:
        """The column of the latest quarter anything was filed for (a phone opens the grid
        there and leaves out the quarters after it, which are empty)."""
        filled = (i for _label, _code, cells in self.rows for i, cell in enumerate(cells) if cell)
        return max(filled, default=len(self.quarters) - 1)


def status_grid(*, plan: Plan, page_projects: list[Project] | None = None) -> Grid:
    quarters = [(y, q) for y in plan.years for q in range(1, 5)]
    project_count = Project.objects.filter(task__direction__plan=plan).count()
    if page_projects is None and project_count > GRID_PROJECT_LIMIT:
        tasks = list(Task.objects.filter(direction__plan=plan).order_by("number"))
        counts: dict = {}
        for row in (
            # By the plan's task ids: the only join left is the one to the project's task.
            ProgressReport.objects.filter(
                state=FilingState.APPROVED, project__task__in=[task.pk for task in tasks]
            )
            .values("project__task", "year", "quarter", "status")
            # COUNT(*), not of the id: the partial index on approved reports holds the other
            # columns, so PostgreSQL counts from the index alone (half the time at 100×).
            .annotate(n=Count("*"))
            .order_by()
        ):
            cell = counts.setdefault((row["project__task"], row["year"], row["quarter"]), {})
            cell[row["status"]] = row["n"]
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
    rows = [(p.name, p.code, [_cell(p, reports, y, q) for y, q in quarters]) for p in projects]
    return Grid(quarters, rows, False, project_count)


def _cell(project: Project, reports: dict, year: int, quarter: int):
    """The project's report of the quarter; else, within its years but after its end, an
    EndedCell; else None."""
    report = reports.get((project.pk, year, quarter))
    if (
        report is None
        and project.is_ended
        and project.start_year <= year <= project.end_year
        and not project.counts_in(year, quarter)
    ):
        return EndedCell(project.get_end_kind_display())
    return report
