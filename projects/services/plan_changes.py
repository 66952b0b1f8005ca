"""Changes to an approved yearly plan (변경계획).

The lead department's staff propose new values for an approved plan (goal, quarterly plans,
budget by source, the year's indicator targets) with a type and a reason, and submit them;
they go through the filing workflow of services.filings and services.signoff (the head's
sign-off where the department has it, the coordinator's approval or return; nobody reviews
their own). On approval, in one transaction, the change keeps the plan's values as they were
(`original`), and the plan and that year's indicator targets take the new ones; the plan
stays approved, and its history names the change. A return leaves the plan untouched.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, selectors
from ..choices import FilingState, FundingSource
from ..models import ImplementationPlan, IndicatorTarget, PlanChange, PlanChangeTarget, User
from ..models.plan_changes import CHANGED_TEXT, OPEN_STATES
from . import signoff
from .filings import (
    _save_versioned,
    _text,
    apply_values,
    filing_approve,
    filing_return,
    indicator_value_check,
    past_year_refusal,
)

BUDGET_FIELDS = tuple(f"budget_{source}" for source in FundingSource.values)
# What a plan change carries of its plan: the values it proposes.
PROPOSED_FIELDS = (*CHANGED_TEXT, *BUDGET_FIELDS)
CHANGE_FIELDS = frozenset(["kind", "reason", *PROPOSED_FIELDS])


def request_refusal(*, user: User, plan: ImplementationPlan) -> str | None:
    """Why `user` may not start a change request of `plan` now, or None when they may."""
    if not permissions.may_request_plan_change(user, plan.project):
        return str(permissions.may_request_plan_change_any.refusal)
    if plan.state != FilingState.APPROVED:
        return _("승인된 시행계획만 변경을 요청할 수 있습니다.")
    if past_year := past_year_refusal(plan):
        return past_year
    if plan.changes.filter(state__in=OPEN_STATES).exists():
        return _(
            "이 시행계획에는 진행 중인 변경 요청이 이미 있습니다. 그 요청을 이어서 작성하세요."
        )
    return None


def change_edit_refusal(*, user: User, change: PlanChange) -> str | None:
    """Why `user` may not edit or submit `change` now, or None when they may."""
    if not permissions.may_request_plan_change(user, change.project):
        return str(permissions.may_request_plan_change_any.refusal)
    if change.state == FilingState.APPROVED:
        return _("승인된 변경 요청은 수정할 수 없습니다. 필요하면 새로 요청하세요.")
    if change.state == FilingState.SUBMITTED:
        return _("제출된 변경 요청은 검토가 끝날 때까지 수정할 수 없습니다.")
    if change.state == FilingState.SIGNOFF:
        return _("부서장 확인을 기다리는 변경 요청은 수정할 수 없습니다.")
    if change.plan.state != FilingState.APPROVED:
        return _("시행계획이 승인 상태가 아니어서 변경을 요청할 수 없습니다.")
    return past_year_refusal(change.plan)


def _proposal_errors(change: PlanChange) -> None:
    """The plan's own rules for what it must say (a goal, each quarter's plan: the errors of
    selectors.plan_checks about them), applied to the plan as the change would leave it, on
    the change's fields. Its budget may go to nothing: a 추경 may cut a project to zero."""
    plan = change.plan
    proposed = ImplementationPlan(project=plan.project, year=plan.year, no_budget=True)
    for name in PROPOSED_FIELDS:
        setattr(proposed, name, getattr(change, name))
    errors = {}
    for check in selectors.plan_checks(proposed):
        if check.is_error and check.field in CHANGED_TEXT:
            errors.setdefault(check.field, []).append(check.message)
    if errors:
        raise ValidationError(errors)


def current_values(plan: ImplementationPlan) -> dict:
    """What a change proposes of `plan`, as the plan says it now (where a new request starts)."""
    return {name: getattr(plan, name) for name in PROPOSED_FIELDS}


def current_targets(plan: ImplementationPlan) -> dict[int, Decimal]:
    """The plan year's target of each of its project's indicators that has one."""
    return {
        target.indicator_id: target.value
        for target in IndicatorTarget.objects.filter(
            indicator__project_id=plan.project_id, year=plan.year
        )
    }


@transaction.atomic
def plan_change_save(
    *,
    user: User,
    plan: ImplementationPlan,
    change: PlanChange | None,
    values: dict,
    targets: dict[int, Decimal | None],
    version: int | None,
    submit: bool = False,
    link: str = "",
) -> PlanChange:
    """Create (change None) or update the draft of a change of `plan`: its type, reason and
    proposed values, and the proposed target of each indicator (None: keep the current one).
    With `submit`, send it for review as well (plan_change_submit): both or neither."""
    if change is None:
        refusal = request_refusal(user=user, plan=plan)
        change = PlanChange(plan=plan)
    else:
        refusal = change_edit_refusal(user=user, change=change)
    if refusal:
        raise ValidationError(refusal)
    values = dict(values)
    values["reason"] = _text(values.get("reason", ""), "reason")
    if not values["reason"]:
        raise ValidationError({"reason": _("변경 사유를 적어 주세요.")})
    apply_values(change, values, CHANGE_FIELDS)
    change.edited_by = user
    change.full_clean(validate_unique=False, validate_constraints=False, exclude=["plan"])
    indicators = set(plan.project.indicators.values_list("pk", flat=True))
    for indicator_id, value in targets.items():
        if indicator_id not in indicators:
            raise ValidationError(_("이 사업의 성과지표가 아닙니다."))
        indicator_value_check(value)
    _save_versioned(change, version=version, user=user)
    _save_targets(change, targets, user=user)
    if submit:
        plan_change_submit(user=user, change=change, version=change.version, link=link)
    return change


