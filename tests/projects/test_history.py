"""History says what changed, field by field, in Korean labels with old → new values, for
plans, reports, projects, indicator targets and departments; the coordinator sees a filing's
versions side by side."""

import re
from decimal import Decimal

import pytest
from django.utils.html import strip_tags

from projects import services
from projects.choices import ProjectStatus
from projects.models import Department, Indicator, IndicatorTarget, ProgressReport
from tests.factories import acknowledged_submit

PLAN_URL = "/projects/2-2-1/plans/2026/"
REPORT_URL = "/projects/2-2-1/reports/2026/4/"
PROJECT_URL = "/projects/2-2-1/"


def text(response) -> str:
    """The page as a reader sees it: tags gone, spaces collapsed."""
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def save_plan(user, project, *, version=None, **values):
    return services.plan_save(
        user=user, project=project, year=2026, version=version,
        values={"goal": "첫 목표", "budget_city": 300_000_000} | values,
    )  # fmt: skip


def save_report(user, project, *, version=None, **values):
    return services.report_save(
        user=user, project=project, year=2026, quarter=4, version=version, results={},
        values={"progress": 10, "status": ProjectStatus.ON_TRACK} | values,
    )  # fmt: skip


@pytest.fixture
def revised_plan(alice, digital_project):
    plan = save_plan(alice, digital_project)
    return save_plan(
        alice, digital_project, version=plan.version, goal="추경 반영 목표", budget_city=500_000_000
    )


def test_a_plans_history_lists_each_changed_field_with_its_old_and_new_value(
    client, committee, revised_plan
):
    client.force_login(committee)
    page = text(client.get(PLAN_URL))
    assert "추진 목표: 첫 목표 → 바뀐 값: 추경 반영 목표" in page
    # Money in 백만원, labelled without the stored unit (원).
    assert "예산 시비: 300.0 백만원 → 바뀐 값: 500.0 백만원" in page
    assert "버전:" not in page and "수정 일시:" not in page  # counters and stamps are not news


def test_a_reports_history_shows_a_status_by_its_label_and_the_submitter_by_name(
    client, committee, alice, digital_project, open_period
):
    alice.last_name, alice.first_name = "김", "앨리스"
    alice.save()
    report = save_report(alice, digital_project)
    report = save_report(
        alice, digital_project, version=report.version, status=ProjectStatus.DELAYED,
        problems="납품 지연", countermeasures="대체 공급처",
    )  # fmt: skip
    acknowledged_submit(user=alice, filing=report)
    client.force_login(committee)
    page = text(client.get(REPORT_URL))
    assert "추진상태: 정상 → 바뀐 값: 지연" in page
    assert "제출자: — → 바뀐 값: 김앨리스 (alice)" in page
    assert "처리 상태: 작성중 → 바뀐 값: 제출" in page


def test_a_projects_page_lists_changes_of_the_project_its_targets_and_its_department(
    client, committee, coordinator, digital_project
):
    climate = Department.objects.create(code="climate2", name="기후환경과2")
    digital_project.weight = 2
    digital_project.lead_department = climate
    digital_project.save()
    indicator = Indicator.objects.filter(project=digital_project).order_by("order").first()
    target = IndicatorTarget.objects.get(indicator=indicator, year=2026)
    old_target = target.value
    target.value = old_target + 7
    target.save()
    climate.name = "기후에너지과"
    climate.save()
    client.force_login(committee)
    page = text(client.get(PROJECT_URL))
    assert "가중치: 1.00 → 바뀐 값: 2.00" in page
    # A related record by its name (as it is called now: the department was renamed since).
    assert "주관부서: 디지털산업과 → 바뀐 값: 기후에너지과" in page
    assert f"{indicator.name} 2026년 목표 수정" in page
    assert f"목표값: {old_target} → 바뀐 값: {old_target + 7}" in page
    assert "부서명: 기후환경과2 → 바뀐 값: 기후에너지과" in page


