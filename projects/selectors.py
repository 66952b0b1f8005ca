"""Reads that gather figures for pages, exports and imports. No writes here."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from strategies.models import Direction, Plan, Task

from .choices import FilingState
from .models import ProgressReport, Project


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


@dataclass(frozen=True)
class PlanTree:
    plan: Plan
    phases: list
    directions: list[Direction]
    project_count: int
    task_count: int


def plan_tree(*, plan: Plan) -> PlanTree:
    """The whole plan for the tree page in a fixed number of queries, whatever its size."""
    projects = with_latest_approved_report(
        Project.objects.select_related("lead_department").prefetch_related("phases")
    ).order_by("code")
    tasks = Task.objects.order_by("order").prefetch_related(Prefetch("projects", projects))
    directions = list(plan.directions.order_by("order").prefetch_related(Prefetch("tasks", tasks)))
    all_tasks = [task for direction in directions for task in direction.tasks.all()]
    return PlanTree(
        plan=plan,
        phases=list(plan.phases.order_by("order")),
        directions=directions,
        task_count=len(all_tasks),
        project_count=sum(len(task.projects.all()) for task in all_tasks),
    )
