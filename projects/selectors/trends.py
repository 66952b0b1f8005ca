"""Trends: progress, indicator achievement and budget execution per quarter across the years
so far, for a project, a task or a direction; and this quarter against the same quarter a
year before, for the dashboard.

Approved data only, by the rules in `figures` (approved_as_of, execution_rate,
achievement_rate) and the dashboard's roll-up: a trend's quarter shows what the dashboard of
that quarter shows. Each trend reads its data in a fixed number of queries and works out
every quarter from it, so its cost does not grow with the years or the versions."""

from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from strategies.models import Plan

from ..choices import FilingState, FundingSource
from ..models import (
    ImplementationPlan,
    IndicatorResult,
    IndicatorTarget,
    Project,
    in_plan_then,
    running_then,
)
from ..numbers import to_tenth
from .dashboard import (
    budget_by_source,
    filing_counts,
    plan_directions,
    progress_rollup,
    running_with_state,
)
from .figures import (
    achievement_rate,
    approved_as_of,
    dashboard_period,
    execution_rate,
    rate,
)
from .indicators import indicator_achievement


@dataclass(frozen=True)
class TrendPoint:
    year: int
    quarter: int
    progress: Decimal | None  # 진척률 %
    achievement: Decimal | None  # average 달성률 %
    execution: Decimal | None  # 집행률 %


def quarters_so_far(plan: Plan) -> list[tuple[int, int]]:
    """Every quarter of the plan from its first up to the one the dashboard shows by default
    (the latest already due)."""
    last = min(dashboard_period(None, None), (plan.end_year, 4))
    return [
        (year, quarter) for year in plan.years for quarter in range(1, 5) if (year, quarter) <= last
    ]


def _total(prefix: str):
    fields = [F(f"{prefix}_{source}") for source in FundingSource.values]
    total = fields[0]
    for field in fields[1:]:
        total = total + field
    return total


def _latest_before(rows: dict, key, quarter: int):
    """The value of the latest quarter ≤ `quarter` in rows[key] (a {quarter: value} dict)."""
    by_quarter = rows.get(key, {})
    found = [q for q in by_quarter if q <= quarter]
    return by_quarter[max(found)] if found else None


def trend(
    *, plan: Plan, projects: QuerySet[Project], rollup: tuple[str, int] | None = None
) -> list[TrendPoint]:
    """Each quarter so far for `projects` (one project, or a task's or a direction's).

    - progress: a project's 진척률 as of the quarter (progress_as_of: its latest approved,
      across years; none in a year it does not run); with `rollup` = ("task" | "direction" |
      "plan", id), that weighted roll-up, as the dashboard's progress_rollup;
    - achievement: the average 달성률 of the projects' indicators with a target that year,
      each its latest approved value of the year so far, as the dashboard's;
    - execution: 집행률 of the year so far: the year's latest approved report of each project
      running that year over their approved plans' budgets, as the dashboard's.

    Five queries, whatever the data: the projects, their approved reports (spending and
    progress), approved budgets, targets and approved indicator values."""
    quarters = quarters_so_far(plan)
    scope = list(projects.order_by().values(
        "pk", "task_id", "weight", "origin", "start_year", "end_year", "ended_on"
    ))  # fmt: skip
    ids = [row["pk"] for row in scope]
    # Every approved report of the projects, once: its spending (cumulative for its year) and
    # its progress, from which each quarter's "as of" is worked out here (progress_as_of's
    # rule) rather than by a subquery per quarter.
    approved = list(
        approved_as_of().filter(project__in=ids).order_by("year", "quarter").values_list(
            "project_id", "year", "quarter", _total("spent"), "progress"
        )
    )  # fmt: skip
    spent = _by_quarter(row[:4] for row in approved)
    _progress_columns(scope, quarters, approved)
    budgets = {
        (project, year): total
        for project, year, total in ImplementationPlan.objects.filter(
            project__in=ids, state=FilingState.APPROVED
        ).values_list("project_id", "year", _total("budget"))
    }
    targets = list(
        IndicatorTarget.objects.filter(indicator__project__in=ids)
        .order_by()
        .values_list(
            "indicator_id", "indicator__project_id", "year", "value", "indicator__higher_is_better"
        )
    )
    values = _by_quarter(
        IndicatorResult.objects.filter(
            report__in=approved_as_of().filter(project__in=ids).values("pk")
        )
        .order_by()
        .values_list("indicator_id", "report__year", "report__quarter", "value")
    )
    directions = plan_directions(plan) if rollup else None
    points = []
    for year, quarter in quarters:
        column = f"q{year}_{quarter}"
        running = {
            row["pk"] for row in scope
            if running_then(start_year=row["start_year"], end_year=row["end_year"],
                            ended_on=row["ended_on"], year=year, quarter=quarter)
        }  # fmt: skip
        # Spending beside a budget only (budget_by_source's rule).
        reported = [_as_of(spent, (pk, year), quarter) for pk in running if (pk, year) in budgets]
        reported = [value for value in reported if value is not None]
        rates = [
            achievement_rate(
                _as_of(values, (indicator, year), quarter), target,
                higher_is_better=higher_is_better,
            )
            for indicator, project, target_year, target, higher_is_better in targets
            if target_year == year and project in running
        ]  # fmt: skip
        rates = [value for value in rates if value is not None]
        if rollup is None:
            progress = scope[0][column] if scope and scope[0]["pk"] in running else None
        else:
            in_plan = [
                row for row in scope
                if in_plan_then(origin=row["origin"], start_year=row["start_year"],
                                ended_on=row["ended_on"], year=year, quarter=quarter)
            ]  # fmt: skip
            progress = _rolled(plan, directions, in_plan, column, rollup)
        budget = sum(budgets.get((pk, year), 0) for pk in running)
        # A project says nothing spent before its first approved report of the year (the
        # project page's rule); a roll-up counts it as 0, as the dashboard's budget_by_source.
        spent_total = sum(reported) if reported or rollup else None
        points.append(
            TrendPoint(
                year=year,
                quarter=quarter,
                progress=progress,
                achievement=sum(sorted(rates)) / len(rates) if rates else None,
                execution=execution_rate(spent_total, budget),
            )
        )
    return points


