"""Reads around plans and reports: threads, the review queue, where a new report starts."""

from django.db.models import OuterRef, Q, Subquery

from ..choices import FilingState, FundingSource
from ..models import (
    ImplementationPlan,
    ProgressReport,
    Project,
)
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


def review_started(filing) -> bool:
    """Whether the review of a submitted filing has started, so its department may no longer
    withdraw it: someone outside its lead department (the coordinator, a committee member)
    has commented on it since it was submitted. (Approving or returning it ends the
    submission itself.)"""
    if filing.submitted_at is None:
        return False
    return (
        filing.comments.filter(created_at__gte=filing.submitted_at)
        .exclude(author__department_id=filing.project.lead_department_id)
        .exists()
    )


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
