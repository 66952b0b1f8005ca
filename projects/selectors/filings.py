"""Reads around plans and reports: threads, the review queue, a department's to-do,
where a new report starts."""

from django.db.models import (
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from ..choices import FilingState, FundingSource
from ..models import (
    ImplementationPlan,
    ProgressReport,
    Project,
    ReportingPeriod,
)


def filing_thread(filing) -> dict:
    """The review thread and change history of one plan or report."""
    if filing is None or filing.pk is None:
        return {"comments": [], "history": []}
    return {
        "comments": list(filing.comments.select_related("author")),
        "history": list(
            filing.history.select_related("history_user").order_by("-history_date")[:20]
        ),
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


def department_todo(*, department_id: int, period: ReportingPeriod | None) -> dict:
    """A department's to-do for the current period: due, drafts, returned, late."""
    projects = list(Project.objects.filter(lead_department_id=department_id).order_by("code"))
    todo = {"period": period, "due": [], "drafts": [], "returned": [], "late": []}
    if period is None:
        return todo
    running = [p for p in projects if p.runs_in(period.year)]
    reports = {
        r.project_id: r
        for r in ProgressReport.objects.filter(
            project__lead_department_id=department_id, year=period.year, quarter=period.quarter
        )
    }
    deadline = period.deadline_for(department_id)
    overdue = timezone.localdate() > deadline
    for project in running:
        report = reports.get(project.pk)
        if report is None or report.state in (FilingState.DRAFT, FilingState.RETURNED):
            todo["due"].append((project, report))
            if overdue:
                todo["late"].append((project, report))
    todo["deadline"] = deadline
    filings = [
        *ImplementationPlan.objects.filter(project__lead_department_id=department_id)
        .exclude(state__in=[FilingState.SUBMITTED, FilingState.APPROVED])
        .select_related("project"),
        *ProgressReport.objects.filter(project__lead_department_id=department_id)
        .exclude(state__in=[FilingState.SUBMITTED, FilingState.APPROVED])
        .select_related("project"),
    ]
    todo["drafts"] = [f for f in filings if f.state == FilingState.DRAFT]
    todo["returned"] = [f for f in filings if f.state == FilingState.RETURNED]
    return todo


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
