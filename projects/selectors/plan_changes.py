"""Reads around plan changes (변경계획): a plan's requests, the queue of those waiting, and
당초 — what an approved plan said before its first approved change — beside 변경 (now)."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..choices import FilingState, FundingSource
from ..models import ImplementationPlan, PlanChange
from .figures import running_projects

SOURCES = FundingSource.values


@dataclass(frozen=True)
class Original:
    """당초: a plan's values before its first approved change (PlanChange.original)."""

    budgets: dict = field(default_factory=dict)  # source → whole won
    goal: str = ""
    targets: dict = field(default_factory=dict)  # indicator id → value as text

    def budget(self, source: str) -> int:
        return int(self.budgets.get(source, 0))

    @property
    def budget_total(self) -> int:
        return sum(self.budget(source) for source in SOURCES)

    def by_source(self) -> list[tuple[str, int]]:
        return [(source, self.budget(source)) for source in SOURCES]


def _original(snapshot: dict) -> Original:
    return Original(
        budgets={source: snapshot.get(f"budget_{source}", 0) for source in SOURCES},
        goal=snapshot.get("goal", ""),
        targets=snapshot.get("targets", {}),
    )


def _first_approved(changes: QuerySet[PlanChange]) -> dict[int, Original]:
    """Each plan's 당초 from its first approved change, in one query."""
    rows = (
        changes.filter(state=FilingState.APPROVED)
        .order_by("plan_id", "reviewed_at", "pk")
        .values_list("plan_id", "original")
    )
    originals: dict[int, Original] = {}
    for plan_id, snapshot in rows:
        originals.setdefault(plan_id, _original(snapshot))
    return originals


def original_plans(plans) -> dict[int, Original]:
    """당초 of each of `plans` that an approved change has revised (plan id → Original)."""
    return _first_approved(PlanChange.objects.filter(plan_id__in=[p.pk for p in plans]))


def original_by_project(*, year: int) -> dict[int, Original]:
    """당초 of each project's plan of `year` that an approved change has revised (project id
    → Original), in one query: the workbook's 예산 sheet."""
    changes = PlanChange.objects.filter(plan__year=year)
    by_plan = _first_approved(changes)
    projects = dict(
        ImplementationPlan.objects.filter(pk__in=list(by_plan)).values_list("pk", "project_id")
    )
    return {projects[plan_id]: original for plan_id, original in by_plan.items()}


def original_budget_by_source(*, plan, year: int, budget: list) -> dict[str, int] | None:
    """당초 of the year's budget per source and "total", beside `budget` (rows of
    dashboard.budget_by_source: the running projects' approved plans now): None when no
    approved plan of theirs has been changed. One query."""
    running = running_projects(plan=plan, year=year).values("pk")
    changes = PlanChange.objects.filter(
        plan__year=year, plan__state=FilingState.APPROVED, plan__project__in=running
    )
    originals = _first_approved(changes)
    if not originals:
        return None
    moved = dict.fromkeys(SOURCES, 0)
    current = ImplementationPlan.objects.filter(pk__in=list(originals)).values(
        "pk", *(f"budget_{source}" for source in SOURCES)
    )
    for row in current:
        for source in SOURCES:
            moved[source] += row[f"budget_{source}"] - originals[row["pk"]].budget(source)
    shown = {key: amount - moved.get(key, 0) for key, _label, amount, *_rest in budget}
    shown["total"] = sum(shown[source] for source in SOURCES)
    return shown


def plan_changes(plan: ImplementationPlan | None) -> list[PlanChange]:
    """A plan's change requests, oldest first, with who submitted and reviewed them."""
    if plan is None or plan.pk is None:
        return []
    return list(
        plan.changes.select_related("submitted_by", "reviewed_by", "signed_off_by").order_by(
            "created_at", "pk"
        )
    )


def change_queue(*, states=(FilingState.SUBMITTED,)) -> list[PlanChange]:
    """Plan changes in `states` (by default those waiting for the coordinator), oldest
    submission first, with their project and submitter."""
    return list(
        PlanChange.objects.filter(state__in=states)
        .select_related("plan__project__lead_department", "submitted_by")
        .order_by("submitted_at", "pk")
    )
