"""/ and /public/ make the same number of queries with the demo data and 100 times as much."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from projects.choices import FilingState, ProjectStatus
from projects.models import Department, ImplementationPlan, ProgressReport, Project, User
from strategies.models import Phase, Task

PAGES = ["/", "/?year=2025&quarter=4", "/public/", "/dashboard/grid/", "/dashboard/grid/?page=2"]


def grow_hundredfold() -> None:
    coordinator = User.objects.get(username="coordinator")
    tasks, departments = list(Task.objects.all()), list(Department.objects.all())
    phases = list(Phase.objects.all())
    projects = Project.objects.bulk_create(
        Project(
            task=tasks[n % len(tasks)], code=f"S-{n}", name=f"확장 사업 {n}",
            lead_department=departments[n % len(departments)], start_year=2023, end_year=2027,
        )
        for n in range(29 * 99)
    )  # fmt: skip
    Project.phases.through.objects.bulk_create(
        Project.phases.through(project_id=p.pk, phase_id=phases[p.pk % len(phases)].pk)
        for p in projects
    )
    stamp = {
        "state": FilingState.APPROVED, "submitted_by": coordinator, "reviewed_by": coordinator,
        "submitted_at": "2026-10-01T10:00+09:00", "reviewed_at": "2026-10-02T10:00+09:00",
    }  # fmt: skip
    ImplementationPlan.objects.bulk_create(
        ImplementationPlan(project=p, year=2026, budget_city=10**8, **stamp) for p in projects
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=p, year=2026, quarter=q, progress=q * 20, status=ProjectStatus.ON_TRACK,
            spent_city=q * 10**7, **stamp,
        )
        for p in projects
        for q in (1, 2, 3)
    )  # fmt: skip


def counts(client) -> dict[str, int]:
    result = {}
    for url in PAGES:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        result[url] = len(queries)
    return result


@pytest.mark.django_db
@override_settings(PUBLIC_PAGE=True)
def test_the_dashboard_and_public_page_cost_the_same_at_100_times_the_data(client, plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    client.force_login(User.objects.get(username="committee"))
    client.get("/healthz")  # the first request after sign-in stamps the session
    at_demo_size = counts(client)
    grow_hundredfold()
    assert Project.objects.count() == 29 * 99 + 30  # the demo's 30: 29 of the plan, 1 added
    assert counts(client) == at_demo_size
    page = client.get("/").content.decode()
    assert "전략과제 × 분기 추진상태" in page  # past 100 projects the grid rolls up to tasks
