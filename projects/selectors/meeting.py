"""Figures of the meeting workbook that the dashboard does not show in the same cut: per task
totals, and the projects not filed with their department's deadline. Same rules as the
dashboard (approved data; with_period_figures), so the two cannot disagree."""

from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from strategies.models import Plan

from ..choices import STATUSES_NEEDING_EXPLANATION, FundingSource, ProjectStatus
from ..models import Project
from .figures import (
    FILED_STATES,
    reporting_period,
    running_projects,
    with_period_figures,
    with_period_state,
)

STATUS_KEYS = [*ProjectStatus.values, None]  # None: no approved report for the quarter


def running_with_figures(*, plan: Plan | None, year: int, quarter: int) -> QuerySet[Project]:
    """The projects running in the quarter, with the period's figures (see with_period_figures)."""
    running = running_projects(plan=plan, year=year, quarter=quarter)
    return with_period_figures(running, year=year, quarter=quarter)


def _sum_of(pattern: str):
    """budget_national_year + budget_provincial_year + … for a pattern like "budget_{}_year"."""
    expression = None
    for source in FundingSource.values:
        term = F(pattern.format(source))
        expression = term if expression is None else expression + term
    return expression


def task_totals(*, plan: Plan | None, year: int, quarter: int) -> dict[int, dict]:
    """Per task of the running projects: `projects`, `budget`, `spent` (all sources; of the
    projects whose plan of the year is approved, as the budget) and `statuses` (status value,
    or None for no approved report → count), in one query."""
    rows = (
        running_with_figures(plan=plan, year=year, quarter=quarter)
        .order_by()
        .values("task_id")
        .annotate(
            projects=Count("pk"),
            budget=Sum(_sum_of("budget_{}_year")),
            spent=Sum(_sum_of("spent_{}_asof"), filter=Q(plan_approved=True)),
            **{
                f"status_{index}": Count(
                    "pk",
                    filter=Q(period_status=key) if key else Q(period_status__isnull=True),
                )
                for index, key in enumerate(STATUS_KEYS)
            },
        )
    )
    return {
        row["task_id"]: {
            "projects": row["projects"],
            "budget": row["budget"] or 0,
            "spent": row["spent"] or 0,
            "statuses": {key: row[f"status_{i}"] for i, key in enumerate(STATUS_KEYS)},
        }
        for row in rows
    }


def days_late(deadline: date | None, today: date) -> int:
    """Days past a deadline (0 before it, or without one)."""
    return (today - deadline).days if deadline and today > deadline else 0


def not_filed(*, plan: Plan | None, year: int, quarter: int) -> list[tuple]:
    """Running projects with no submitted or approved report for the period, by code, each
    as (project with period_state and lead_department, its department's deadline, days late)."""
    period = reporting_period(year, quarter)
    today = timezone.localdate()
    # The period's state is all it needs: not the figures (a join and a subquery per project).
    missing = (
        with_period_state(
            running_projects(plan=plan, year=year, quarter=quarter), year=year, quarter=quarter
        )
        .filter(Q(period_state__isnull=True) | ~Q(period_state__in=FILED_STATES))
        .select_related("lead_department")
        .order_by("code")
    )
    deadlines: dict[int, date | None] = {}
    rows = []
    for project in missing.iterator(chunk_size=2000):
        department = project.lead_department_id
        if department not in deadlines:
            deadlines[department] = period.deadline_for(department) if period else None
        deadline = deadlines[department]
        rows.append((project, deadline, days_late(deadline, today)))
    return rows


def exceptions(*, plan: Plan | None, year: int, quarter: int) -> list[Project]:
    """The running projects whose approved report of the quarter says 지연 or 부진 (the
    dashboard's counts of those two), by code, with lead_department and that report's
    period_status, period_progress, period_problems and period_countermeasures."""
    return list(
        with_period_state(
            running_projects(plan=plan, year=year, quarter=quarter), year=year, quarter=quarter
        )
        .filter(period_status__in=STATUSES_NEEDING_EXPLANATION)
        .select_related("lead_department")
        .annotate(
            period_progress=F("period_report__progress"),
            period_problems=F("period_report__problems"),
            period_countermeasures=F("period_report__countermeasures"),
        )
        .order_by("code")
    )
