"""The rules every figure follows: approved data as of a quarter, rates, the period shown."""

from datetime import date
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    DecimalField,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from strategies.models import Plan

from ..choices import FilingState, FundingSource, Origin
from ..models import (
    DataVersion,
    ProgressReport,
    Project,
    ReportingPeriod,
    quarter_start,
)


def active_plan() -> Plan | None:
    return Plan.objects.filter(is_active=True).order_by("-start_year").first()


def approved_as_of(year: int | None = None, quarter: int | None = None) -> QuerySet:
    """Approved reports up to and including (year, quarter); every approved report when no
    period is given. What every figure of approved data is drawn from."""
    reports = ProgressReport.objects.filter(state=FilingState.APPROVED)
    if year is None:
        return reports
    return reports.filter(Q(year__lt=year) | Q(year=year, quarter__lte=quarter))


def latest_approved_report(
    year: int | None = None, quarter: int | None = None, *, field: str = "pk", project="pk"
) -> Subquery:
    """One field (the id by default) of a project's latest approved report up to (year,
    quarter): one subquery, correlated to the outer query's `project` column."""
    reports = approved_as_of(year, quarter).filter(project=OuterRef(project))
    return Subquery(reports.order_by("-year", "-quarter").values(field)[:1])


def progress_as_of(year: int, quarter: int):
    """A project's 진척률 as of the quarter (0 without an approved report), for a query that
    reads nothing else of that report: one subquery is cheaper there than a join."""
    return decimal_or_zero(latest_approved_report(year, quarter, field="progress"))


def with_approved_as_of(
    projects: QuerySet[Project], year: int | None = None, quarter: int | None = None, *, name: str
) -> QuerySet[Project]:
    """Join each project's latest approved report up to (year, quarter) as the relation `name`
    (`<name>__status`, `<name>__progress`, …): the report is found once per project, by one
    subquery for its id, however many of its fields a page reads. (A query that reads one
    field only is cheaper with that field's subquery: see progress_as_of.)"""
    return projects.annotate(
        **{
            name: FilteredRelation(
                "reports", condition=Q(reports__pk=latest_approved_report(year, quarter))
            )
        }
    )