def test_the_409_page_shows_what_changed_with_the_same_labels(
    client, coordinator, alice, digital_project, open_period
):
    report = acknowledged_submit(user=alice, filing=save_report(alice, digital_project))
    shown = report.version
    services.filing_return(user=coordinator, filing=report, reason="보완")
    report = ProgressReport.objects.get()
    report = save_report(alice, digital_project, version=report.version, progress=40)
    acknowledged_submit(user=alice, filing=report)
    other = coordinator.__class__.objects.create(username="dora")
    other.groups.add(*coordinator.groups.all())
    client.force_login(other)
    response = client.post(f"{REPORT_URL}approve/", {"version": shown})
    assert response.status_code == 409
    page = text(response)
    assert re.search(r"보셨던 내용 ?지금 내용 ?진척률\(%\) ?10\.0 40\.0", page)


# --- Versions side by side -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"), [("alice", 403), ("committee", 403), ("coordinator", 200)]
)
def test_only_the_coordinator_sees_versions_side_by_side(
    client, revised_plan, alice, committee, coordinator, who, expected
):
    client.force_login({"alice": alice, "committee": committee, "coordinator": coordinator}[who])
    response = client.get(f"{PLAN_URL}versions/?a=1&b=2")
    assert response.status_code == expected
    if expected == 403:
        assert "총괄 관리자만 문서의 두 버전을 비교할 수 있습니다" in response.content.decode()


def test_two_versions_stand_side_by_side_with_the_changed_fields_marked(
    client, coordinator, revised_plan
):
    client.force_login(coordinator)
    page = client.get(f"{PLAN_URL}versions/?a=1&b=2").content.decode()
    budget = next(row for row in re.findall(r"<tr.*?</tr>", page, re.S) if "예산 시비" in row)
    assert "300.0" in budget and "500.0" in budget and ">변경<" in budget
    content = next(row for row in re.findall(r"<tr.*?</tr>", page, re.S) if "추진 내용" in row)
    assert ">변경<" not in content  # unchanged: no mark
    assert "versions__changed" in budget  # the mark is a word and a style, not a colour alone


def test_without_numbers_it_compares_the_latest_version_with_the_one_before(
    client, coordinator, revised_plan
):
    client.force_login(coordinator)
    page = text(client.get(f"{PLAN_URL}versions/"))
    assert "1번 버전" in page and "2번 버전" in page


@pytest.mark.parametrize("query", ["a=abc", "b=-1", "a=1.5", "a=%C2%B2", "a=1&b=" + "9" * 12])
def test_a_version_that_is_not_a_number_is_a_400_in_korean(
    client, coordinator, revised_plan, query
):
    client.force_login(coordinator)
    response = client.get(f"{PLAN_URL}versions/?{query}")
    assert response.status_code == 400
    assert "버전 번호는 1 이상의 숫자여야 합니다" in response.content.decode()


@pytest.mark.parametrize("query", ["a=9", "a=1&b=0", "b=99"])
def test_a_version_the_document_never_had_is_a_404_naming_the_ones_it_has(
    client, coordinator, revised_plan, query
):
    client.force_login(coordinator)
    response = client.get(f"{PLAN_URL}versions/?{query}")
    assert response.status_code == 404
    assert "버전은 없습니다. 있는 버전: 1~2" in text(response)


def test_a_report_has_its_versions_page_too(
    client, coordinator, alice, digital_project, open_period
):
    report = save_report(alice, digital_project)
    save_report(alice, digital_project, version=report.version, progress=35)
    client.force_login(coordinator)
    page = text(client.get(f"{REPORT_URL}versions/?a=1&b=2"))
    assert "진척률(%) 변경 10.0 35.0" in page


def test_the_coordinator_reaches_the_comparison_from_the_history(
    client, coordinator, committee, revised_plan
):
    client.force_login(coordinator)
    assert f'href="{PLAN_URL}versions/?b=2"' in client.get(PLAN_URL).content.decode()
    client.force_login(committee)
    assert "versions/" not in client.get(PLAN_URL).content.decode()


