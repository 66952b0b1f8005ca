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

from ..choices import FilingState, FundingSource
from ..models import (
    DataVersion,
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


def achievement_rate(actual, target, *, higher_is_better: bool) -> Decimal | None:
    """달성률 in %: actual ÷ target, or target ÷ actual where lower is better; capped at 999."""
    if actual is None or target is None:
        return None
    numerator, denominator = (actual, target) if higher_is_better else (target, actual)
    if denominator == 0:
        return RATE_CAP if numerator > 0 else None
    return min(Decimal(numerator) / Decimal(denominator) * 100, RATE_CAP)


FILED_STATES = [FilingState.SUBMITTED, FilingState.APPROVED]


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
        progress_asof=decimal_or_zero(Subquery(up_to.values("progress")[:1])),
        **{
            f"budget_{s}_year": whole_or_zero(F(f"approved_plan__budget_{s}"))
            for s in FundingSource.values
        },
        **{
            f"spent_{s}_asof": whole_or_zero(Subquery(in_year.values(f"spent_{s}")[:1]))
            for s in FundingSource.values
        },
    )


def weighted_average(total, weight) -> Decimal:
    return (Decimal(total) / Decimal(weight)) if weight else Decimal(0)


def rate(part, whole) -> Decimal | None:
    return Decimal(part) * 100 / Decimal(whole) if whole else None


def running_projects(*, plan: Plan | None, year: int) -> QuerySet[Project]:
    """The plan's projects that run in `year`: the ones the dashboard and the workbook count."""
    return Project.objects.filter(
        task__direction__plan=plan, start_year__lte=year, end_year__gte=year
    )


def data_version() -> str:
    """The current data version, for keys of cached pages: it changes after every committed
    change of anything such a page can show (models.versions), in one query on one row."""
    return DataVersion.key()
