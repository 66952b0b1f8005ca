"""The shipped plan holds the published facts and 29 illustrative projects."""

from collections import Counter

import pytest
from django.core.management import call_command

from projects.models import Department, Project
from strategies.models import Direction, Phase, Plan, Task

PHASES = [
    "수소·이차전지 산업 기반(인프라) 구축, 디지털 전환 준비와 데이터 경제 기반 마련",
    "에너지 전환기 새로운 사업안 육성",
    "친환경 미래산업 도시로 도약",
    "기업과 인구가 유입되는 미래형 성장도시",
]
DIRECTIONS = [
    "탄소중립 달성을 위한 주력산업 디지털 전환",
    "미래 친환경 도시 경제기반 구축",
    "시민체감형 스마트 서비스 구현",
    "4차산업혁명 융합 플랫폼 기반조성",
]
TASKS = [
    "철강산업 산업경쟁력 강화",
    "항만을 활용한 디지털 신성장 동력 개발",
    "친환경 에너지 산업생태계 구축",
    "데이터 기반 미래산업 육성",
    "핵심 인프라 중심 탄소중립 전환",
    "블록체인 기반 행정 구축",
    "생활밀착형 지능형 서비스 제공",
    "4차산업혁명 제도 및 기반 구축",
    "미래 신산업 기술인력 육성",
    "광양시 미래 인력 육성",
]
TASK_DIRECTION = {1: "1", 2: "1", 3: "2", 4: "2", 5: "2", 6: "3", 7: "3", 8: "4", 9: "4", 10: "4"}


def test_the_plan_has_the_published_vision_and_period(plan):
    assert plan.vision == "ABC(AI·Big data·Cloud) 중심의 스마트 청정 미래산업 도시"
    assert "탄소중립" in plan.goal
    assert (plan.start_year, plan.end_year) == (2023, 2027)


def test_it_has_the_four_phases_in_order(plan):
    assert list(plan.phases.order_by("order").values_list("order", "name")) == list(
        enumerate(PHASES, start=1)
    )


def test_it_has_the_four_directions_in_order(plan):
    assert list(plan.directions.order_by("order").values_list("code", "name")) == [
        (str(n), name) for n, name in enumerate(DIRECTIONS, start=1)
    ]


def test_it_has_the_ten_tasks_in_published_order_under_their_directions(plan):
    tasks = list(Task.objects.select_related("direction").order_by("number"))
    assert [t.name for t in tasks] == TASKS
    assert {t.number: t.direction.code for t in tasks} == TASK_DIRECTION
    # Codes count within the direction: 1-1, 1-2, 2-1, 2-2, 2-3, ...
    assert [t.code for t in tasks] == [
        "1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "4-1", "4-2", "4-3"
    ]  # fmt: skip


def test_it_has_29_illustrative_projects_with_two_to_four_per_task(plan):
    projects = Project.objects.all()
    assert projects.count() == 29
    assert all(p.is_sample for p in projects)
    per_task = Counter(projects.values_list("task__number", flat=True))
    assert set(per_task) == set(range(1, 11))
    assert all(2 <= n <= 4 for n in per_task.values())


def test_27_projects_run_in_2023_as_in_the_published_plan(plan):
    assert Project.objects.filter(start_year__lte=2023, end_year__gte=2023).count() == 27


def test_every_project_is_complete(plan):
    for project in Project.objects.prefetch_related("phases", "indicators__targets"):
        assert project.lead_department.is_active
        assert project.phases.exists(), project.code
        assert project.cost_total > 0, project.code
        assert project.code.startswith(project.task.code + "-"), project.code
        indicators = list(project.indicators.all())
        assert 1 <= len(indicators) <= 3, project.code
        for indicator in indicators:
            years = {target.year for target in indicator.targets.all()}
            assert years == set(range(project.start_year, project.end_year + 1)), indicator


def test_some_indicator_is_lower_is_better(plan):
    from projects.models import Indicator

    assert Indicator.objects.filter(higher_is_better=False).exists()


def test_the_illustrative_departments_are_there(plan):
    assert {"신산업과", "디지털산업과", "철강항만과", "기후환경과", "총무과"} <= set(
        Department.objects.values_list("name", flat=True)
    )


def test_loading_the_fixture_again_changes_nothing(plan):
    Project.objects.filter(code="1-1-1").update(name="시가 고친 이름")
    call_command("load_plan_fixture", verbosity=0)
    assert Plan.objects.count() == 1
    assert Phase.objects.count() == 4
    assert Direction.objects.count() == 4
    assert Task.objects.count() == 10
    assert Project.objects.count() == 29
    assert Project.objects.get(code="1-1-1").name == "시가 고친 이름"


@pytest.mark.django_db
def test_a_missing_fixture_file_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="계획 파일을 읽을 수 없습니다"):
        call_command("load_plan_fixture", file=tmp_path / "none.json")
