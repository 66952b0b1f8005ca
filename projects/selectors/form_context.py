"""What the report form shows beside its inputs: the year's indicator targets, the planned
budget by source (the year's plan, approved or still a draft) with 집행률, and the
last approved quarter's figures. Rates and "approved as of" follow selectors.figures."""

from dataclasses import dataclass, field
from decimal import Decimal

from ..choices import FilingState
from ..models import ImplementationPlan, IndicatorTarget, ProgressReport, Project
from .figures import approved_as_of, execution_rate


@dataclass
class FormContext:
    plan: ImplementationPlan | None = None
    last: ProgressReport | None = None  # the latest approved report before this quarter
    targets: dict[int, Decimal] = field(default_factory=dict)
    last_results: dict[int, Decimal] = field(default_factory=dict)
    year: int = 0

    @property
    def plan_approved(self) -> bool:
        return self.plan is not None and self.plan.state == FilingState.APPROVED

    @property
    def last_of_year(self) -> ProgressReport | None:
        """The last approved report when it is of this year: money and indicator values are
        cumulative for the year, so an earlier year's are no comparison."""
        return self.last if self.last is not None and self.last.year == self.year else None

    def budget(self, source: str) -> int | None:
        return None if self.plan is None else getattr(self.plan, f"budget_{source}")

    def spending(self, source: str, typed: int | None) -> dict:
        """The planned budget of `source`, 집행률 of the `typed` amount, last approved amount."""
        budget = self.budget(source)
        last = self.last_of_year
        return {
            "budget": budget,
            "approved": self.plan_approved,
            "rate": execution_rate(typed, budget),
            "last": None if last is None else getattr(last, f"spent_{source}"),
            "when": last,
        }

    def indicator(self, indicator_id: int) -> dict:
        last = self.last_of_year
        return {
            "target": self.targets.get(indicator_id),
            "last": None if last is None else self.last_results.get(indicator_id),
        }


def report_form_context(*, project: Project, year: int, quarter: int) -> FormContext:
    """Four queries: the year's plan, the last approved report and its results, the targets."""
    # One plan a year: approved, or its current draft until it is (the page says which).
    plan = ImplementationPlan.objects.filter(project=project, year=year).first()
    before = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    last = (
        approved_as_of(*before)
        .filter(project=project)
        .order_by("-year", "-quarter")
        .prefetch_related("results")
        .first()
    )
    targets = dict(
        IndicatorTarget.objects.filter(indicator__project=project, year=year).values_list(
            "indicator_id", "value"
        )
    )
    results = {r.indicator_id: r.value for r in last.results.all()} if last else {}
    return FormContext(plan=plan, last=last, targets=targets, last_results=results, year=year)
