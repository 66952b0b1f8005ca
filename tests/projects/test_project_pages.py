"""/projects/ and /projects/<code>/: what a reader finds there."""

from decimal import Decimal

import pytest
from django.utils import timezone

from projects.choices import FilingState, ProjectStatus
from projects.models import ImplementationPlan, IndicatorResult, ProgressReport, Project


@pytest.fixture
def reader(client, committee, plan):
    client.force_login(committee)
    return client


def approved_report(project, user, *, year, quarter, **fields):
    now = timezone.now()
    return ProgressReport.objects.create(
        project=project, year=year, quarter=quarter, state=FilingState.APPROVED,
        submitted_by=user, submitted_at=now, reviewed_by=user, reviewed_at=now, **fields,
    )  # fmt: skip


def test_the_list_shows_all_29_projects_over_two_pages(reader):
    first = reader.get("/projects/").content.decode()
    assert "사업 29건" in first
    assert "1 / 2쪽" in first
    assert "1-1-1" in first
    assert "4-3-2" in reader.get("/projects/?page=2").content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("direction=1", {"1-1-1", "1-1-2", "1-1-3", "1-2-1", "1-2-2", "1-2-3"}),
        ("q=수소", {"1-1-2", "2-1-1", "4-2-1"}),
        ("year=2023&direction=1", {"1-1-1", "1-1-2", "1-1-3", "1-2-1", "1-2-3"}),
    ],
)
def test_filters_narrow_the_list(reader, query, expected):
    page = reader.get(f"/projects/?{query}").content.decode()
    shown = {p.code for p in Project.objects.all() if f">{p.code}</a>" in page}
    assert shown == expected


def test_the_status_filter_uses_the_latest_approved_report(reader, committee):
    project = Project.objects.get(code="2-1-1")
    approved_report(project, committee, year=2025, quarter=1, status=ProjectStatus.ON_TRACK)
    approved_report(
        project, committee, year=2025, quarter=2, status=ProjectStatus.AT_RISK,
        problems="p", countermeasures="c",
    )  # fmt: skip
    page = reader.get("/projects/?status=at_risk").content.decode()
    assert "사업 1건" in page and ">2-1-1</a>" in page
    assert "사업 0건" in reader.get("/projects/?status=on_track").content.decode()


def test_sorting_by_cost_puts_the_largest_first(reader):
    page = reader.get("/projects/?sort=-cost").content.decode()
    largest = max(Project.objects.all(), key=lambda p: p.cost_total)
    assert page.index(f">{largest.code}</a>") < page.index(">1-1-1</a>")


def test_a_bad_filter_value_is_not_an_error(reader):
    response = reader.get("/projects/?year=abc&direction=999&status=nope")
    assert response.status_code == 200


def test_the_project_page_shows_targets_actuals_and_execution(reader, committee):
    project = Project.objects.get(code="2-2-1")
    ImplementationPlan.objects.create(
        project=project, year=2025, budget_city=200_000_000, state=FilingState.DRAFT
    )
    indicator = project.indicators.get(name="개방 데이터셋 수")
    report = approved_report(project, committee, year=2025, quarter=2, spent_city=50_000_000,
                             progress=Decimal(40))  # fmt: skip
    IndicatorResult.objects.create(report=report, indicator=indicator, value=150)
    page = reader.get("/projects/2-2-1/").content.decode()
    target = indicator.targets.get(year=2025).value
    assert f"{target:.0f} / 150" in page
    assert f"{150 / target * 100:.1f}%" in page  # 달성률
    assert "200.0" in page and "50.0" in page and "25.0%" in page  # budget, spent, 집행률


def test_a_lower_is_better_indicator_scores_target_over_actual(reader, committee):
    project = Project.objects.get(code="2-2-3")
    indicator = project.indicators.get(higher_is_better=False)
    target = indicator.targets.get(year=2024).value
    report = approved_report(project, committee, year=2024, quarter=4)
    IndicatorResult.objects.create(report=report, indicator=indicator, value=target * 2)
    page = reader.get("/projects/2-2-3/").content.decode()
    assert "달성률 50.0%" in page


def test_an_unknown_project_is_404(reader):
    assert reader.get("/projects/9-9-9/").status_code == 404


@pytest.mark.parametrize("query", ["q=%00", "period=2026-3%00", "status=%00"])
def test_a_null_character_in_the_filters_is_not_an_error(reader, query):
    assert reader.get(f"/projects/?{query}").status_code == 200


def submitted_reports(user) -> list[ProgressReport]:
    """Every project's four 2026 reports, submitted: 116 waiting for review."""
    now = timezone.now()
    return ProgressReport.objects.bulk_create(
        ProgressReport(project=project, year=2026, quarter=quarter, state=FilingState.SUBMITTED,
                       submitted_by=user, submitted_at=now)
        for project in Project.objects.all() for quarter in range(1, 5)
    )  # fmt: skip


def test_the_review_queue_shows_50_reports_a_page_and_exports_them_all(
    client, alice, coordinator, plan
):
    import io

    import openpyxl

    reports = submitted_reports(alice)
    client.force_login(coordinator)
    first = client.get("/review/").content.decode()
    assert first.count('name="report"') == 50
    assert "1 / 3쪽 (모두 116건)" in first
    last = client.get("/review/?reports=3").content.decode()
    assert last.count('name="report"') == 16
    export = client.get("/review/?export=xlsx")
    rows = openpyxl.load_workbook(io.BytesIO(export.content)).active.max_row
    assert rows >= len(reports) + 1  # a header and every report, not one page
    ticked = [f"{r.pk}:{r.version}" for r in reports[:50]]
    assert client.post("/review/approve/", {"report": ticked}).status_code == 302
    assert ProgressReport.objects.filter(state=FilingState.APPROVED).count() == 50


def test_the_plan_shows_ten_projects_of_a_large_task_and_links_to_all_of_them(reader, plan):
    from strategies.models import Task
    from tests.factories import ProjectFactory

    task = Task.objects.get(number=1)
    for _ in range(12):
        ProjectFactory(task=task, lead_department=Project.objects.first().lead_department)
    total = task.projects.count()
    page = reader.get("/plan/").content.decode()
    assert f"사업 {total}개 가운데 10개를 보여 줍니다." in page
    assert f'href="/projects/?task={task.pk}"' in page
    section = page.split(f"{task.name}</a></h4>")[1].split('<section class="task">')[0]
    assert section.count('<td class="code" ') == 10
