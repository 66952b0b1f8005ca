"""Every main page makes an exact, pinned number of SQL queries, with the demo data and with a
hundred times as much (plans, reports in every state, indicators, versions): adding one query
to a page fails here, and so does a page whose queries grow with the data."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from projects.choices import FilingState, Grade, ProjectStatus
from projects.models import (
    Department,
    Evaluation,
    ImplementationPlan,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    ProgressReport,
    Project,
    User,
)
from strategies.models import Task

# page → (who looks, queries), uncached. A signed-in page's count includes its session and
# the user with their roles.
PAGES = {
    # + 당초 of the budget, where plan changes moved it; the spending left out of 집행률
    "/": ("committee", 35),
    "/plan/": ("committee", 12),
    "/plan/2/": ("committee", 16),
    "/plan/2-2/": ("committee", 16),
    "/projects/2-2-1/plans/2025/versions/": ("coordinator", 9),  # + the plan's evidence files
    "/projects/": ("committee", 11),
    "/projects/?direction=2&status=on_track&year=2026": ("committee", 12),
    # + its evaluations by year, 당초 of changed plans, the projects merged into it
    "/projects/2-2-1/": ("committee", 26),
    "/projects/1-2-2/": ("committee", 26),  # suspended in 2025
    "/projects/2-2-1/plans/2026/": ("staff-digital", 11),  # + its evidence files, its changes
    "/projects/?change=ended": ("committee", 11),
    "/projects/1-2-1/end/": ("coordinator", 7),  # + the projects it may be merged into
    "/projects/1-2-2/end/": ("coordinator", 6),  # ended: its end and the undo button
    "/projects/2-2-1/reports/2026/3/": ("committee", 15),  # + its indicator values' history
    # + the form's context: the year's plan, the last approved report and its results, targets
    "/projects/2-2-1/reports/2026/4/": ("staff-digital", 16),
    "/projects/2-2-1/reports/2026/3/submission/": ("staff-digital", 16),
    "/my/": ("staff-digital", 11),
    "/my/?head": ("head-digital", 14),  # + the queue waiting for their sign-off (3 queries)
    "/review/": ("coordinator", 15),  # + the filter's departments, the plan changes waiting
    "/review/?state=returned&reports_sort=-waiting&plans_sort=department": ("coordinator", 15),
    # the committee: every filter, and no reporting-period forms
    "/review/?department=1&kind=report&year=2026&quarter=3&status=on_track&warned=on": (
        "committee",
        14,
    ),
    "/proposals/": ("committee", 9),
    "/public/": (None, 8),
    "/dashboard/grid/": ("committee", 10),
    "/import/": ("staff-digital", 7),  # the periods still taking its filings, and extensions
    "/accounts/lockouts/": ("coordinator", 6),
    "/review/missing/": ("coordinator", 13),
    "/review/periods/": ("coordinator", 11),
    "/evaluations/": ("committee", 8),  # + the latest year evaluated
    "/evaluations/?year=2026&sort=-grade&page=1": ("committee", 7),
    "/projects/2-2-1/evaluations/2025/": (
        "coordinator",
        14,
    ),  # + the year's figures (trend), history
    "/projects/2-2-1/evaluations/2026/": ("staff-digital", 14),
}


def copies(model, rows):
    return model.objects.bulk_create(rows, batch_size=2000)


def stamps(state: str, user: User) -> dict:
    """Who submitted and reviewed a report in `state`, as the database's constraints want."""
    if state == FilingState.DRAFT:
        return {}
    sent = {"submitted_by": user, "submitted_at": "2026-01-01T00:00+09:00"}
    if state == FilingState.SUBMITTED:
        return sent
    reason = "보완" if state == FilingState.RETURNED else ""
    return sent | {"reviewed_by": user, "reviewed_at": "2026-01-02T00:00+09:00",
                   "review_comment": reason}  # fmt: skip


def grow_hundredfold() -> None:
    """99 more copies of every project, each with its indicators and 2026 targets, a submitted
    2026 plan and 2026 reports in every state (approved, returned, submitted, draft)."""
    coordinator = User.objects.get(username="coordinator")
    tasks = list(Task.objects.all())
    departments = list(Department.objects.all())
    originals = list(Project.objects.prefetch_related("indicators", "phases"))
    projects = copies(Project, [
        Project(task=tasks[(n + copy) % len(tasks)], code=f"{original.code}-x{copy}",
                name=f"{original.name} {copy}", start_year=2023, end_year=2027,
                lead_department=departments[(n + copy) % len(departments)])
        for copy in range(1, 100) for n, original in enumerate(originals)
    ])  # fmt: skip
    pairs = list(zip(projects, originals * 99, strict=True))
    copies(Project.phases.through, [
        Project.phases.through(project=project, phase=phase)
        for project, original in pairs for phase in original.phases.all()
    ])  # fmt: skip
    indicators = copies(Indicator, [
        Indicator(project=project, order=i.order, name=i.name, kind=i.kind, unit=i.unit)
        for project, original in pairs for i in original.indicators.all()
    ])  # fmt: skip
    copies(IndicatorTarget, [IndicatorTarget(indicator=i, year=2026, value=10) for i in indicators])
    copies(ImplementationPlan, [
        ImplementationPlan(project=p, year=2026, goal="목표", budget_city=100_000_000,
                           state=FilingState.SUBMITTED, submitted_by=coordinator,
                           submitted_at="2026-01-10T00:00+09:00")
        for p in projects
    ])  # fmt: skip
    states = {
        (2026, 1): FilingState.APPROVED, (2026, 2): FilingState.RETURNED,
        (2026, 3): FilingState.SUBMITTED, (2026, 4): FilingState.DRAFT,
    }  # fmt: skip
    reports = copies(ProgressReport, [
        ProgressReport(project=p, year=year, quarter=quarter, progress=quarter * 10,
                       status=ProjectStatus.ON_TRACK, state=state, spent_city=quarter * 1000,
                       **stamps(state, coordinator))
        for p in projects for (year, quarter), state in states.items()
    ])  # fmt: skip
    copies(Evaluation, [
        Evaluation(project=p, year=2025, achievement="실적", narrative="의견",
                   proposed_grade=Grade.FAIR, submitted_by=coordinator,
                   submitted_at="2026-01-20T00:00+09:00", grade=Grade.FAIR, grade_comment="보통",
                   graded_by=coordinator, graded_at="2026-02-15T00:00+09:00")
        for p in projects
    ])  # fmt: skip
    by_project: dict = {}
    for indicator in indicators:
        by_project.setdefault(indicator.project_id, []).append(indicator)
    copies(IndicatorResult, [
        IndicatorResult(report=r, indicator=i, value=r.quarter)
        for r in reports if r.state == FilingState.APPROVED
        for i in by_project.get(r.project_id, [])
    ])  # fmt: skip


