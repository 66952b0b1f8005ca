"""Reads around plans and reports: threads, the review queue, a department's to-do,
where a new report starts."""

from operator import itemgetter
from types import SimpleNamespace

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ..choices import FilingState, FundingSource
from ..models import (
    ImplementationPlan,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from .figures import with_period_state
from .history import filing_history


def filing_thread(filing) -> dict:
    """The review thread and change history (with what each version changed) of one plan or
    report."""
    if filing is None or filing.pk is None:
        return {"comments": [], "history": []}
    return {
        "comments": list(filing.comments.select_related("author")),
        "history": filing_history(filing),
    }


def review_queue(*, evaluated: bool = True) -> dict:
    """Submitted plans and reports waiting for the coordinator, oldest first (as lists; with
    evaluated=False as querysets, for the review page to show a page of each)."""
    plans = ImplementationPlan.objects.filter(state=FilingState.SUBMITTED).select_related(
        "project__lead_department", "submitted_by"
    )
    reports = ProgressReport.objects.filter(state=FilingState.SUBMITTED).select_related(
        "project__lead_department", "submitted_by"
    )
    queue = {"plans": plans.order_by("submitted_at"), "reports": reports.order_by("submitted_at")}
    return {name: list(rows) for name, rows in queue.items()} if evaluated else queue


TODO_SECTIONS = ("due", "returned", "drafts")  # what /my/ lists, most urgent first
OPEN_STATES = [FilingState.DRAFT, FilingState.RETURNED]


def department_todo(*, department_id: int, period: ReportingPeriod | None) -> dict:
    """A department's to-do, as querysets to page (nothing is read here but the deadline):

    - `due`: projects running in the current period without a submitted report for it;
    - `returned` and `drafts`: its plans and reports sent back for changes, and still being
      written, of any year: rows of `filing_rows`, oldest period first.

    `overdue` says the current period's deadline (with the department's extension) is past."""
    filings = _filings_of(department_id)
    todo = {
        "period": period,
        "deadline": None,
        "overdue": False,
        "due": Project.objects.none(),
        "returned": filings(FilingState.RETURNED),
        "drafts": filings(FilingState.DRAFT),
    }
    if period is not None:
        todo["deadline"] = period.deadline_for(department_id)
        todo["overdue"] = timezone.localdate() > todo["deadline"]
        running = Project.objects.filter(
            lead_department_id=department_id,
            start_year__lte=period.year,
            end_year__gte=period.year,
        )
        todo["due"] = (
            with_period_state(running, year=period.year, quarter=period.quarter)
            .filter(Q(period_state__isnull=True) | Q(period_state__in=OPEN_STATES))
            .order_by("code")
        )
    return todo


def _filing_columns(model, department_id: int):
    """A department's plans or reports as rows of the same columns (a plan's quarter is 0)."""
    quarter = Value(0, output_field=IntegerField()) if model is ImplementationPlan else F("quarter")
    return (
        model.objects.filter(project__lead_department_id=department_id)
        .annotate(
            kind_quarter=quarter,
            project_code=F("project__code"),
            project_name=F("project__name"),
            reason=F("review_comment"),
        )
        .values("year", "kind_quarter", "project_code", "project_name", "reason")
        .order_by()  # SQLite allows no ORDER BY inside a UNION
    )


FILING_ORDER = ("year", "kind_quarter", "project_code")  # oldest period first


def _filings_of(department_id: int):
    """Plans and reports of one department in one state, as one query, so a page of them
    and their count are a query each."""

    def filings(state: str):
        plans = _filing_columns(ImplementationPlan, department_id).filter(state=state)
        reports = _filing_columns(ProgressReport, department_id).filter(state=state)
        return plans.union(reports, all=True).order_by(*FILING_ORDER)

    return filings


def open_filings_first(*, department_id: int, shown: int) -> dict[str, tuple[int, list]]:
    """A department's returned and draft filings: for each state its exact count and first
    `shown` rows (as `filing_rows`), in two queries (plans, reports) whatever their number."""
    counts = {state: 0 for state in OPEN_STATES}
    rows = {state: [] for state in OPEN_STATES}
    for model in (ImplementationPlan, ProgressReport):
        by_state = [F("state")]
        found = (
            _filing_columns(model, department_id)
            .filter(state__in=OPEN_STATES)
            .annotate(
                state_name=F("state"),
                total=Window(Count("pk"), partition_by=by_state),
                rank=Window(
                    RowNumber(), partition_by=by_state, order_by=[F(f) for f in FILING_ORDER]
                ),
            )
            .filter(rank__lte=shown)
        )
        totals = {}
        for row in found:
            totals[row["state_name"]] = row["total"]
            rows[row["state_name"]].append(row)
        for state, total in totals.items():
            counts[state] += total
    key = itemgetter(*FILING_ORDER)
    return {
        state: (counts[state], filing_rows(sorted(rows[state], key=key)[:shown]))
        for state in OPEN_STATES
    }


def due_rows(projects, *, period: ReportingPeriod) -> list[tuple[Project, ProgressReport | None]]:
    """Each project of a (sliced) queryset with its report for the period, if one is started:
    two queries, however many rows, none included."""
    reports = ProgressReport.objects.filter(
        project__in=projects.values("pk"), year=period.year, quarter=period.quarter
    )
    by_project = {r.project_id: r for r in reports}
    return [(p, by_project.get(p.pk)) for p in projects]


def filing_rows(rows) -> list[SimpleNamespace]:
    """Rows of `department_todo`'s filings shaped as the filing link partial reads them."""
    return [
        SimpleNamespace(
            year=row["year"],
            quarter=row["kind_quarter"] or None,
            project=SimpleNamespace(code=row["project_code"], name=row["project_name"]),
            review_comment=row["reason"],
        )
        for row in rows
    ]


def report_carry_over(*, project: Project, year: int, quarter: int) -> tuple[dict, dict]:
    """Where a new report starts: the latest earlier report's progress and status, and —
    within the same year, since money and indicator values are cumulative for the year —
    its spending and indicator values."""
    return carry_over_values(
        previous_reports([project], year=year, quarter=quarter).get(project.pk), year=year
    )


def previous_reports(projects, *, year: int, quarter: int) -> dict[int, ProgressReport]:
    """The latest report before (year, quarter) of each project, in two queries for any number."""
    latest = ProgressReport.objects.filter(
        Q(year__lt=year) | Q(year=year, quarter__lt=quarter), project=OuterRef("project")
    ).order_by("-year", "-quarter")
    reports = ProgressReport.objects.filter(
        project__in=[p.pk for p in projects], pk=Subquery(latest.values("pk")[:1])
    ).prefetch_related("results")
    return {r.project_id: r for r in reports}


def carry_over_values(previous: ProgressReport | None, *, year: int) -> tuple[dict, dict]:
    if previous is None:
        return {}, {}
    values = {"progress": previous.progress, "status": previous.status}
    results = {}
    if previous.year == year:
        values |= {f"spent_{s}": getattr(previous, f"spent_{s}") for s in FundingSource.values}
        results = {r.indicator_id: r.value for r in previous.results.all()}
    return values, results
