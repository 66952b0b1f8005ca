"""Reads around plans and reports: threads, the review queue, where a new report starts."""

from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import permissions
from ..choices import CommentKind, FilingState, FundingSource
from ..models import (
    ImplementationPlan,
    PeriodExtension,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from .calendar import plan_due_on
from .checks import acknowledged_warnings
from .history import filing_history
from .meeting import days_late


def filing_thread(filing) -> dict:
    """The review thread and change history (with what each version changed) of one plan or
    report."""
    if filing is None or filing.pk is None:
        return {"comments": [], "history": [], "reopened": None}
    comments = list(filing.comments.select_related("author"))
    reopens = [c for c in comments if c.kind == CommentKind.REOPEN]
    return {
        "comments": comments,
        "history": filing_history(filing),
        # why it was opened again, while it is being revised (shown at the top, as a return's)
        "reopened": reopens[-1]
        if reopens and filing.reopened_at and filing.state == FilingState.DRAFT
        else None,
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


def review_queue(*, evaluated: bool = True, states=(FilingState.SUBMITTED,)) -> dict:
    """Plans and reports in `states` (by default those waiting for the coordinator), oldest
    submission first, each report with its department's `deadline` (as lists; with
    evaluated=False as querysets, for the review page to filter, sort and page)."""
    related = ("project__lead_department", "submitted_by")
    plans = ImplementationPlan.objects.filter(state__in=states).select_related(*related)
    reports = (
        ProgressReport.objects.filter(state__in=states)
        .select_related(*related)
        .annotate(deadline=_report_deadline())
    )
    queue = {"plans": plans.order_by("submitted_at"), "reports": reports.order_by("submitted_at")}
    return {name: list(rows) for name, rows in queue.items()} if evaluated else queue


def _report_deadline():
    """A report's deadline: its department's extension of the period, or the period's own."""
    quarter = {"year": OuterRef("year"), "quarter": OuterRef("quarter")}
    period = ReportingPeriod.objects.filter(**quarter).values("due_on")[:1]
    extension = PeriodExtension.objects.filter(
        period__year=OuterRef("year"),
        period__quarter=OuterRef("quarter"),
        department_id=OuterRef("project__lead_department_id"),
    ).values("due_on")[:1]
    return Coalesce(Subquery(extension), Subquery(period))


def for_review(filings, *, user, today: date) -> None:
    """What the review queue and the approval page show of each filing, set on it: whether
    `user` may approve it, days late at submission, days waiting since, the acknowledged
    warnings (rendered)."""
    for filing in filings:
        filing.reviewable = permissions.may_review_filing(user, filing)
        deadline = getattr(filing, "deadline", None) or (
            plan_due_on(filing.year) if isinstance(filing, ImplementationPlan) else None
        )
        submitted = timezone.localdate(filing.submitted_at) if filing.submitted_at else None
        filing.days_late = days_late(deadline, submitted) if submitted else 0
        waiting = filing.state == FilingState.SUBMITTED and submitted
        filing.days_waiting = (today - submitted).days if waiting else None
        filing.warnings = acknowledged_warnings(filing)


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
