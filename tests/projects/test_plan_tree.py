"""/plan/: vision and phases, then directions → tasks → projects with their latest status."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.choices import FilingState, ProjectStatus
from projects.models import ProgressReport, Project
from strategies.models import Task
from tests.factories import DepartmentFactory, ProjectFactory

URL = "/plan/"


def test_it_sends_anonymous_visitors_to_sign_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_whole_plan(client, plan, committee):
    client.force_login(committee)
    page = client.get(URL).content.decode()
    assert plan.vision in page
    for phase in plan.phases.all():
        assert phase.name in page
    for direction in plan.directions.all():
        assert direction.name in page
    for task in Task.objects.all():
        assert task.name in page
    for project in Project.objects.select_related("lead_department"):
        assert project.name in page
    assert page.count('class="badge badge--sample"') == 29


def test_each_project_shows_its_latest_approved_status(client, plan, committee):
    project = Project.objects.get(code="2-1-1")
    stamp = {"submitted_by": committee, "reviewed_by": committee}
    ProgressReport.objects.create(
        project=project, year=2024, quarter=1, progress=20, status=ProjectStatus.ON_TRACK,
        state=FilingState.APPROVED, submitted_at="2024-04-10T10:00+09:00",
        reviewed_at="2024-04-12T10:00+09:00", **stamp,
    )  # fmt: skip
    ProgressReport.objects.create(
        project=project, year=2024, quarter=2, progress=30, status=ProjectStatus.AT_RISK,
        problems="설비 지연", countermeasures="대체 공급처",
        state=FilingState.APPROVED, submitted_at="2024-07-10T10:00+09:00",
        reviewed_at="2024-07-12T10:00+09:00", **stamp,
    )  # fmt: skip
    ProgressReport.objects.create(  # a draft is not shown as the latest status
        project=project, year=2024, quarter=3, progress=90, status=ProjectStatus.COMPLETED
    )
    client.force_login(committee)
    page = client.get(URL).content.decode()
    row = page[page.index(project.name) : page.index("</tr>", page.index(project.name))]
    assert "부진" in row
    assert "30.0%" in row
    assert "2024년 2분기" in row
    assert "90.0%" not in row


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_it_makes_the_same_number_of_queries_for_29_and_290_projects(
    client, plan, committee, django_capture_on_commit_callbacks
):
    client.force_login(committee)
    client.get("/healthz")  # the first request after sign-in stamps the session
    for project in Project.objects.all()[:5]:
        ProgressReport.objects.create(project=project, year=2024, quarter=1, progress=5)
    small = _count_queries(client)
    with django_capture_on_commit_callbacks(execute=True):  # commits: a new data version
        departments = [DepartmentFactory() for _ in range(5)]
        tasks = list(Task.objects.all())
        for n in range(261):
            extra = ProjectFactory(task=tasks[n % 10], lead_department=departments[n % 5])
            extra.phases.set(plan.phases.all()[:2])
    assert Project.objects.count() == 290
    assert _count_queries(client) == small


def test_a_signed_in_user_without_a_role_is_refused_in_korean(client, plan):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="norole"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "역할 부여를 요청하세요" in response.content.decode()
