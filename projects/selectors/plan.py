"""Reads for the plan tree, the project list and page, and the citizens' page."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber

from strategies.models import Direction, Plan, Task

from ..choices import FilingState
from ..models import (
    Comment,
    ImplementationPlan,
    Indicator,
    IndicatorResult,
    Project,
)
from .figures import (
    achievement_rate,
    execution_rate,
    with_latest_approved_report,
    with_period_figures,
)
from .history import project_history
from .plan_changes import original_plans


@dataclass(frozen=True)
class PlanTree:
    plan: Plan
    phases: list
    directions: list[Direction]
    project_count: int
    task_count: int


def plan_tree(*, plan: Plan, projects_per_task: int | None = None) -> PlanTree:
    """The whole plan for the tree page in a fixed number of queries, whatever its size.

    Each task carries `project_total` and its projects as `shown_projects`: with
    `projects_per_task`, only that many (the first by code; the page links to the others)."""
    projects = with_latest_approved_report(
        Project.objects.select_related("lead_department").prefetch_related("phases")
    ).order_by("code")
    if projects_per_task is not None:
        # The first projects of each task, chosen (in a query of their own) before their
        # figures are computed: as a subquery, the database joined every project's latest
        # report first and kept a few of them after.
        place = Window(RowNumber(), partition_by=F("task_id"), order_by=F("code").asc())
        first = Project.objects.annotate(place=place).filter(place__lte=projects_per_task)
        projects = projects.filter(pk__in=list(first.values_list("pk", flat=True)))
    tasks = (
        Task.objects.order_by("order")
        .annotate(project_total=Count("projects"))
        .prefetch_related(Prefetch("projects", projects, to_attr="shown_projects"))
    )
    directions = list(plan.directions.order_by("order").prefetch_related(Prefetch("tasks", tasks)))
    all_tasks = [task for direction in directions for task in direction.tasks.all()]
    return PlanTree(
        plan=plan,
        phases=list(plan.phases.order_by("order")),
        directions=directions,
        task_count=len(all_tasks),
        project_count=sum(task.project_total for task in all_tasks),
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
    original: object = None  # 당초 (selectors.plan_changes.Original) when a change revised it
    # Whether the project counts in each quarter (Project.counts_in): not after its end.
    counted: tuple[bool, ...] = (True, True, True, True)

    @property
    def budget(self) -> int | None:
        return self.plan.budget_total if self.plan else None

    @property
    def cells(self) -> list[tuple[int, object, bool]]:
        """(quarter, report or None, counted) for quarters 1..4."""
        pairs = zip(self.quarters, self.counted, strict=True)
        return [(q, r, c) for q, (r, c) in enumerate(pairs, start=1)]


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
    originals = original_plans(list(plans.values()))
    timeline = []
    for year in years:
        quarters = [reports.get((year, q)) for q in range(1, 5)]
        approved = [r for r in quarters if r and r.state == FilingState.APPROVED]
        spent = approved[-1].spent_total if approved else None
        plan_of_year = plans.get(year)
        budget = plan_of_year.budget_total if plan_of_year else None
        original = originals.get(plan_of_year.pk) if plan_of_year else None
        rate = execution_rate(spent, budget)
        counted = tuple(project.counts_in(year, q) for q in range(1, 5))
        timeline.append(YearRow(year, plan_of_year, quarters, spent, rate, original, counted))
    # The actual of a year is the value in that year's latest approved report.
    actuals: dict[tuple[int, int], Decimal] = {}
    for indicator_id, year, value in (
        IndicatorResult.objects.filter(report__project=project, report__state=FilingState.APPROVED)
        .order_by("report__year", "report__quarter")
        .values_list("indicator_id", "report__year", "value")
    ):
        actuals[indicator_id, year] = value
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
    return {
        "years": years,
        "timeline": timeline,
        "changed_years": [row for row in timeline if row.original is not None],
        "indicators": indicators,
        "comments": list(comments),
        "history": project_history(project=project),
    }


def public_projects(
    *, plan: Plan, year: int, quarter: int, page_projects: list[Project] | None = None
) -> list[Project]:
    """Projects for the citizens' page: approved figures only (see with_period_figures);
    only `page_projects` when given (a page of them)."""
    projects = Project.objects.filter(task__direction__plan=plan)
    if page_projects is not None:
        projects = projects.filter(pk__in=[project.pk for project in page_projects])
    return list(
        with_period_figures(projects, year=year, quarter=quarter)
        .select_related("task", "lead_department")
        .annotate(public_status=F("status_asof"))
        .order_by("code")
    )


PART_PROJECTS = 50  # a task's page lists this many of its projects, then links to the list


@dataclass(frozen=True)
class PlanPart:
    """A direction or a task of the plan, for its own page."""

    level: str  # "direction" or "task"
    obj: Direction | Task
    direction: Direction
    tasks: list[Task]  # a direction's tasks (with project_total); empty for a task
    projects: list[Project]  # a task's first PART_PROJECTS, with their latest approved report
    scope: QuerySet[Project]  # every project below it, for its trend


def plan_part(*, plan: Plan, code: str) -> PlanPart | None:
    """The direction numbered `code` ("2") or the task coded `code` ("2-1") of the plan."""
    if "-" in code:
        task = Task.objects.select_related("direction").filter(direction__plan=plan, code=code)
        task = task.first()
        if task is None:
            return None
        scope = Project.objects.filter(task=task)
        projects = with_latest_approved_report(scope.select_related("lead_department"))
        shown = list(projects.order_by("code")[:PART_PROJECTS])
        return PlanPart("task", task, task.direction, [], shown, scope)
    direction = plan.directions.filter(code=code).first()
    if direction is None:
        return None
    tasks = list(direction.tasks.order_by("order").annotate(project_total=Count("projects")))
    scope = Project.objects.filter(task__direction=direction)
    return PlanPart("direction", direction, direction, tasks, [], scope)
