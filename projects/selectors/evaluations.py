"""The year-end evaluation (연차평가): one project's evaluation with the year's figures beside it,
the year's table by direction and by department, and the years a project was evaluated.

What others read follows the approved-data rule of the workbook: a department's proposed
grade once it submitted its self-evaluation, the grade once given; never a draft."""

from dataclasses import dataclass, field

from django.db.models import Case, F, FilteredRelation, Max, Q, QuerySet, When
from django.utils import timezone

from strategies.models import Plan

from ..choices import GRADE_CRITERIA, Grade
from ..models import Evaluation, Project, ReportingPeriod
from .figures import dashboard_period, running_projects
from .history import BOOKKEEPING, versions
from .trends import TrendPoint, trend


def grade_criteria() -> list[tuple[str, str, str]]:
    """(value, label, what it means) of each grade, as the pages and the PDF show them."""
    return [(grade.value, str(grade.label), str(meaning)) for grade, meaning in GRADE_CRITERIA]


def evaluation_of(*, project: Project, year: int) -> Evaluation | None:
    return (
        Evaluation.objects.select_related("submitted_by", "graded_by", "returned_by")
        .filter(project=project, year=year)
        .first()
    )


def year_figures(*, plan: Plan, project: Project, year: int) -> TrendPoint | None:
    """The project's figures of the year as the trends show them (진척률, 성과지표 달성률,
    집행률 of approved data): its latest quarter of that year so far, None before the year."""
    points = trend(plan=plan, projects=Project.objects.filter(pk=project.pk))
    in_year = [point for point in points if point.year == year]
    return in_year[-1] if in_year else None


def evaluation_years(plan: Plan) -> list[int]:
    """The plan's years up to this one, latest first (the table's year chooser)."""
    this_year = timezone.localdate().year
    return [year for year in reversed(plan.years) if year <= this_year] or [plan.start_year]


def default_evaluation_year(plan: Plan) -> int:
    """The latest year with a grade given; else with a self-evaluation submitted; else the
    latest whose Q4 period has opened; else the dashboard's year (within the plan)."""
    latest = Evaluation.objects.filter(project__task__direction__plan=plan).aggregate(
        graded=Max("year", filter=~Q(grade="")),
        submitted=Max("year", filter=Q(submitted_at__isnull=False)),
    )
    year = latest["graded"] or latest["submitted"]
    if year is None:
        opened = ReportingPeriod.objects.filter(quarter=4, opens_on__lte=timezone.localdate())
        year = opened.aggregate(year=Max("year"))["year"] or dashboard_period(None, None)[0]
    return min(max(year, plan.start_year), plan.end_year)


def with_evaluation(projects: QuerySet[Project], *, year: int) -> QuerySet[Project]:
    """Annotate projects with their evaluation of `year` as others may read it: `evaluation_id`,
    `submitted_at`, `proposed_grade` (once submitted), `grade` and `grade_comment` (once
    given); one join."""
    submitted = Q(year_evaluation__submitted_at__isnull=False)
    return projects.annotate(
        year_evaluation=FilteredRelation("evaluations", condition=Q(evaluations__year=year))
    ).annotate(
        evaluation_id=F("year_evaluation__pk"),
        evaluation_submitted_at=F("year_evaluation__submitted_at"),
        proposed_grade=Case(
            When(submitted, then=F("year_evaluation__proposed_grade")), default=None
        ),
        grade=F("year_evaluation__grade"),
        grade_comment=F("year_evaluation__grade_comment"),
    )


@dataclass
class GradeCounts:
    """How one direction's or department's projects were evaluated in a year."""

    label: str
    projects: int = 0
    submitted: int = 0
    by_grade: dict = field(default_factory=lambda: dict.fromkeys(Grade.values, 0))
    ungraded: int = 0

    def add(self, project: Project) -> None:
        self.projects += 1
        self.submitted += project.evaluation_submitted_at is not None
        if project.grade:
            self.by_grade[project.grade] += 1
        else:
            self.ungraded += 1

    @property
    def excellent(self) -> int:
        return self.by_grade[Grade.EXCELLENT]

    @property
    def fair(self) -> int:
        return self.by_grade[Grade.FAIR]

    @property
    def poor(self) -> int:
        return self.by_grade[Grade.POOR]


@dataclass
class EvaluationTable:
    """A year's evaluations: one row per project running that year (by code), the counts per
    direction and per department, and the plan's total."""

    year: int
    rows: list  # Project, annotated by with_evaluation, task and department loaded
    by_direction: list  # GradeCounts, by the directions' order
    by_department: list  # GradeCounts, by department name
    total: GradeCounts

    @property
    def poor(self) -> list:
        return [p for p in self.rows if p.grade == Grade.POOR]


def evaluation_table(*, plan: Plan, year: int) -> EvaluationTable:
    """The year's evaluation table: one query for the projects with their evaluations."""
    rows = list(
        with_evaluation(running_projects(plan=plan, year=year), year=year)
        .select_related("task__direction", "lead_department")
        .order_by("code")
    )
    directions: dict[int, tuple] = {}
    departments: dict[int, GradeCounts] = {}
    total = GradeCounts(label="")
    for project in rows:
        project.proposed_grade_label = (
            Grade(project.proposed_grade).label if project.proposed_grade else ""
        )
        direction = project.task.direction
        key = (direction.order, direction.pk)
        directions.setdefault(key, GradeCounts(label=str(direction))).add(project)
        department = project.lead_department
        departments.setdefault(department.pk, GradeCounts(label=department.name)).add(project)
        total.add(project)
    return EvaluationTable(
        year=year,
        rows=rows,
        by_direction=[directions[key] for key in sorted(directions)],
        by_department=sorted(departments.values(), key=lambda counts: counts.label),
        total=total,
    )


def project_evaluations(*, project: Project) -> list[tuple[int, Evaluation | None]]:
    """The project's years so far (within its plan) with each year's evaluation, if any,
    latest first: one query."""
    plan = project.task.direction.plan
    this_year = timezone.localdate().year
    years = [year for year in plan.years if project.counts_in(year) and year <= this_year]
    found = {e.year: e for e in Evaluation.objects.filter(project=project, year__in=years)}
    return [(year, found.get(year)) for year in reversed(years)]


# What an evaluation's history lists beside who and when: what was written and decided.
EVALUATION_NOT_SHOWN = BOOKKEEPING | {"project", "year", "edited_by", "submitted_at",
                                      "returned_at", "graded_at"}  # fmt: skip


def evaluation_history(evaluation: Evaluation, *, limit: int) -> list:
    """The evaluation's versions, newest first, each with what it changed (one query)."""
    return versions(evaluation.history, model=Evaluation, limit=limit,
                    excluded=EVALUATION_NOT_SHOWN)  # fmt: skip
