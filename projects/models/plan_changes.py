"""Changes to an approved yearly plan (변경계획): proposed, reviewed, and applied on approval."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.choices import FilingState, PlanChangeKind

from .fields import BudgetBySource, money_constraints
from .filings import Filing, ImplementationPlan
from .work import Indicator

# A change in one of these states is still under way: a plan has at most one at a time.
OPEN_STATES = (FilingState.DRAFT, FilingState.SIGNOFF, FilingState.SUBMITTED)
# What a change proposes of its plan (the plan's own field names), besides indicator targets.
CHANGED_TEXT = ("goal", "q1_plan", "q2_plan", "q3_plan", "q4_plan")


class PlanChange(Filing, BudgetBySource):
    """A department's request to revise its approved plan of one year: the new goal, quarterly
    plans, budget by source and indicator targets, with its type and reason. It follows the
    filing workflow (sign-off where the department has it, then the coordinator's review); on
    approval the plan takes these values, and `original` keeps what the plan said before."""

    plan = models.ForeignKey(
        ImplementationPlan, models.PROTECT, related_name="changes", verbose_name=_("시행계획")
    )
    kind = models.CharField(
        _("변경 유형"), max_length=20, choices=PlanChangeKind, default=PlanChangeKind.SUPPLEMENTARY
    )
    reason = models.TextField(_("변경 사유"))
    goal = models.TextField(_("추진 목표"), blank=True)
    q1_plan = models.TextField(_("1분기 계획"), blank=True)
    q2_plan = models.TextField(_("2분기 계획"), blank=True)
    q3_plan = models.TextField(_("3분기 계획"), blank=True)
    q4_plan = models.TextField(_("4분기 계획"), blank=True)
    # The plan's values when this change was approved (당초 of its first approved change):
    # the fields above and the budget by source, and "targets" {indicator id: "value"}.
    original = models.JSONField(_("변경 전 값"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("변경계획")
        verbose_name_plural = _("변경계획")
        ordering = ["plan", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(state__in=OPEN_STATES),
                name="plan_change_one_open_per_plan",
                violation_error_message=_(
                    "이 시행계획에는 진행 중인 변경 요청이 이미 있습니다. "
                    "그 요청이 승인되거나 보완요청된 뒤에 새로 요청하세요."
                ),
            ),
            models.CheckConstraint(
                name="plan_change_has_reason",
                condition=~Q(reason=""),
                violation_error_message=_("변경 사유를 적어 주세요."),
            ),
            *money_constraints("budget", "plan_change"),
            *Filing.workflow_constraints("plan_change"),
        ]

    def __str__(self) -> str:
        return _("%(plan)s 변경계획(%(kind)s)") % {
            "plan": self.plan,
            "kind": self.get_kind_display(),
        }

    @property
    def project(self):
        """The project whose plan this changes (the workflow's rules read it)."""
        return self.plan.project

    @property
    def project_id(self) -> int:
        return self.plan.project_id

    @property
    def year(self) -> int:
        return self.plan.year

    def clean(self) -> None:
        """The plan's year was checked with the plan."""


class PlanChangeTarget(models.Model):
    """The target an approved-plan change proposes for one indicator in the plan's year."""

    change = models.ForeignKey(
        PlanChange, models.CASCADE, related_name="targets", verbose_name=_("변경계획")
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="+", verbose_name=_("성과지표")
    )
    value = models.DecimalField(_("변경 목표값"), max_digits=16, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("변경 목표")
        verbose_name_plural = _("변경 목표")
        ordering = ["change", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "indicator"],
                name="plan_change_target_unique_indicator",
                violation_error_message=_("이 변경계획에 같은 지표의 목표가 이미 있습니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value}"
