"""Trends per quarter (project, task and direction pages) and the dashboard's year-over-year
table: each figure is the one the dashboard's selectors give for that quarter, from approved
data only."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from projects import selectors
from projects.choices import FilingState, ProjectStatus
from projects.models import (
    ImplementationPlan,
    IndicatorResult,
    IndicatorTarget,
    ProgressReport,
    Project,
)
from projects.selectors.dashboard import project_progress

DRAFT_PROGRESS = Decimal("77.7")  # only ever in a draft: no figure may show it


def report(project, user, *, year, quarter, state=FilingState.APPROVED, **fields):
    now = timezone.now()
    stamps = {"submitted_by": user, "submitted_at": now} if state != FilingState.DRAFT else {}
    if state == FilingState.APPROVED:
        stamps |= {"reviewed_by": user, "reviewed_at": now}
    return ProgressReport.objects.create(
        project=project, year=year, quarter=quarter, state=state, **stamps, **fields
    )


def approved_plan(project, user, *, year, **budget):
    now = timezone.now()
    return ImplementationPlan.objects.create(
        project=project, year=year, state=FilingState.APPROVED, submitted_by=user,
        submitted_at=now, reviewed_by=user, reviewed_at=now, **budget,
    )  # fmt: skip


@pytest.fixture
def story(plan, coordinator):
    """2-2-1: an approved 2025 plan (city 400M); approved 2025 Q1 (20%, 100M spent) and Q2
    (35%, 180M), a draft Q3 (77.7%, 390M); approved 2026 Q1 (50%) without a 2026 plan.
    2-2-2 (same task): approved 2025 Q2 at 10%. 개방 데이터셋 수 (2-2-1) 2025: 60 in Q1 of a
    target of 120, 200 in the draft."""
    a, b = Project.objects.get(code="2-2-1"), Project.objects.get(code="2-2-2")
    user = coordinator
    approved_plan(a, user, year=2025, budget_city=400_000_000)
    q1 = report(a, user, year=2025, quarter=1, progress=20, spent_city=100_000_000)
    report(a, user, year=2025, quarter=2, progress=35, spent_city=180_000_000)
    draft = report(a, user, year=2025, quarter=3, progress=DRAFT_PROGRESS,
                   spent_city=390_000_000, state=FilingState.DRAFT)  # fmt: skip
    report(a, user, year=2026, quarter=1, progress=50, spent_city=5_000_000)
    report(b, user, year=2025, quarter=2, progress=10)
    indicator = a.indicators.get(name="개방 데이터셋 수")
    IndicatorTarget.objects.filter(indicator=indicator, year=2025).update(value=120)
    IndicatorResult.objects.create(report=q1, indicator=indicator, value=60)
    IndicatorResult.objects.create(report=draft, indicator=indicator, value=200)
    return {"a": a, "b": b, "plan": plan}


def points_of(story, **kwargs):
    return {
        (p.year, p.quarter): p
        for p in selectors.trend(plan=story["plan"], projects=kwargs.pop("projects"), **kwargs)
    }


def test_a_projects_progress_each_quarter_is_the_dashboards(story):
    a = story["a"]
    points = points_of(story, projects=Project.objects.filter(pk=a.pk))
    assert (2023, 1) in points and (2026, 1) in points  # every quarter so far
    for (year, quarter), point in points.items():
        expected = project_progress(plan=story["plan"], year=year, quarter=quarter)[a.pk][2]
        assert point.progress == expected, (year, quarter)
    assert points[2025, 3].progress == 35  # the draft's 77.7 is not a figure


def test_a_projects_execution_counts_the_years_latest_approved_spending(story):
    points = points_of(story, projects=Project.objects.filter(pk=story["a"].pk))
    rule = selectors.execution_rate
    assert points[2025, 1].execution == rule(100_000_000, 400_000_000) == 25
    assert points[2025, 2].execution == rule(180_000_000, 400_000_000) == 45
    assert points[2025, 3].execution == 45  # the draft's 390M is not counted
    assert points[2024, 4].execution is None  # nothing approved, no budget
    assert points[2026, 1].execution is None  # spent, but no approved plan


def test_a_projects_achievement_is_the_achievement_rate_of_its_approved_values(story):
    points = points_of(story, projects=Project.objects.filter(pk=story["a"].pk))
    rule = selectors.achievement_rate(Decimal(60), Decimal(120), higher_is_better=True)
    assert points[2025, 1].achievement == rule == 50
    assert points[2025, 3].achievement == 50  # the draft's 200 is not counted
    assert points[2024, 1].achievement is None


@pytest.mark.parametrize("level", ["task", "direction"])
def test_a_tasks_and_a_directions_progress_each_quarter_is_the_dashboards_roll_up(story, level):
    task = story["a"].task
    node = task if level == "task" else task.direction
    scope = (
        Project.objects.filter(task=task)
        if level == "task"
        else Project.objects.filter(task__direction=task.direction)
    )
    points = points_of(story, projects=scope, rollup=(level, node.pk))
    for (year, quarter), point in points.items():
        root = selectors.progress_rollup(plan=story["plan"], year=year, quarter=quarter)
        nodes = root.children
        if level == "task":
            nodes = [t for d in nodes for t in d.children]
        expected = next(n.progress for n in nodes if n.obj.pk == node.pk)
        assert point.progress == expected, (year, quarter)
    assert points[2025, 2].progress > 0


def test_the_whole_plans_trend_is_the_dashboard_of_each_quarter(plan):
    """On the demo's four years: progress, budget execution and indicator achievement of every
    quarter so far equal what the dashboard's selectors give for that quarter."""
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    scope = Project.objects.filter(task__direction__plan=plan)
    points = points_of({"plan": plan}, projects=scope, rollup=("plan", plan.pk))
    assert len(points) >= 15
    for (year, quarter), point in points.items():
        where = (year, quarter)
        rollup = selectors.progress_rollup(plan=plan, year=year, quarter=quarter)
        assert point.progress == rollup.progress, where
        total = selectors.budget_by_source(plan, year=year, quarter=quarter)[-1]
        assert point.execution == total[4], where
        indicators, _weakest = selectors.indicator_achievement(year=year, quarter=quarter)
        assert point.achievement == indicators["average"], where
    assert points[2025, 4].execution > 0 and points[2025, 4].achievement > 0


