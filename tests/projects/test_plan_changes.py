"""Changes to an approved yearly plan (변경계획): requested by the lead department's staff,
signed off by the head where the department has it, approved or returned by the coordinator.
Approval changes the plan and its targets and keeps 당초; a return leaves the plan untouched."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import selectors, services
from projects.choices import FilingState, PlanChangeKind, Role
from projects.models import Comment, ImplementationPlan, IndicatorTarget, PlanChange
from tests.factories import UserFactory

BUDGET = {f"budget_{s}": 0 for s in ("national", "provincial", "city", "private", "other")}


def proposed(plan, **values):
    """The plan's values with `values` changed, as a change request posts them."""
    return {
        "kind": PlanChangeKind.SUPPLEMENTARY,
        "reason": "추경 확보",
        **services.plan_changes.current_values(plan),
        **values,
    }


def request(user, plan, *, targets=None, submit=True, **values):
    return services.plan_change_save(
        user=user, plan=plan, change=None, values=proposed(plan, **values),
        targets=targets or {}, version=None, submit=submit,
    )  # fmt: skip


def test_a_returned_change_request_leaves_the_plan_untouched(alice, coordinator, approved_plan):
    change = request(alice, approved_plan, budget_city=150_000_000)
    services.plan_change_return(
        user=coordinator, change=change, reason="근거 부족", version=change.version
    )
    approved_plan.refresh_from_db()
    assert approved_plan.budget_city == 100_000_000
    assert approved_plan.state == FilingState.APPROVED
    assert PlanChange.objects.get().state == FilingState.RETURNED
    assert Comment.objects.get(change=change).body == "근거 부족"


def test_approval_changes_the_plan_and_its_targets_and_keeps_the_original(
    alice, coordinator, approved_plan, digital_project
):
    indicator = digital_project.indicators.first()
    change = request(
        alice, approved_plan, budget_city=150_000_000, goal="플랫폼 고도화",
        targets={indicator.pk: Decimal(12)},
    )  # fmt: skip
    services.plan_change_approve(user=coordinator, change=change, version=change.version)
    approved_plan.refresh_from_db()
    assert approved_plan.budget_city == 150_000_000
    assert approved_plan.goal == "플랫폼 고도화"
    assert approved_plan.state == FilingState.APPROVED
    assert IndicatorTarget.objects.get(indicator=indicator, year=2026).value == 12
    change.refresh_from_db()
    assert change.original["budget_city"] == 100_000_000
    assert change.original["targets"][str(indicator.pk)] == "10.00"
    original = selectors.original_plans([approved_plan])[approved_plan.pk]
    assert original.budget_total == 100_000_000
    assert original.goal == "플랫폼 구축"


def test_the_plan_history_lists_the_changed_fields_with_the_reason(
    alice, coordinator, approved_plan
):
    change = request(alice, approved_plan, budget_city=150_000_000)
    services.plan_change_approve(user=coordinator, change=change, version=change.version)
    latest = selectors.filing_history(approved_plan)[0]
    assert latest.record.history_change_reason == "변경계획 승인(추경): 추경 확보"
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("예산 시비", 100_000_000, 150_000_000)
    ]


def test_the_original_is_that_of_the_first_approved_change(alice, coordinator, approved_plan):
    for amount in (150_000_000, 180_000_000):
        change = request(alice, approved_plan, budget_city=amount)
        services.plan_change_approve(user=coordinator, change=change, version=change.version)
        approved_plan.refresh_from_db()
    original = selectors.original_plans([approved_plan])[approved_plan.pk]
    assert (original.budget_total, approved_plan.budget_total) == (100_000_000, 180_000_000)


def test_only_the_lead_departments_staff_request_a_change(
    bob, coordinator, committee, approved_plan
):
    head = UserFactory(username="dana", department=approved_plan.project.lead_department,
                       role=Role.HEAD)  # fmt: skip
    for user in (bob, coordinator, committee, head):
        with pytest.raises(ValidationError, match="주관부서의 담당자만"):
            request(user, approved_plan, budget_city=1)
    assert not PlanChange.objects.exists()


def test_only_an_approved_plan_can_be_changed(alice, approved_plan):
    ImplementationPlan.objects.filter(pk=approved_plan.pk).update(state=FilingState.DRAFT)
    approved_plan.refresh_from_db()
    with pytest.raises(ValidationError, match="승인된 시행계획만"):
        request(alice, approved_plan, budget_city=1)


def test_a_plan_has_one_open_change_request_at_a_time(alice, approved_plan):
    request(alice, approved_plan, budget_city=1, submit=False)
    with pytest.raises(ValidationError, match="진행 중인 변경 요청이 이미 있습니다"):
        request(alice, approved_plan, budget_city=2)
    assert PlanChange.objects.count() == 1


def test_only_the_coordinator_approves_and_never_their_own(
    alice, coordinator, committee, approved_plan
):
    change = request(alice, approved_plan, budget_city=150_000_000)
    for user in (alice, committee):
        with pytest.raises(PermissionDenied):
            services.plan_change_approve(user=user, change=change, version=change.version)
    PlanChange.objects.filter(pk=change.pk).update(edited_by=coordinator)
    change.refresh_from_db()
    with pytest.raises(PermissionDenied, match="검토"):
        services.plan_change_approve(user=coordinator, change=change, version=change.version)
    approved_plan.refresh_from_db()
    assert approved_plan.budget_city == 100_000_000