def _save_targets(change: PlanChange, targets: dict[int, Decimal | None], *, user: User) -> None:
    stored = {target.indicator_id: target for target in change.targets.all()}
    for indicator_id, value in targets.items():
        target = stored.get(indicator_id)
        if value is None:
            if target is not None:
                target._history_user = user
                target.delete()
        elif target is None:
            created = PlanChangeTarget(change=change, indicator_id=indicator_id, value=value)
            created._history_user = user
            created.save()
        elif target.value != value:
            target.value = value
            target._history_user = user
            target.save()


def _proposes_nothing(change: PlanChange) -> bool:
    plan = change.plan
    same = all(getattr(change, name) == getattr(plan, name) for name in PROPOSED_FIELDS)
    now = current_targets(plan)
    targets = {t.indicator_id: t.value for t in change.targets.all()}
    return same and all(now.get(indicator) == value for indicator, value in targets.items())


@transaction.atomic
def plan_change_submit(
    *, user: User, change: PlanChange, version: int | None = None, link: str = ""
) -> PlanChange:
    """Send a draft or returned change for review: to the department head first when the
    department has sign-off switched on, else to the coordinator."""
    refusal = change_edit_refusal(user=user, change=change)
    if refusal:
        raise ValidationError(refusal)
    others = change.plan.changes.filter(state__in=OPEN_STATES).exclude(pk=change.pk)
    if others.exists():
        raise ValidationError(_("이 시행계획에는 진행 중인 다른 변경 요청이 있습니다."))
    if _proposes_nothing(change):
        raise ValidationError(_("현재 시행계획과 달라진 값이 없습니다. 바꿀 값을 적어 주세요."))
    _proposal_errors(change)
    to_head = signoff.signoff_required(change)
    change.state = FilingState.SIGNOFF if to_head else FilingState.SUBMITTED
    change.submitted_by = user
    change.submitted_at = timezone.now()
    change.signed_off_by = change.signed_off_at = None
    change.reviewed_by = change.reviewed_at = None  # a new submission, a new review
    _save_versioned(change, version=change.version if version is None else version, user=user)
    if to_head:
        signoff.notify_head(change, link=link)
    return change


def _snapshot(plan: ImplementationPlan, targets: dict[int, Decimal]) -> dict:
    """The plan's values before a change (JSON: money as whole won, targets as text)."""
    snapshot = current_values(plan)
    snapshot["targets"] = {str(indicator): str(value) for indicator, value in targets.items()}
    return snapshot


def change_reason(change: PlanChange) -> str:
    """The plan history's note of an approved change."""
    return _("변경계획 승인(%(kind)s): %(reason)s") % {
        "kind": change.get_kind_display(),
        "reason": change.reason,
    }


@transaction.atomic
def plan_change_approve(
    *, user: User, change: PlanChange, comment: str = "", version: int | None = None
) -> PlanChange:
    """Approve a submitted change (the coordinator, not its author) and apply it: the plan
    and the year's indicator targets take its values, the change keeps what they were."""
    plan = ImplementationPlan.objects.select_for_update().get(pk=change.plan_id)
    if plan.state != FilingState.APPROVED:
        raise ValidationError(_("시행계획이 승인 상태가 아니어서 변경을 반영할 수 없습니다."))
    now = current_targets(plan)
    change.original = _snapshot(plan, now)
    filing_approve(user=user, filing=change, comment=comment, version=version)
    for name in PROPOSED_FIELDS:
        setattr(plan, name, getattr(change, name))
    plan.no_budget = plan.no_budget and plan.budget_total == 0
    plan._change_reason = change_reason(change)
    _save_versioned(plan, version=plan.version, user=user)
    targets = IndicatorTarget.objects.filter(indicator__project_id=plan.project_id, year=plan.year)
    stored = {target.indicator_id: target for target in targets}
    for proposed in change.targets.all():
        target = stored.get(proposed.indicator_id) or IndicatorTarget(
            indicator_id=proposed.indicator_id, year=plan.year
        )
        if target.pk is None or target.value != proposed.value:
            target.value = proposed.value
            target._history_user = user
            target._change_reason = plan._change_reason
            target.save()
    change.plan = plan
    return change


@transaction.atomic
def plan_change_return(
    *, user: User, change: PlanChange, reason: str, version: int | None = None
) -> PlanChange:
    """Refuse a submitted change with a reason (the coordinator): the plan stays as it was;
    the department may revise the request and submit it again, or start another."""
    return filing_return(user=user, filing=change, reason=reason, version=version)