def test_an_unwritten_document_has_nothing_to_compare(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(f"{PLAN_URL}versions/")
    assert response.status_code == 200
    assert "아직 작성된 문서가 없어 비교할 버전이 없습니다" in response.content.decode()


def test_a_project_that_does_not_run_that_year_is_a_404(client, coordinator, plan):
    client.force_login(coordinator)
    assert client.get("/projects/2-2-1/plans/2030/versions/").status_code == 404
    assert client.get("/projects/nope/plans/2026/versions/").status_code == 404


# --- A report's indicator values, version by version ----------------------------------------


@pytest.fixture
def indicator(digital_project):
    return Indicator.objects.filter(project=digital_project).order_by("order").first()


def save_results(user, project, results, *, version=None):
    return services.report_save(
        user=user, project=project, year=2026, quarter=4, version=version, results=results,
        values={"progress": 10, "status": ProjectStatus.ON_TRACK},
    )  # fmt: skip


def test_a_reports_history_shows_its_indicator_values_old_and_new(
    client, committee, alice, digital_project, open_period, indicator
):
    report = save_results(alice, digital_project, {indicator.pk: Decimal("10")})
    report = save_results(
        alice, digital_project, {indicator.pk: Decimal("25.5")}, version=report.version
    )
    save_results(alice, digital_project, {indicator.pk: None}, version=report.version)
    client.force_login(committee)
    page = text(client.get(REPORT_URL))
    label = f"{indicator.name} 실적 ({indicator.unit})"
    assert f"{label}: 10 → 바뀐 값: 25.50" in page  # as the report shows them
    assert f"{label}: 25.50 → 바뀐 값: —" in page  # a value cleared
    # Only a save's own changes: the first version shows none, the second not the third's.
    assert page.count(f"{label}:") == 2


def test_versions_side_by_side_show_the_indicator_values_of_each(
    client, coordinator, alice, digital_project, open_period, indicator
):
    report = save_results(alice, digital_project, {indicator.pk: Decimal("10")})
    report = save_results(
        alice, digital_project, {indicator.pk: Decimal("12")}, version=report.version
    )
    save_results(alice, digital_project, {indicator.pk: Decimal("12")}, version=report.version)
    client.force_login(coordinator)
    assert f"{indicator.name} 실적 ({indicator.unit}) 변경 10 12" in text(
        client.get(f"{REPORT_URL}versions/?a=1&b=2")
    )
    unchanged = text(client.get(f"{REPORT_URL}versions/?a=2&b=3"))
    assert f"{indicator.name} 실적 ({indicator.unit}) 12 12" in unchanged


def test_the_409_page_shows_an_indicator_value_changed_meanwhile(
    client, coordinator, alice, digital_project, open_period, indicator
):
    report = save_results(alice, digital_project, {indicator.pk: Decimal("10")})
    report = acknowledged_submit(user=alice, filing=report)
    shown = report.version
    services.filing_return(user=coordinator, filing=report, reason="보완")
    report = ProgressReport.objects.get()
    report = save_results(
        alice, digital_project, {indicator.pk: Decimal("40")}, version=report.version
    )
    acknowledged_submit(user=alice, filing=report)
    client.force_login(coordinator)
    response = client.post(f"{REPORT_URL}approve/", {"version": shown})
    assert response.status_code == 409
    label = re.escape(f"{indicator.name} 실적 ({indicator.unit})")
    assert re.search(rf"보셨던 내용 ?지금 내용 ?{label} ?10 40", text(response))


def test_a_value_of_an_indicator_deleted_since_is_still_in_the_history(
    client, committee, alice, digital_project, open_period, indicator
):
    report = save_results(alice, digital_project, {indicator.pk: Decimal("10")})
    save_results(alice, digital_project, {indicator.pk: None}, version=report.version)
    indicator.delete()  # no result holds it any more
    client.force_login(committee)
    assert "(삭제된 성과지표) 실적: 10 → 바뀐 값: —" in text(client.get(REPORT_URL))
