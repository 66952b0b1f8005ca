"""/my/: a department's to-do, most urgent first, each section bounded with its exact count
and a way to the rest."""

import re

import pytest
from django.utils import timezone

from projects.choices import FilingState
from projects.models import ImplementationPlan, ProgressReport
from projects.views.pages import TODO_SHOWN
from tests.factories import ProjectFactory


@pytest.fixture
def staff(client, alice, plan):
    client.force_login(alice)
    return client


def due_projects(department, count: int):
    return [
        ProjectFactory(code=f"9-9-{n:02}", name=f"할 일 사업 {n:02}", lead_department=department)
        for n in range(1, count + 1)
    ]


def shown(page: str) -> list[str]:
    return re.findall(r'<span class="code">(9-9-\d\d)</span>', page)


def count_of(page: str, title_id: str) -> int:
    return int(re.search(rf'id="{title_id}">[^<]*<span class="count">(\d+)</span>', page)[1])


def returned(project, user, *, year: int, quarter: int | None = None):
    now = timezone.now()
    stamps = {
        "state": FilingState.RETURNED, "submitted_by": user, "submitted_at": now,
        "reviewed_by": user, "reviewed_at": now, "review_comment": f"{project.code} 보완",
    }  # fmt: skip
    if quarter is None:
        return ImplementationPlan.objects.create(project=project, year=year, **stamps)
    return ProgressReport.objects.create(project=project, year=year, quarter=quarter, **stamps)


def test_the_due_section_shows_its_first_rows_with_the_exact_count_and_pages_the_rest(
    staff, alice, open_period
):
    before = count_of(staff.get("/my/").content.decode(), "due-title")
    due_projects(alice.department, 2 * TODO_SHOWN - before + 3)  # two pages and three rows
    page = staff.get("/my/").content.decode()
    assert count_of(page, "due-title") == 2 * TODO_SHOWN + 3
    assert len(shown(page)) == TODO_SHOWN - before
    assert f"모두 보기 ({2 * TODO_SHOWN + 3}건)" in page
    assert 'href="/my/?section=due"' in page
    last = staff.get("/my/?section=due&page=3").content.decode()
    # ordered by code: the department's own projects first, then 9-9-01, 9-9-02 …
    assert shown(last) == [
        f"9-9-{n:02}" for n in range(2 * TODO_SHOWN - before + 1, 2 * TODO_SHOWN - before + 4)
    ]
    assert "3 / 3쪽" in last
    assert "returned-title" not in last


def test_a_past_deadline_says_so_above_the_due_list(staff, alice, past_period):
    due_projects(alice.department, 3)
    page = staff.get("/my/").content.decode()
    assert "기한이 지났습니다" in page
    assert count_of(page, "late-title") == count_of(page, "due-title")


def test_returned_plans_and_reports_are_listed_oldest_first_with_their_reasons(
    staff, alice, coordinator, open_period
):
    projects = due_projects(alice.department, TODO_SHOWN + 2)
    for project in projects:
        returned(project, coordinator, year=2025, quarter=4)
    returned(projects[0], coordinator, year=2025)
    page = staff.get("/my/").content.decode()
    assert count_of(page, "returned-title") == TODO_SHOWN + 3
    assert page.index("2025년 시행계획") < page.index("2025년 4분기 실적")
    assert "9-9-01 보완" in page
    assert page.count('<p class="reason">') == TODO_SHOWN
    rest = staff.get("/my/?section=returned&page=2").content.decode()
    assert rest.count('<p class="reason">') == 3
    assert f"9-9-{TODO_SHOWN + 2:02} 보완" in rest


def test_a_department_head_reads_the_departments_to_do_without_write_buttons(
    client, alice, plan, open_period
):
    from projects.choices import Role
    from tests.factories import UserFactory

    due_projects(alice.department, 2)
    head = UserFactory(username="dana", department=alice.department, role=Role.HEAD)
    client.force_login(head)
    page = client.get("/my/").content.decode()
    assert shown(page) == ["9-9-01", "9-9-02"]
    assert "작성하기" not in page and "보기" in page
    client.force_login(alice)
    assert "작성하기" in client.get("/my/").content.decode()
