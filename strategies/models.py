"""The plan's structure: plan, phases, strategic directions and strategic tasks."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Sanity bounds for any year stored; the plan's own period is checked in clean().
YEAR_MIN, YEAR_MAX = 2000, 2100


class Plan(models.Model):
    """A multi-year basic plan (기본계획) with its vision and goal."""

    name = models.CharField(_("계획명"), max_length=200, unique=True)
    vision = models.CharField(_("비전"), max_length=300)
    goal = models.TextField(_("목표"))
    start_year = models.PositiveSmallIntegerField(_("시작 연도"))
    end_year = models.PositiveSmallIntegerField(_("종료 연도"))
    is_active = models.BooleanField(_("현행 계획"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("기본계획")
        verbose_name_plural = _("기본계획")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                name="plan_years_in_order",
                condition=Q(end_year__gte=F("start_year"))
                & Q(start_year__gte=YEAR_MIN)
                & Q(end_year__lte=YEAR_MAX),
                violation_error_message=_("종료 연도는 시작 연도와 같거나 뒤여야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def check_year(self, year: int | None, field: str) -> None:
        """Raise a form-ready error when `year` falls outside the plan period."""
        if year is not None and year not in self.years:
            raise ValidationError(
                {
                    field: _("%(year)s년은 계획 기간(%(start)s~%(end)s) 밖입니다.")
                    % {"year": year, "start": self.start_year, "end": self.end_year}
                }
            )


class Phase(models.Model):
    """A phase (추진단계) of the plan; phases are a sequence, not a hierarchy."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="phases", verbose_name=_("계획"))
    order = models.PositiveSmallIntegerField(_("단계"))
    name = models.CharField(_("단계명"), max_length=200)
    description = models.TextField(_("설명"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("시작 연도"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("종료 연도"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("추진단계")
        verbose_name_plural = _("추진단계")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="phase_unique_order",
                violation_error_message=_("같은 계획에 같은 번호의 단계가 이미 있습니다."),
            ),
            models.CheckConstraint(
                name="phase_order_positive",
                condition=Q(order__gte=1),
                violation_error_message=_("단계 번호는 1 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                name="phase_years_in_order",
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                violation_error_message=_("종료 연도는 시작 연도와 같거나 뒤여야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(order)s단계 %(name)s") % {"order": self.order, "name": self.name}

    def clean(self) -> None:
        if self.plan_id:
            self.plan.check_year(self.start_year, "start_year")
            self.plan.check_year(self.end_year, "end_year")


class Direction(models.Model):
    """A strategic direction (전략방향)."""

    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="directions", verbose_name=_("계획")
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    code = models.CharField(_("코드"), max_length=10)
    name = models.CharField(_("전략방향명"), max_length=200)
    name_en = models.CharField(_("영문명"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("가중치"), max_digits=6, decimal_places=2, default=1,
        help_text=_("계획 전체 진척률을 계산할 때 이 전략방향의 비중"),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("전략방향")
        verbose_name_plural = _("전략방향")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="direction_unique_code",
                violation_error_message=_("같은 계획에 같은 코드의 전략방향이 이미 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="direction_unique_order",
                violation_error_message=_("같은 계획에 같은 순서의 전략방향이 이미 있습니다."),
            ),
            models.CheckConstraint(
                name="direction_weight_not_negative",
                condition=Q(weight__gte=0),
                violation_error_message=_("가중치는 0 이상이어야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Task(models.Model):
    """A strategic task (전략과제); `code` counts within the direction, `number` as published."""

    direction = models.ForeignKey(
        Direction, models.CASCADE, related_name="tasks", verbose_name=_("전략방향")
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    code = models.CharField(_("코드"), max_length=10)
    number = models.PositiveSmallIntegerField(_("과제 번호"))
    name = models.CharField(_("전략과제명"), max_length=200)
    name_en = models.CharField(_("영문명"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("가중치"), max_digits=6, decimal_places=2, default=1,
        help_text=_("전략방향의 진척률을 계산할 때 이 과제의 비중"),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("전략과제")
        verbose_name_plural = _("전략과제")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "code"],
                name="task_unique_code",
                violation_error_message=_("같은 전략방향에 같은 코드의 과제가 이미 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["direction", "order"],
                name="task_unique_order",
                violation_error_message=_("같은 전략방향에 같은 순서의 과제가 이미 있습니다."),
            ),
            models.CheckConstraint(
                name="task_weight_not_negative",
                condition=Q(weight__gte=0),
                violation_error_message=_("가중치는 0 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                name="task_number_positive",
                condition=Q(number__gte=1),
                violation_error_message=_("과제 번호는 1 이상이어야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        if not self.direction_id:
            return
        clash = Task.objects.filter(
            direction__plan_id=self.direction.plan_id, number=self.number
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"number": _("같은 계획에 같은 번호의 과제가 이미 있습니다.")})