def _by_quarter(rows) -> dict:
    """(key, year, quarter, value) rows as {(key, year): {quarter: value}}."""
    found: dict = {}
    for key, year, quarter, value in rows:
        found.setdefault((key, year), {})[quarter] = value
    return found


def _progress_columns(scope: list[dict], quarters, approved) -> None:
    """Set each scope row's `q<year>_<quarter>` to the project's 진척률 as of that quarter, as
    progress_as_of: its latest approved report up to the quarter, across years; 0 without
    one. `approved`: (project, year, quarter, spent, progress) rows in (year, quarter) order."""
    history: dict = {}
    for project, year, quarter, _spent, progress in approved:
        periods, values = history.setdefault(project, ([], []))
        periods.append((year, quarter))
        values.append(progress)
    for row in scope:
        periods, values = history.get(row["pk"], ((), ()))
        for period in quarters:
            found = bisect_right(periods, period)
            row["q{}_{}".format(*period)] = values[found - 1] if found else Decimal(0)


def _as_of(by_quarter: dict, key, quarter: int):
    """The value of the year's latest quarter up to `quarter` (figures are cumulative for the
    year), or None."""
    quarters = by_quarter.get(key, {})
    earlier = [q for q in quarters if q <= quarter]
    return quarters[max(earlier)] if earlier else None


def _rolled(plan: Plan, directions, scope, column: str, rollup) -> Decimal:
    """The task's or direction's progress as the dashboard rolls it up (progress_rollup), from
    its projects' progress as of the quarter."""
    level, pk = rollup
    progress = {row["pk"]: (row["task_id"], row["weight"], row[column]) for row in scope}
    root = progress_rollup(plan=plan, year=0, quarter=0, progress=progress, directions=directions)
    if level == "plan":
        return root.progress
    nodes = root.children
    if level == "task":
        nodes = [task for direction in nodes for task in direction.children]
    return next(node.progress for node in nodes if node.obj.pk == pk)


@dataclass(frozen=True)
class Comparison:
    """One row of the dashboard's year-over-year table."""

    label: str
    now: Decimal | int | None
    before: Decimal | int | None
    is_rate: bool  # a % (the difference is in percentage points) or a count

    @property
    def difference(self):
        """now − before; for a rate, of the two as shown (to_tenth), so that the difference
        is the one a reader works out from them (50.9 against 53.5: 2.6, not 2.5)."""
        if self.now is None or self.before is None:
            return None
        if self.is_rate:
            return to_tenth(self.now) - to_tenth(self.before)
        return self.now - self.before


def year_over_year(board) -> dict:
    """The dashboard's quarter (`board`, a selectors.Dashboard) beside the same quarter a year
    before, figure by figure, each from the same selector the dashboard uses: `rows` the
    rates and the running projects, `statuses` the count of each status; both empty when the
    year before is outside the plan."""
    plan = board.rollup.obj
    year, quarter = board.year - 1, board.quarter
    if plan is None or year < plan.start_year:
        return {"year": year, "quarter": quarter, "rows": [], "statuses": []}
    running = running_with_state(plan=plan, year=year, quarter=quarter)
    # Without the period: its deadlines only say how late a department is today.
    status_counts, departments = filing_counts(running, None)
    filed, total = (sum(d[key] for d in departments) for key in ("filed", "running"))
    budget = budget_by_source(plan, year=year, quarter=quarter)
    indicators, _none = indicator_achievement(year=year, quarter=quarter, lowest=0)
    # The board's directions and tasks, already loaded: the plan's shape is the same.
    directions = [row.obj for row in board.rollup.children]
    rollup = progress_rollup(plan=plan, year=year, quarter=quarter, directions=directions)
    rows = [
        Comparison(_("계획 전체 진척률"), board.rollup.progress, rollup.progress, True),
        Comparison(_("제출률"), board.submission_rate, rate(filed, total), True),
        Comparison(_("예산 집행률"), board.budget[-1][4], budget[-1][4], True),
        Comparison(
            _("성과지표 평균 달성률"), board.indicators["average"], indicators["average"], True
        ),
        Comparison(_("추진 중인 사업"), board.running, total, False),
    ]
    before = {key: count for key, _label, count in status_counts}
    statuses = [
        Comparison(label, count, before.get(key, 0), False)
        for key, label, count in board.status_counts
    ]
    return {"year": year, "quarter": quarter, "rows": rows, "statuses": statuses}
