"""Every page makes the same number of SQL queries with the demo data and ten times as much."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from projects.choices import FilingState, ProjectStatus
from projects.models import (
    Department,
    ImplementationPlan,
    IndicatorResult,
    ProgressReport,
    Project,
    User,
)
from strategies.models import Task

PAGES = [
    "/plan/",
    "/projects/",
    "/projects/?direction=2&status=on_track&year=2026",
    "/projects/?sort=-cost",
    "/projects/2-2-1/",
    "/projects/2-2-1/plans/2026/",
    "/projects/2-2-1/reports/2026/3/",
    "/projects/2-2-1/reports/2026/4/",
    "/my/",
    "/review/",
    "/proposals/",
    "/",
    "/dashboard/grid/",
    "/import/",
]
VIEWERS = {"/my/": "staff-digital", "/review/": "coordinator", "/import/": "staff-digital"}


def grow_tenfold() -> None:
    """Nine more copies of every project with its plans, reports and indicator values."""
    coordinator = User.objects.get(username="coordinator")
    tasks = list(Task.objects.all())
    departments = list(Department.objects.all())
    originals = list(Project.objects.prefetch_related("indicators"))
    for copy in range(1, 10):
        for n, original in enumerate(originals):
            project = Project.objects.create(
                task=tasks[(n + copy) % len(tasks)],
                code=f"{original.code}-x{copy}",
                name=f"{original.name} {copy}",
                lead_department=departments[(n + copy) % len(departments)],
                start_year=2023,
                end_year=2026,
            )
            for year in range(2023, 2027):
                ImplementationPlan.objects.create(project=project, year=year)
                for quarter in range(1, 5):
                    state = FilingState.SUBMITTED if quarter == 3 else FilingState.APPROVED
                    approved = state == FilingState.APPROVED
                    report = ProgressReport.objects.create(
                        project=project, year=year, quarter=quarter, progress=quarter * 10,
                        status=ProjectStatus.ON_TRACK, state=state,
                        submitted_by=coordinator, submitted_at="2026-01-01T00:00+09:00",
                        reviewed_by=coordinator if approved else None,
                        reviewed_at="2026-01-02T00:00+09:00" if approved else None,
                    )  # fmt: skip
                    IndicatorResult.objects.bulk_create(
                        IndicatorResult(report=report, indicator=i, value=1)
                        for i in original.indicators.all()
                    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def counts(client) -> dict[str, int]:
    result = {}
    for url in PAGES:
        client.force_login(User.objects.get(username=VIEWERS.get(url, "committee")))
        result[url] = count_queries(client, url)
    return result


@pytest.mark.django_db
def test_every_page_makes_the_same_queries_at_demo_size_and_ten_times_it(
    client, plan, django_capture_on_commit_callbacks
):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    at_demo_size = counts(client)
    with django_capture_on_commit_callbacks(execute=True):  # commits: a new data version
        grow_tenfold()
    assert Project.objects.count() == 290
    assert counts(client) == at_demo_size