def test_with_sign_off_on_the_head_signs_off_first(alice, coordinator, approved_plan):
    department = approved_plan.project.lead_department
    department.signoff_required = True
    department.save()
    head = UserFactory(username="dana", department=department, role=Role.HEAD)
    change = request(alice, approved_plan, budget_city=150_000_000)
    assert change.state == FilingState.SIGNOFF
    with pytest.raises(ValidationError, match="부서장 확인"):
        services.plan_change_approve(user=coordinator, change=change, version=change.version)
    services.filing_sign_off(user=head, filing=change, version=change.version)
    assert change.state == FilingState.SUBMITTED
    services.plan_change_approve(user=coordinator, change=change, version=change.version)
    approved_plan.refresh_from_db()
    assert approved_plan.budget_city == 150_000_000


def test_a_review_of_a_stale_version_is_refused(alice, coordinator, approved_plan):
    change = request(alice, approved_plan, budget_city=150_000_000)
    with pytest.raises(services.ConflictError):
        services.plan_change_approve(user=coordinator, change=change, version=change.version - 1)
    approved_plan.refresh_from_db()
    assert approved_plan.budget_city == 100_000_000


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reason": "  "}, "변경 사유를 적어 주세요"),
        ({"budget_city": -1}, "시비 금액은 0원 이상이어야 합니다"),
    ],
)
def test_bad_input_is_refused_in_korean_and_nothing_is_written(
    alice, approved_plan, values, message
):
    with pytest.raises(ValidationError, match=message):
        request(alice, approved_plan, **values)
    assert not PlanChange.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"goal": " "}, "goal", "추진 목표를 적어 주세요"),
        ({"q3_plan": "", "q4_plan": ""}, "q3_plan", "분기별 계획이 비어 있습니다"),
    ],
)
def test_a_change_may_not_leave_the_plan_without_what_a_plan_must_say(
    alice, approved_plan, values, field, message
):
    """Seen approved: a change that emptied the goal and every quarter's plan."""
    with pytest.raises(ValidationError) as refused:
        request(alice, approved_plan, budget_city=120_000_000, **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not PlanChange.objects.exists()
    # Saved as a draft it may be unfinished; it is submitting that needs it whole.
    request(alice, approved_plan, submit=False, budget_city=120_000_000, **values)
    assert PlanChange.objects.get().state == FilingState.DRAFT


def test_a_plan_of_a_year_that_is_over_is_not_changed(alice, approved_plan):
    """Seen approved in December 2026: a change of the 2025 plan, already carried out."""
    last_year = timezone.localdate().year - 1
    approved_plan.year = last_year
    approved_plan.save()
    with pytest.raises(ValidationError, match=f"{last_year}년은 지났습니다"):
        request(alice, approved_plan, budget_city=120_000_000)
    assert not PlanChange.objects.exists()


def test_a_change_of_a_year_now_over_is_not_withdrawn_since_it_could_not_be_sent_again(
    alice, approved_plan
):
    """Submitted in December, taken back in January, it would stay open for good: a past
    year's change is neither edited nor submitted."""
    change = request(alice, approved_plan, budget_city=120_000_000)
    ImplementationPlan.objects.filter(pk=approved_plan.pk).update(
        year=timezone.localdate().year - 1
    )
    change = PlanChange.objects.select_related("plan").get(pk=change.pk)
    with pytest.raises(ValidationError, match="회수하면 다시 제출할 수 없어"):
        services.filing_withdraw(user=alice, filing=change)
    assert PlanChange.objects.get(pk=change.pk).state == FilingState.SUBMITTED


def test_a_request_that_changes_nothing_is_not_submitted(alice, approved_plan):
    with pytest.raises(ValidationError, match="달라진 값이 없습니다"):
        request(alice, approved_plan)
    assert not PlanChange.objects.exists()


def test_a_returned_request_can_be_revised_and_submitted_again(alice, coordinator, approved_plan):
    change = request(alice, approved_plan, budget_city=150_000_000)
    services.plan_change_return(user=coordinator, change=change, reason="금액 확인", version=2)
    change = services.plan_change_save(
        user=alice, plan=approved_plan, change=change,
        values=proposed(approved_plan, budget_city=140_000_000),
        targets={}, version=change.version, submit=True,
    )  # fmt: skip
    assert change.state == FilingState.SUBMITTED
    services.plan_change_approve(user=coordinator, change=change, version=change.version)
    approved_plan.refresh_from_db()
    assert approved_plan.budget_city == 140_000_000


def test_the_admin_reads_a_change_but_cannot_rewrite_it(admin_client, alice, approved_plan):
    """Edited in the admin, a change skipped every rule of the app (a past year, the plan's
    required text, sign-off and review)."""
    change = request(alice, approved_plan, budget_city=120_000_000)
    url = f"/admin/projects/planchange/{change.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.post(url, {"goal": "", "reason": "관리자"}).status_code == 403
    assert admin_client.get("/admin/projects/planchange/add/").status_code == 403
    change.refresh_from_db()
    assert change.reason == "추경 확보"
