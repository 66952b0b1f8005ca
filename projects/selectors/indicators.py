"""Indicator achievement (달성률) as of a quarter: each indicator's latest approved value of
the year against the year's target, for the dashboard, the meeting documents and trends."""

from decimal import Decimal

from django.db.models import F, FilteredRelation, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from ..choices import FilingState
from ..models import Indicator, IndicatorResult
from .figures import achievement_rate, running_in


def indicator_achievement(*, year: int, quarter: int, lowest: int = 10) -> tuple[dict, list]:
    """달성률 of every indicator with a target this year (see indicator_rows): how many there
    are, how many have a result, the average, how many meet (≥100%), nearly meet (70–100%)
    or fall short (<70%) of the target, and the `lowest` (ten) of them as indicator_rows'
    rows (with 0: none, and no query for them). The totals are worked out from plain values;
    only the lowest are loaded as objects."""
    actuals = _latest_actuals(year=year, quarter=quarter)
    rated = []  # (rate, pk) of each indicator with a result
    with_target = reported = 0
    # Unordered: the model's ordering would join each indicator's project to sort them by code.
    for pk, target, higher_is_better in (
        _with_target(year, quarter).order_by().values_list("pk", "target", "higher_is_better")
    ):
        with_target += 1
        reported += actuals.get(pk) is not None
        value = achievement_rate(actuals.get(pk), target, higher_is_better=higher_is_better)
        if value is not None:
            rated.append((value, pk))
    rates = [value for value, _pk in rated]
    summary = {
        "with_target": with_target,
        "reported": reported,
        # Summed in order of size: the same average to the last digit whatever order the
        # database returns them in (trends.trend sums the same rates).
        "average": sum(sorted(rates)) / len(rates) if rates else None,
        "met": sum(r >= 100 for r in rates),
        "fair": sum(70 <= r < 100 for r in rates),
        "short": sum(r < 70 for r in rates),
    }
    if not lowest:
        return summary, []
    weakest_pks = [pk for _value, pk in sorted(rated)[:lowest]]
    weakest = _rated(
        _with_target(year, quarter).filter(pk__in=weakest_pks).select_related("project"),
        actuals,
    )
    return summary, sorted(weakest, key=lambda row: (row.rate, row.pk))


def _latest_results(*, year: int, quarter: int) -> QuerySet[IndicatorResult]:
    """Each indicator's latest approved result of the year up to the quarter: the first of its
    approved results of those quarters, latest quarter first (one ranked pass, not one lookup
    per indicator, nor a NOT EXISTS per result that SQLite runs in quadratic time)."""
    return (
        IndicatorResult.objects.filter(
            report__state=FilingState.APPROVED, report__year=year, report__quarter__lte=quarter
        )
        .annotate(
            rank=Window(
                RowNumber(), partition_by=F("indicator"), order_by=F("report__quarter").desc()
            )
        )
        .filter(rank=1)
    )


def indicator_rows(*, year: int, quarter: int) -> list[Indicator]:
    """Every indicator with a target this year, by project code, each with `target`,
    `actual` (its latest approved value of the year so far) and `rate` (달성률, as
    achievement_rate computes it: the same rule as the project page). Two queries; the rates
    are worked out here, not repeated in SQL."""
    indicators = (
        _with_target(year, quarter)
        .select_related("project")
        .order_by("project__code", "order", "pk")
    )
    return _rated(indicators, _latest_actuals(year=year, quarter=quarter))


def _with_target(year: int, quarter: int) -> QuerySet[Indicator]:
    """Indicators of the projects running in the quarter, with their target of the year."""
    return (
        Indicator.objects.filter(running_in(year, quarter, prefix="project__"))
        .annotate(year_target=FilteredRelation("targets", condition=Q(targets__year=year)))
        .annotate(target=F("year_target__value"))
        .filter(target__isnull=False)
    )


def _latest_actuals(*, year: int, quarter: int) -> dict[int, Decimal]:
    """Indicator id → its latest approved value of the year up to the quarter."""
    # Unordered: the model's ordering would join the report's project and the indicator only
    # to sort what becomes a dict.
    latest = _latest_results(year=year, quarter=quarter).order_by()
    return dict(latest.values_list("indicator_id", "value"))


def _rated(indicators: QuerySet[Indicator], actuals: dict) -> list[Indicator]:
    rows = list(indicators)
    for row in rows:
        row.actual = actuals.get(row.pk)
        row.rate = achievement_rate(row.actual, row.target, higher_is_better=row.higher_is_better)
    return rows
