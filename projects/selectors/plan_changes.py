"""Reads around plan changes (변경계획): a plan's requests, the queue of those waiting, and
당초 — what an approved plan said before its first approved change — beside 변경 (now)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..choices import FilingState, FundingSource
from ..models import ImplementationPlan, IndicatorTarget, PlanChange
from ..models.plan_changes import CHANGED_TEXT
from .figures import approved_as_of, running_projects
from .history import UNIT_SUFFIX

SOURCES = FundingSource.values
BUDGETS = tuple(f"budget_{source}" for source in SOURCES)


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

    def compared(self, plan: ImplementationPlan) -> list[tuple[str, str, int, int]]:
        """(source or "total", label, 당초, 변경) of each source with money then or now, and
        the total, beside `plan` as it is now."""
        rows = [
            (source.value, source.label, self.budget(source.value),
             getattr(plan, f"budget_{source.value}"))
            for source in FundingSource
        ]  # fmt: skip
        shown = [row for row in rows if row[2] or row[3]]
        return [*shown, ("total", _("합계"), self.budget_total, plan.budget_total)]


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
    """당초 of each project's approved plan of `year` that an approved change has revised
    (project id → Original), in two queries: the workbook's 예산 sheet."""
    changes = PlanChange.objects.filter(plan__year=year, plan__state=FilingState.APPROVED)
    by_plan = _first_approved(changes)
    projects = dict(
        ImplementationPlan.objects.filter(pk__in=list(by_plan)).values_list("pk", "project_id")
    )
    return {projects[plan_id]: original for plan_id, original in by_plan.items()}


def original_budget_by_source(*, plan, year: int, budget: list) -> dict[str, int] | None:
    """당초 of the year's budget per source and "total", beside `budget` (rows of
    dashboard.budget_by_source: the running projects' approved plans now): None when no
    approved plan of theirs has been changed. One query (each approved change with its
    plan's budget now; the first of each plan holds 당초)."""
    running = running_projects(plan=plan, year=year).values("pk")
    rows = (
        PlanChange.objects.filter(
            state=FilingState.APPROVED,
            plan__year=year,
            plan__state=FilingState.APPROVED,
            plan__project__in=running,
        )
        .order_by("plan_id", "reviewed_at", "pk")
        .values_list("plan_id", "original", *(f"plan__{name}" for name in BUDGETS))
    )
    moved = dict.fromkeys(SOURCES, 0)
    seen = set()
    for plan_id, snapshot, *now in rows:
        if plan_id in seen:
            continue
        seen.add(plan_id)
        original = _original(snapshot)
        for source, amount in zip(SOURCES, now, strict=True):
            moved[source] += amount - original.budget(source)
    if not seen:
        return None
    shown = {key: amount - moved.get(key, 0) for key, _label, amount, *_rest in budget}
    shown["total"] = sum(shown[source] for source in SOURCES)
    return shown


@dataclass(frozen=True)
class ChangeRow:
    """One field of a change request: before (당초 once approved, else the plan now) → after."""

    label: str
    old: object
    new: object
    kind: str  # "money", "text" or "number"

    @property
    def differs(self) -> bool:
        return self.old != self.new


def change_rows(change: PlanChange) -> list[ChangeRow]:
    """Each proposed field of `change` (its `plan` read with it) beside the value it replaces:
    what the plan said before, once approved; what it says now, until then."""
    plan = change.plan
    approved = change.state == FilingState.APPROVED and change.original
    if approved:
        before = change.original
        targets = {int(k): Decimal(v) for k, v in change.original.get("targets", {}).items()}
    else:
        before = {name: getattr(plan, name) for name in (*CHANGED_TEXT, *BUDGETS)}
        targets = {
            t.indicator_id: t.value
            for t in IndicatorTarget.objects.filter(
                indicator__project_id=plan.project_id, year=plan.year
            )
        }
    rows = []
    for name in (*CHANGED_TEXT, *BUDGETS):
        kind = "money" if name in BUDGETS else "text"
        label = PlanChange._meta.get_field(name).verbose_name
        rows.append(ChangeRow(UNIT_SUFFIX.sub("", str(label)), before.get(name, ""),
                              getattr(change, name), kind))  # fmt: skip
    old_total = sum(int(before.get(name, 0)) for name in BUDGETS)
    rows.append(ChangeRow(_("예산 합계"), old_total, change.budget_total, "money"))
    for target in change.targets.all():
        label = _("%(indicator)s 목표") % {"indicator": target.indicator.name}
        rows.append(ChangeRow(label, targets.get(target.indicator_id), target.value, "number"))
    return rows


def below_spending(change: PlanChange) -> list[tuple[str, int, int]]:
    """(source label, proposed budget, spent) of each source `change` would set below what the
    year's latest approved report of the project says was already spent (a 집행률 over 100%
    in every figure after it, past quarters' too); empty once it is approved."""
    if change.state == FilingState.APPROVED:
        return []
    plan = change.plan
    report = (
        approved_as_of().filter(project_id=plan.project_id, year=plan.year).order_by("-quarter")
    ).first()
    if report is None:
        return []
    found = []
    for source in FundingSource:
        budget = getattr(change, f"budget_{source.value}")
        spent = getattr(report, f"spent_{source.value}")
        if spent > budget:
            found.append((source.label, budget, spent))
    return found


def original_of(changes: list[PlanChange]) -> Original | None:
    """당초 from a plan's changes already read (plan_changes): its first approved one's."""
    approved = [c for c in changes if c.state == FilingState.APPROVED]
    first = min(approved, key=lambda c: (c.reviewed_at, c.pk), default=None)
    return _original(first.original) if first else None


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
