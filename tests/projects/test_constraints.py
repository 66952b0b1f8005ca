"""Each rule that data must obey is refused by validation (with its Korean message) and by the
database itself (by the named constraint), on SQLite and on PostgreSQL."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.choices import FilingState, ProjectStatus, ProposalResponse
from projects.models import (
    Comment,
    ImplementationPlan,
    IndicatorResult,
    IndicatorTarget,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
)
from strategies.models import Direction, Phase, Plan, Task


def project():
    return Project.objects.get(code="1-1-1")


def report(**fields):
    values = {"project": project(), "year": 2024, "quarter": 1, "progress": 10}
    return ProgressReport(**(values | fields))


def implementation_plan(**fields):
    return ImplementationPlan(**({"project": project(), "year": 2024} | fields))


def existing_report():
    return ProgressReport.objects.create(project=project(), year=2023, quarter=4, progress=5)


def copy_of(obj, **fields):
    """An unsaved twin of `obj` (same field values), to hit a uniqueness rule."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    return type(obj)(**(values | fields))


CASES = {
    "plan_years_in_order": (
        lambda: Plan(name="x", vision="v", goal="g", start_year=2027, end_year=2023),
        "종료 연도는 시작 연도와 같거나 뒤여야 합니다.",
    ),
    "phase_unique_order": (
        lambda: Phase(plan=Plan.objects.get(), order=1, name="중복"),
        "같은 계획에 같은 번호의 단계가 이미 있습니다.",
    ),
    "direction_unique_code": (
        lambda: Direction(plan=Plan.objects.get(), order=9, code="1", name="중복"),
        "같은 계획에 같은 코드의 전략방향이 이미 있습니다.",
    ),
    "task_unique_code": (
        lambda: Task(direction=Direction.objects.get(code="1"), order=9, code="1-1", number=11),
        "같은 전략방향에 같은 코드의 과제가 이미 있습니다.",
    ),
    "project_years_in_order": (
        lambda: copy_of(project(), code="x-1", start_year=2026, end_year=2024),
        "종료 연도는 시작 연도와 같거나 뒤여야 합니다.",
    ),
    "project_start_year_in_range": (
        lambda: copy_of(project(), code="x-2", start_year=1999),
        # Validation names the plan's own period, which is narrower than the database's bound.
        "1999년은 계획 기간(2023~2027) 밖입니다.",
    ),
    "project_weight_not_negative": (
        lambda: copy_of(project(), code="x-3", weight=-1),
        "가중치는 0 이상이어야 합니다.",
    ),
    "project_cost_city_not_negative": (
        lambda: copy_of(project(), code="x-4", cost_city=-1),
        "시비 금액은 0원 이상이어야 합니다.",
    ),
    "indicator_target_unique_year": (
        lambda: copy_of(IndicatorTarget.objects.filter(year=2024).first()),
        "이 지표에 같은 연도의 목표가 이미 있습니다.",
    ),
    "period_quarter_1_to_4": (
        lambda: ReportingPeriod(
            year=2024, quarter=5, opens_on=date(2024, 1, 1), due_on=date(2024, 2, 1)
        ),
        "분기는 1~4 중 하나여야 합니다.",
    ),
    "period_due_after_opening": (
        lambda: ReportingPeriod(
            year=2024, quarter=1, opens_on=date(2024, 3, 1), due_on=date(2024, 2, 1)
        ),
        "제출 기한은 작성 시작일과 같거나 뒤여야 합니다.",
    ),
    "plan_unique_project_year": (
        lambda: copy_of(ImplementationPlan.objects.create(project=project(), year=2023)),
        "이 사업의 해당 연도 시행계획이 이미 있습니다.",
    ),
    "implementation_plan_budget_national_not_negative": (
        lambda: implementation_plan(budget_national=-5),
        "국비 금액은 0원 이상이어야 합니다.",
    ),
    "implementation_plan_return_has_reason": (
        lambda: implementation_plan(
            state=FilingState.RETURNED, reviewed_by=_someone(), reviewed_at=timezone.now()
        ),
        "보완요청에는 사유를 적어야 합니다.",
    ),
    "report_progress_0_to_100": (
        lambda: report(progress=101),
        "진척률은 0~100 사이여야 합니다.",
    ),
    "report_quarter_1_to_4": (
        lambda: report(quarter=5),
        "분기는 1~4 중 하나여야 합니다.",
    ),
    "report_unique_project_quarter": (
        lambda: copy_of(existing_report()),
        "이 사업의 해당 분기 실적이 이미 있습니다.",
    ),
    "report_spent_private_not_negative": (
        lambda: report(spent_private=-1),
        "민자 금액은 0원 이상이어야 합니다.",
    ),
    "report_submission_stamped": (
        lambda: report(state=FilingState.SUBMITTED),
        "제출된 문서에는 제출자와 제출 일시가 있어야 합니다.",
    ),
    "report_delay_explained": (
        lambda: report(
            status=ProjectStatus.DELAYED,
            state=FilingState.SUBMITTED,
            submitted_at=timezone.now(),
            submitted_by=_someone(),
            problems="예산 지연",
        ),
        "추진상태가 지연 또는 부진이면 문제점과 대응방안을 적어야 제출할 수 있습니다.",
    ),
    "result_unique_indicator": (
        lambda: copy_of(
            IndicatorResult.objects.create(
                report=existing_report(), indicator=project().indicators.first(), value=1
            )
        ),
        "이 실적에 같은 지표의 값이 이미 있습니다.",
    ),
    "comment_on_exactly_one_filing": (
        lambda: Comment(author=_someone(), body="의견"),
        "의견은 시행계획, 분기 실적, 변경계획 중 하나에 달아야 합니다.",
    ),
    "proposal_response_has_reason": (
        lambda: Proposal(
            title="제안",
            content="내용",
            year=2024,
            proposed_by=_someone(),
            department=project().lead_department,
            response=ProposalResponse.DECLINE,
        ),
        "검토 결과에는 검토 의견을 함께 적어야 합니다.",
    ),
}


def _someone():
    from tests.factories import UserFactory

    return UserFactory(username="someone")


@pytest.mark.parametrize("name", CASES)
def test_validation_refuses_it_with_a_korean_message(plan, name):
    build, message = CASES[name]
    record = build()
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert message in error.value.messages


@pytest.mark.parametrize("name", CASES)
def test_the_database_refuses_it_too(plan, name):
    build, _ = CASES[name]
    record = build()
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        record.save()
    if "unique" not in name:  # SQLite names check constraints, not unique ones
        assert name in str(error.value)


def test_a_valid_report_passes(plan):
    record = report(
        status=ProjectStatus.DELAYED,
        problems="예산 지연",
        countermeasures="추경 반영",
        state=FilingState.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=_someone(),
    )
    record.full_clean()
    record.save()
    assert ProgressReport.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: report(year=2030), "year"),
        (lambda: implementation_plan(year=2022), "year"),
        (lambda: copy_of(project(), code="x-9", end_year=2031), "end_year"),
    ],
)
def test_years_outside_the_plan_period_are_refused(plan, build, field):
    with pytest.raises(ValidationError) as error:
        build().full_clean()
    assert "계획 기간(2023~2027) 밖입니다." in error.value.message_dict[field][0]


def test_a_task_number_is_unique_within_the_plan(plan):
    task = Task(direction=Direction.objects.get(code="2"), order=9, code="2-9", number=1, name="x")
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert error.value.message_dict["number"] == ["같은 계획에 같은 번호의 과제가 이미 있습니다."]
