"""The year-end evaluation (연차평가): the lead department writes and submits its
self-evaluation, the coordinator or a committee member grades it, the year's table counts it."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import strip_tags

from projects import selectors, services
from projects.choices import Grade
from projects.models import Evaluation, Project, ReportingPeriod
from tests.projects.test_permission_matrix import as_role

URL = "/projects/2-2-1/evaluations/2026/"
SELF = {
    "achievement": "계획한 실증을 모두 마쳤습니다.",
    "indicator_comment": "지표 2개 모두 목표 달성",
    "budget_comment": "집행률 95%",
    "narrative": "계획대로 추진했습니다.",
    "proposed_grade": "excellent",
}


def submitted_by(user, project, year=2026):
    return services.evaluation_submit(
        user=user, project=project, year=year, values=SELF, version=None
    )


def graded(user, evaluation, grade, comment="의견"):
    return services.evaluation_grade(
        user=user, evaluation=evaluation, grade=grade, comment=comment, version=evaluation.version
    )


def test_lead_department_staff_write_and_submit_the_self_evaluation(
    client, alice, digital_project, open_period
):
    client.force_login(alice)
    response = client.post(f"{URL}save/", {**SELF, "proposed_grade": ""})
    assert response.status_code == 302
    draft = Evaluation.objects.get()
    assert (draft.achievement, draft.submitted_at) == (SELF["achievement"], None)
    response = client.post(f"{URL}submit/", {**SELF, "version": draft.version}, follow=True)
    assert "자체평가를 제출했습니다" in response.content.decode()
    evaluation = Evaluation.objects.get()
    assert evaluation.submitted_by == alice
    assert evaluation.proposed_grade == Grade.EXCELLENT


def test_a_submitted_self_evaluation_is_read_only_for_the_department(
    client, alice, digital_project, open_period
):
    evaluation = submitted_by(alice, digital_project)
    client.force_login(alice)
    response = client.post(f"{URL}save/", {**SELF, "narrative": "바꿈", "version": 2})
    assert response.status_code == 403
    assert "제출한 자체평가는 수정할 수 없습니다" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.narrative == SELF["narrative"]


@pytest.mark.parametrize("who", ["bob", "coordinator", "committee"])
def test_nobody_but_the_lead_departments_staff_writes_it(
    request, who, digital_project, open_period
):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.evaluation_save(
            user=user, project=digital_project, year=2026, values=SELF, version=None
        )
    assert not Evaluation.objects.exists()


def test_the_self_evaluation_waits_for_the_years_fourth_quarter(client, alice, digital_project):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "2026년 4분기 보고 기간이 열린 뒤에 자체평가를 작성할 수 있습니다" in page
    assert client.post(f"{URL}save/", SELF).status_code == 403
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today + timedelta(days=3), due_on=today + timedelta(9)
    )
    assert client.post(f"{URL}save/", SELF).status_code == 403
    assert not Evaluation.objects.exists()


def test_a_submission_says_what_is_missing(client, alice, digital_project, open_period):
    client.force_login(alice)
    response = client.post(f"{URL}submit/", {**SELF, "narrative": "", "proposed_grade": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "제출하려면 적어 주세요" in page
    assert "제출하려면 자체 평가 등급을 고르세요" in page
    assert "저장하지 못했습니다. 아래 항목을 고쳐" in page  # a list at the top of the form
    assert not Evaluation.objects.exists()


def test_a_stale_save_is_refused_and_the_text_shown_back(
    client, alice, digital_project, open_period
):
    services.evaluation_save(
        user=alice, project=digital_project, year=2026, values=SELF, version=None
    )
    services.evaluation_save(
        user=alice, project=digital_project, year=2026, values={"narrative": "먼저"}, version=1
    )
    client.force_login(alice)
    response = client.post(f"{URL}save/", {**SELF, "narrative": "늦게 쓴 글", "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "다른 사람이 먼저 이 연차평가를 저장했습니다" in page
    assert "늦게 쓴 글" in page
    assert Evaluation.objects.get().narrative == "먼저"


@pytest.mark.parametrize("who", ["coordinator", "committee"])
def test_the_coordinator_or_a_committee_member_grades(
    client, request, who, alice, digital_project, open_period
):
    evaluation = submitted_by(alice, digital_project)
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        f"{URL}grade/",
        {"grade": "poor", "grade_comment": "지표 미달", "version": evaluation.version},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.grade, evaluation.grade_comment) == (Grade.POOR, "지표 미달")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("lead_staff", 403), ("other_staff", 403), ("lead_head", 403)],
)
def test_staff_heads_and_visitors_never_grade(
    client, users, role, digital_project, open_period, expected
):
    evaluation = submitted_by(users["lead_staff"], digital_project)
    response = as_role(client, users, role).post(
        f"{URL}grade/",
        {"grade": "excellent", "grade_comment": "잘함", "version": evaluation.version},
    )
    assert response.status_code == expected
    evaluation.refresh_from_db()
    assert evaluation.grade == ""


def test_a_grade_needs_a_submitted_self_evaluation(
    client, alice, coordinator, digital_project, open_period
):
    services.evaluation_save(
        user=alice, project=digital_project, year=2026, values=SELF, version=None
    )
    client.force_login(coordinator)
    response = client.post(f"{URL}grade/", {"grade": "fair", "grade_comment": "보통", "version": 1})
    assert response.status_code == 400
    assert "부서가 자체평가를 제출한 뒤에 등급을 줄 수 있습니다" in response.content.decode()
    assert Evaluation.objects.get().grade == ""


def test_a_grade_needs_a_comment(alice, coordinator, digital_project, open_period):
    evaluation = submitted_by(alice, digital_project)
    with pytest.raises(ValidationError) as refused:
        graded(coordinator, evaluation, "fair", " ")
    assert "평가 의견을 적어 주세요." in refused.value.messages


def test_a_changed_grade_stays_in_the_history(
    client, alice, coordinator, committee, digital_project, open_period
):
    evaluation = submitted_by(alice, digital_project)
    evaluation = graded(committee, evaluation, "fair", "보통")
    services.evaluation_grade(
        user=coordinator, evaluation=evaluation, grade="excellent", comment="재심 결과 상향",
        version=evaluation.version,
    )  # fmt: skip
    client.force_login(committee)
    page = client.get(URL).content.decode()
    assert "재심 결과 상향" in page
    assert "평가 등급" in page and "보통" in page and "우수" in page
    assert Evaluation.history.filter(grade="fair").exists()


def test_the_coordinator_returns_a_submitted_self_evaluation(
    client, alice, coordinator, digital_project, open_period
):
    evaluation = submitted_by(alice, digital_project)
    client.force_login(coordinator)
    response = client.post(
        f"{URL}return/", {"reason": "지표 설명을 보완하세요", "version": evaluation.version}
    )
    assert response.status_code == 302
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "지표 설명을 보완하세요" in page
    assert 'action="/projects/2-2-1/evaluations/2026/submit/"' in page
    # the head of the page says so (it read "자체평가: 작성중")
    assert re.search(
        r"자체평가: 보완요청 \(\w+ · \d{4}-\d\d-\d\d\)", " ".join(strip_tags(page).split())
    )


def test_others_do_not_read_a_draft(client, alice, committee, digital_project, open_period):
    services.evaluation_save(
        user=alice, project=digital_project, year=2026, values=SELF, version=None
    )
    client.force_login(committee)
    page = client.get(URL).content.decode()
    assert SELF["narrative"] not in page
    assert "부서가 아직 자체평가를 제출하지 않았습니다" in page


def test_the_page_shows_the_criteria_and_the_years_figures(client, committee, digital_project):
    client.force_login(committee)
    page = client.get(URL).content.decode()
    assert "연간 계획 대비 실적·성과지표 달성률 90% 이상" in page
    assert "2026년 실적" in page


def test_a_year_the_project_did_not_run_has_no_evaluation(client, committee, plan):
    project = Project.objects.filter(end_year__lt=2027).order_by("code").first()
    client.force_login(committee)
    response = client.get(f"/projects/{project.code}/evaluations/2027/")
    assert response.status_code == 404


def test_the_table_counts_per_direction_and_department(
    client, alice, coordinator, plan, open_period
):
    ours = list(Project.objects.filter(lead_department=alice.department, end_year__gte=2026))
    assert len(ours) >= 2
    first, second = ours[0], ours[1]
    for project, grade in ((first, "excellent"), (second, "poor")):
        evaluation = submitted_by(alice, project)
        graded(coordinator, evaluation, grade, "의견")
    table = selectors.evaluation_table(plan=plan, year=2026)
    department = next(c for c in table.by_department if c.label == alice.department.name)
    running = [p for p in table.rows if p.lead_department_id == alice.department_id]
    assert (department.projects, department.submitted) == (len(running), 2)
    assert (department.excellent, department.fair, department.poor) == (1, 0, 1)
    assert department.ungraded == len(running) - 2
    assert table.total.projects == len(table.rows)
    assert sum(d.poor for d in table.by_direction) == 1
    assert [p.code for p in table.poor] == [second.code]
    client.force_login(coordinator)
    page = client.get("/evaluations/?year=2026").content.decode()
    assert "2026년 연차평가" in page and "전략방향별" in page and "부서별" in page
    assert f'href="/projects/{second.code}/evaluations/2026/"' in page


def test_the_table_defaults_to_the_latest_graded_year(client, alice, coordinator, digital_project):
    ReportingPeriod.objects.create(year=2025, quarter=4, opens_on="2025-10-01", due_on="2026-01-15")
    evaluation = submitted_by(alice, digital_project, year=2025)
    graded(coordinator, evaluation, "fair", "보통")
    client.force_login(alice)
    page = client.get("/evaluations/").content.decode()
    assert "2025년 연차평가" in page


def test_the_project_page_links_its_evaluations(client, committee, digital_project):
    client.force_login(committee)
    page = client.get("/projects/2-2-1/").content.decode()
    assert 'href="/projects/2-2-1/evaluations/2025/"' in page


def test_the_grade_form_is_shown_to_graders_only(
    client, users, alice, digital_project, open_period
):
    submitted_by(alice, digital_project)
    action = 'action="/projects/2-2-1/evaluations/2026/grade/"'
    for role in ("committee", "coordinator"):
        assert action in as_role(client, users, role).get(URL).content.decode(), role
    for role in ("lead_staff", "other_staff", "lead_head"):
        assert action not in as_role(client, users, role).get(URL).content.decode(), role


def test_a_project_ended_before_the_year_is_not_evaluated_for_it(
    client, alice, digital_project, open_period
):
    digital_project.end_kind, digital_project.end_reason = "suspended", "국비 공모 탈락"
    digital_project.ended_on = open_period.opens_on.replace(year=2025, month=6, day=30)
    digital_project.save()
    with pytest.raises(PermissionDenied, match="연차평가 대상이 아닙니다"):
        submitted_by(alice, digital_project)
    client.force_login(alice)
    years = [year for year, _evaluation in selectors.project_evaluations(project=digital_project)]
    assert 2026 not in years and 2025 in years
    assert not Evaluation.objects.exists()