def trends_section(page: str) -> str:
    return re.search(r'<section aria-labelledby="trends-title".*?</section>', page, re.S)[0]


def test_the_project_page_draws_the_trends_with_their_numbers_and_never_a_draft(
    client, committee, story
):
    client.force_login(committee)
    page = client.get("/projects/2-2-1/").content.decode()
    section = trends_section(page)
    assert section.count('role="img"') == 3
    assert section.count("<title") == 3 and section.count("<desc") == 3
    assert "2025년 2분기 35.0%" in section  # in the chart's description
    assert '<td class="num">45.0%</td>' in section  # and in the table of numbers
    assert "77.7" not in section and "97.5" not in section  # 390M of 400M: the draft's


@pytest.mark.parametrize(("url", "heading"), [("/plan/2/", "전략방향 2"), ("/plan/2-2/", "과제 4")])
def test_the_direction_and_task_pages_show_their_trends(client, committee, story, url, heading):
    client.force_login(committee)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert heading in page
    assert trends_section(page).count('role="img"') == 3


@pytest.mark.parametrize("url", ["/plan/9/", "/plan/9-9/", "/plan/x/"])
def test_an_unknown_direction_or_task_is_a_korean_404(client, committee, plan, url):
    client.force_login(committee)
    response = client.get(url)
    assert response.status_code == 404


def test_the_plan_tree_links_to_the_direction_and_task_pages(client, committee, plan):
    client.force_login(committee)
    page = client.get("/plan/").content.decode()
    assert 'href="/plan/2/"' in page and 'href="/plan/2-2/"' in page


# --- Year over year --------------------------------------------------------------------------


def test_the_year_over_year_figures_are_the_dashboards_of_both_quarters(story, coordinator):
    approved_plan(story["a"], coordinator, year=2026, budget_city=100_000_000)
    report(story["a"], coordinator, year=2026, quarter=2, progress=60, spent_city=20_000_000,
           status=ProjectStatus.ON_TRACK)  # fmt: skip
    now, before = (selectors.dashboard(year=y, quarter=2) for y in (2026, 2025))
    yoy = selectors.year_over_year(now)
    figures = {row.label: (row.now, row.before) for row in yoy["rows"]}
    assert figures["계획 전체 진척률"] == (now.rollup.progress, before.rollup.progress)
    assert figures["제출률"] == (now.submission_rate, before.submission_rate)
    assert figures["예산 집행률"] == (now.budget[-1][4], before.budget[-1][4])
    assert figures["성과지표 평균 달성률"] == (
        now.indicators["average"],
        before.indicators["average"],
    )
    assert figures["추진 중인 사업"] == (now.running, before.running)
    statuses = {row.label: (row.now, row.before) for row in yoy["statuses"]}
    before_counts = {label: n for _key, label, n in before.status_counts}
    for _key, label, n in now.status_counts:
        assert statuses[label] == (n, before_counts[label])
    assert statuses["정상"][0] >= 1


def test_the_dashboard_shows_the_year_over_year_table(client, committee, story):
    client.force_login(committee)
    page = client.get("/?year=2026&quarter=1").content.decode()
    table = re.search(r'<section aria-labelledby="yoy-title".*?</section>', page, re.S)[0]
    assert "2026년 1분기" in table and "2025년 1분기" in table
    # 2025 Q1: 2-2-1 spent 100M of an approved 400M; 2026 Q1: no approved plan.
    assert re.search(
        r"예산 집행률</th>\s*<td class=\"num\">—</td><td class=\"num\">25.0%</td>", table
    )


def test_the_first_year_has_nothing_to_compare_with(client, committee, plan):
    client.force_login(committee)
    page = client.get("/?year=2023&quarter=2").content.decode()
    assert "2022년은 기본계획 기간 밖이라 비교할 자료가 없습니다" in page