def grow_history() -> None:
    """A hundred more versions of 2-2-1, its plans, one of its targets and its department:
    history lists read their versions in one query each, however many there are."""
    project = Project.objects.get(code="2-2-1")
    target = IndicatorTarget.objects.filter(indicator__project=project).first()
    plans = list(ImplementationPlan.objects.filter(project=project, year__in=[2025, 2026]))
    for n in range(100):
        project.summary = f"개요 {n}"
        project.save()
        target.value += 1
        target.save()
        project.lead_department.name = f"디지털산업과 {n}"
        project.lead_department.save()
        for plan in plans:
            plan.goal = f"목표 {n}"
            plan.version += 1
            plan.save()


def count_queries(client, url: str, username: str | None) -> int:
    if username:
        client.force_login(User.objects.get(username=username))
    cache.clear()  # what a page costs uncached (the dashboard and /public/ keep theirs)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# The data is made once for the module (each test still rolls back its own writes): the
# demo's, then a hundred times as much for the tests after.


@pytest.fixture(scope="module")
def demo(module_demo):
    """The demo, made once for the module (tests/conftest.py)."""


@pytest.fixture(scope="module")
def hundredfold(demo, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        grow_hundredfold()
        grow_history()
        assert Project.objects.count() == 3000  # the demo's 30 (29 of the plan, 1 added)
        yield
        transaction.set_rollback(True)


def approval_page() -> str:
    """The page before a bulk approval, for the first (up to) three submitted reports and
    plans the coordinator may approve (the same ones at a hundred times the data)."""
    from projects import permissions

    coordinator = User.objects.get(username="coordinator")
    ticked = []
    for kind, model in (("report", ProgressReport), ("plan", ImplementationPlan)):
        filings = model.objects.filter(state=FilingState.SUBMITTED).select_related("project")
        mine = [f for f in filings.order_by("pk") if permissions.may_review_filing(coordinator, f)]
        ticked += [(kind, f"{f.pk}:{f.version}") for f in mine[:3]]
    assert {kind for kind, _ in ticked} == {"report", "plan"}
    return "/review/approve/confirm/?" + urlencode(ticked)


APPROVAL_PAGE_QUERIES = 7


def proposal_project_page() -> str:
    """The form that makes the demo's partly accepted proposal (no project yet) a project."""
    from projects.models import Proposal

    proposal = Proposal.objects.get(response="partial", project=None)
    return f"/proposals/{proposal.pk}/project/"


PROPOSAL_PROJECT_PAGE_QUERIES = 9


def test_the_proposal_to_project_form_makes_its_pinned_number_of_queries(demo, db, client):
    page = proposal_project_page()
    assert count_queries(client, page, "coordinator") == PROPOSAL_PROJECT_PAGE_QUERIES


def test_the_proposal_to_project_form_makes_as_many_with_a_hundred_times_the_data(
    hundredfold, db, client
):
    page = proposal_project_page()
    assert count_queries(client, page, "coordinator") == PROPOSAL_PROJECT_PAGE_QUERIES


def test_the_page_before_a_bulk_approval_makes_its_pinned_number_of_queries(demo, db, client):
    assert count_queries(client, approval_page(), "coordinator") == APPROVAL_PAGE_QUERIES


def test_the_page_before_a_bulk_approval_makes_as_many_with_a_hundred_times_the_data(
    hundredfold, db, client
):
    assert count_queries(client, approval_page(), "coordinator") == APPROVAL_PAGE_QUERIES


@override_settings(PUBLIC_PAGE=True)
@pytest.mark.parametrize(("url", "who", "pinned"), [(url, *p) for url, p in PAGES.items()])
def test_each_page_makes_its_pinned_number_of_queries_with_the_demo_data(
    demo, db, client, url, who, pinned
):
    assert count_queries(client, url, who) == pinned


@override_settings(PUBLIC_PAGE=True)
@pytest.mark.parametrize(("url", "who", "pinned"), [(url, *p) for url, p in PAGES.items()])
def test_each_page_makes_as_many_with_a_hundred_times_the_data(
    hundredfold, db, client, url, who, pinned
):
    assert count_queries(client, url, who) == pinned