def with_latest_approved_report(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate each project with its latest approved report's status, progress and quarter."""
    return with_approved_as_of(projects, name="latest_approved").annotate(
        latest_status=F("latest_approved__status"),
        latest_progress=F("latest_approved__progress"),
        latest_year=F("latest_approved__year"),
        latest_quarter=F("latest_approved__quarter"),
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


RATE_CAP = Decimal(999)


def rate(part, whole) -> Decimal | None:
    """part ÷ whole in % (None when there is no whole): the submission rate, for one."""
    return Decimal(part) * 100 / Decimal(whole) if whole else None


def weighted_average(total, weight) -> Decimal:
    return (Decimal(total) / Decimal(weight)) if weight else Decimal(0)


def execution_rate(spent, budget) -> Decimal | None:
    """집행률 in %: spent ÷ the year's budget; None without a budget or without spending
    reported (an approved report)."""
    return None if spent is None else rate(spent, budget)


def achievement_rate(actual, target, *, higher_is_better: bool) -> Decimal | None:
    """달성률 in %: actual ÷ target, or target ÷ actual where lower is better; capped at 999."""
    if actual is None or target is None:
        return None
    numerator, denominator = (actual, target) if higher_is_better else (target, actual)
    if denominator == 0:
        return RATE_CAP if numerator > 0 else None
    return min(Decimal(numerator) / Decimal(denominator) * 100, RATE_CAP)


# Filed, for 미제출 counts and reminders: a filing waiting for its department head's sign-off
# counts (staff sent it on time; the head is mailed of it and the 내 업무 page lists it).
FILED_STATES = [FilingState.SIGNOFF, FilingState.SUBMITTED, FilingState.APPROVED]


def reporting_period(year: int, quarter: int) -> ReportingPeriod | None:
    """The period of (year, quarter) with its deadline extensions, if it exists."""
    return (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=year, quarter=quarter)
        .first()
    )


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


def decimal_or_zero(expression):
    return Coalesce(
        expression, Value(Decimal(0)), output_field=DecimalField(max_digits=20, decimal_places=2)
    )


def whole_or_zero(expression):
    return Coalesce(expression, Value(0), output_field=BigIntegerField())


def with_period_state(projects: QuerySet[Project], *, year: int, quarter: int) -> QuerySet:
    """Annotate projects with the chosen period's report state and, once approved, status."""
    return projects.annotate(
        period_report=FilteredRelation(
            "reports", condition=Q(reports__year=year, reports__quarter=quarter)
        )
    ).annotate(
        period_state=F("period_report__state"),
        period_status=Case(
            When(period_report__state=FilingState.APPROVED, then=F("period_report__status")),
            default=None,
        ),
    )


def with_period_figures(projects: QuerySet[Project], *, year: int, quarter: int) -> QuerySet:
    """with_period_state, and each project's latest approved status and progress up to the
    quarter, and the year's budget (approved plan) and spending.

    Spending is cumulative for the year, so it is the latest approved report's when that
    report is of this year, and nothing yet when it is older. `plan_approved`: whether the
    year's plan is approved; a total (집행률 of a task, a source, the plan) counts the spending
    of those projects only, beside the budgets it counts. The period's report, the year's
    approved plan and the latest approved report are one row each at most: joined, not looked
    up column by column."""
    projects = with_approved_as_of(projects, year, quarter, name="approved_asof")
    return (
        with_period_state(projects, year=year, quarter=quarter)
        .annotate(
            approved_plan=FilteredRelation(
                "plans", condition=Q(plans__year=year, plans__state=FilingState.APPROVED)
            )
        )
        .annotate(
            # Whether its spending counts in a total's 집행률: only beside its counted budget.
            plan_approved=Q(approved_plan__id__isnull=False),
            status_asof=F("approved_asof__status"),
            progress_asof=decimal_or_zero(F("approved_asof__progress")),
            **{
                f"budget_{s}_year": whole_or_zero(F(f"approved_plan__budget_{s}"))
                for s in FundingSource.values
            },
            **{
                f"spent_{s}_asof": whole_or_zero(
                    Case(When(approved_asof__year=year, then=F(f"approved_asof__spent_{s}")))
                )
                for s in FundingSource.values
            },
        )
    )


# --- Which projects count in a period ---------------------------------------------------------
#
# A project runs in a quarter when the quarter's year is within its start_year..end_year and
# it has not ended before the quarter begins: a project ended (중단, 폐지, 통합) on `ended_on`
# counts in every quarter that begins before that date, so the report of the quarter it ended
# in is still owed and counted, and no quarter after. Without a quarter, "in the year" means
# in its first quarter: a project ended during 2025 owes its 2025 plan, none for 2026. A
# project added mid-plan (from a committee proposal) starts with its start_year. Earlier
# quarters' figures are unchanged by an end: the rule only looks at the quarter asked for.
# Project.counts_in is the same rule for one project in Python.


def not_ended_before(year: int, quarter: int | None = None, *, prefix: str = "") -> Q:
    begins = quarter_start(year, quarter or 1)
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": begins})


def running_in(year: int, quarter: int | None = None, *, prefix: str = "") -> Q:
    """The filter of projects (through `prefix`, e.g. "project__") running in the quarter:
    the ones owing filings and counted in its counts, rates, budgets and 미제출."""
    return Q(**{f"{prefix}start_year__lte": year, f"{prefix}end_year__gte": year}) & (
        not_ended_before(year, quarter, prefix=prefix)
    )


def in_plan_as_of(year: int, quarter: int | None = None) -> Q:
    """The filter of projects that belong to the plan as of the quarter: what the progress
    roll-up averages over and the project tables of a period list. The plan's own projects
    count from the plan's start (one not started yet is 0% of the plan's progress); a project
    added mid-plan from its start_year; an ended one not after its end."""
    return not_ended_before(year, quarter) & (Q(origin=Origin.PLAN) | Q(start_year__lte=year))


def running_projects(
    *, plan: Plan | None, year: int, quarter: int | None = None
) -> QuerySet[Project]:
    """The plan's projects that run in the quarter (running_in): the ones the dashboard and
    the workbook count."""
    return Project.objects.filter(running_in(year, quarter), task__direction__plan=plan)


def data_version() -> str:
    """The current data version, for keys of cached pages: it changes after every committed
    change of anything such a page can show (models.versions), in one query on one row."""
    return DataVersion.key()
