"""The work itself: projects, their indicators and targets, and committee proposals."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.choices import IndicatorKind, Origin, ProjectEnd, ProposalResponse
from strategies.models import Phase, Task

from .fields import CostBySource, money_constraints, person_field, year_constraint
from .people import Department


def quarter_start(year: int, quarter: int) -> date:
    """The first day of a quarter (fiscal year = calendar year). A year out of the calendar's
    range (a filter's "0000" or 99999) is taken as its first or last year, never an error."""
    return date(min(max(year, 1), 9999), 3 * (quarter - 1) + 1, 1)


def running_then(
    *, start_year: int, end_year: int, ended_on: date | None, year: int, quarter: int | None
) -> bool:
    """Whether a project with these years and end runs in the quarter (or, with no quarter,
    in the year's first): selectors.figures.running_in, for one project read in Python."""
    if not start_year <= year <= end_year:
        return False
    return ended_on is None or ended_on > quarter_start(year, quarter or 1)


def in_plan_then(
    *, origin: str, start_year: int, ended_on: date | None, year: int, quarter: int
) -> bool:
    """selectors.figures.in_plan_as_of, for one project read in Python."""
    if ended_on is not None and ended_on <= quarter_start(year, quarter):
        return False
    return origin == Origin.PLAN or start_year <= year


class Project(CostBySource, models.Model):
    """A project (사업) of the plan, led by one department."""

    task = models.ForeignKey(
        Task, models.PROTECT, related_name="projects", verbose_name=_("전략과제")
    )
    code = models.CharField(
        _("사업 코드"),
        max_length=20,
        unique=True,
        help_text=_("예: 1-1-1 (방향-과제-사업)"),
        error_messages={"unique": _("이 사업 코드는 이미 쓰이고 있습니다.")},
    )
    name = models.CharField(_("사업명"), max_length=200)
    summary = models.TextField(_("사업 개요"), blank=True)
    lead_department = models.ForeignKey(
        Department, models.PROTECT, related_name="led_projects", verbose_name=_("주관부서")
    )
    support_departments = models.ManyToManyField(
        Department, blank=True, related_name="supported_projects", verbose_name=_("협조부서")
    )
    phases = models.ManyToManyField(
        Phase, blank=True, related_name="projects", verbose_name=_("추진단계")
    )
    start_year = models.PositiveSmallIntegerField(_("시작 연도"))
    end_year = models.PositiveSmallIntegerField(_("종료 연도"))
    is_continuing = models.BooleanField(
        _("계속사업"),
        default=False,
        help_text=_("계획 이전부터 이어지는 사업이면 체크 (아니면 신규)"),
    )
    is_sample = models.BooleanField(
        _("예시 사업"), default=False, help_text=_("실제 사업 목록으로 바꾸기 전의 예시 자료")
    )
    origin = models.CharField(_("출처"), max_length=20, choices=Origin, default=Origin.PLAN)
    weight = models.DecimalField(
        _("가중치"),
        max_digits=6,
        decimal_places=2,
        default=1,
        help_text=_("상위 과제의 진척률을 계산할 때의 비중"),
    )

    # The end of a project before (or instead of) its planned end year: 중단, 폐지, or 통합
    # into another project. It stops counting in the quarters that begin on or after
    # `ended_on` (figures.running_in) and stays in history and earlier quarters' figures.
    ended_on = models.DateField(_("종료일"), null=True, blank=True)
    end_kind = models.CharField(
        _("종료 구분"), max_length=10, choices=ProjectEnd, blank=True, default=""
    )
    end_reason = models.TextField(_("종료 사유"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("통합된 사업"),
    )

    history = HistoricalRecords(m2m_fields=[phases, support_departments])

    class Meta:
        verbose_name = _("사업")
        verbose_name_plural = _("사업")
        ordering = ["code"]
        constraints = [
            year_constraint("project", "start_year"),
            year_constraint("project", "end_year"),
            models.CheckConstraint(
                name="project_years_in_order",
                condition=Q(end_year__gte=F("start_year")),
                violation_error_message=_("종료 연도는 시작 연도와 같거나 뒤여야 합니다."),
            ),
            models.CheckConstraint(
                name="project_weight_not_negative",
                condition=Q(weight__gte=0),
                violation_error_message=_("가중치는 0 이상이어야 합니다."),
            ),
            *money_constraints("cost", "project"),
            models.CheckConstraint(
                name="project_end_complete",
                condition=Q(end_kind="", ended_on__isnull=True, end_reason="")
                | (~Q(end_kind="") & Q(ended_on__isnull=False) & ~Q(end_reason="")),
                violation_error_message=_("사업 종료에는 구분, 종료일, 사유가 모두 필요합니다."),
            ),
            models.CheckConstraint(
                name="project_merged_into_only_when_merged",
                condition=Q(end_kind=ProjectEnd.MERGED, merged_into__isnull=False)
                | (~Q(end_kind=ProjectEnd.MERGED) & Q(merged_into__isnull=True)),
                violation_error_message=_(
                    "통합한 사업에만 통합된 사업을 지정하며, 반드시 지정해야 합니다."
                ),
            ),
            models.CheckConstraint(
                name="project_not_merged_into_itself",
                condition=~Q(merged_into=F("pk")),
                violation_error_message=_("사업을 자기 자신에 통합할 수 없습니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.code}] {self.name}"

    def runs_in(self, year: int) -> bool:
        """Whether the year is within the project's planned years (its pages exist then)."""
        return self.start_year <= year <= self.end_year

    def counts_in(self, year: int, quarter: int | None = None) -> bool:
        """Whether the project counts (and owes filings) in the quarter, or with no quarter in
        some quarter of the year: within its years, and not ended before the quarter begins.
        The same rule as selectors.figures.running_in, for one project in Python."""
        return running_then(
            start_year=self.start_year,
            end_year=self.end_year,
            ended_on=self.ended_on,
            year=year,
            quarter=quarter,
        )

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None

    def clean(self) -> None:
        if self.task_id:
            plan = self.task.direction.plan
            plan.check_year(self.start_year, "start_year")
            plan.check_year(self.end_year, "end_year")
            if self._code_or_task_changed():
                self.check_code()

    def _code_or_task_changed(self) -> bool:
        """Whether this save gives the project its code or task (a new project, or either
        changed): a project stored before the code rule keeps working (it can still be ended
        or edited) until someone changes its code."""
        if self.pk is None:
            return True
        stored = Project.objects.filter(pk=self.pk).values_list("code", "task_id").first()
        return stored != (self.code, self.task_id)

    def check_code(self) -> None:
        """A project's code is its task's code and a number (code_refusal)."""
        refusal = code_refusal(self.code, self.task.code)
        if refusal:
            raise ValidationError({"code": refusal})


def code_refusal(code: str, task_code: str) -> str | None:
    """Why `code` cannot be the code of a project of task `task_code`, or None: a project's
    code is its task's code and a number without leading zeros (2-1 → 2-1-5), as the plan's
    tree, the lists' order and the workbook's rows read it."""
    number = code.removeprefix(f"{task_code}-") if code.startswith(f"{task_code}-") else ""
    whole = number.isascii() and number.isdigit() and len(number) <= 3
    if whole and number == str(int(number)) and int(number):
        return None
    return _("사업 코드는 전략과제 코드 뒤에 번호를 붙여 적어 주세요: %(task)s-1, %(task)s-2 …") % {
        "task": task_code
    }


class Indicator(models.Model):
    """A performance indicator (성과지표) of a project, with yearly targets."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="indicators", verbose_name=_("사업")
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=1)
    name = models.CharField(_("지표명"), max_length=200)
    kind = models.CharField(
        _("지표 유형"), max_length=10, choices=IndicatorKind, default=IndicatorKind.OUTPUT
    )
    unit = models.CharField(_("단위"), max_length=20)
    baseline = models.DecimalField(
        _("기준값"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("기준 연도"), null=True, blank=True)
    higher_is_better = models.BooleanField(
        _("높을수록 좋음"), default=True, help_text=_("낮을수록 좋은 지표(예: 배출량)는 체크 해제")
    )
    formula = models.TextField(_("산식"), blank=True)
    source = models.CharField(_("자료 출처"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("성과지표")
        verbose_name_plural = _("성과지표")
        ordering = ["project", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="indicator_unique_name",
                violation_error_message=_("이 사업에 같은 이름의 지표가 이미 있습니다."),
            ),
            models.CheckConstraint(
                name="indicator_baseline_year_in_range",
                condition=Q(baseline_year__isnull=True)
                | Q(baseline_year__gte=2000, baseline_year__lte=2100),
                violation_error_message=_("기준 연도는 2000~2100 사이여야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorTarget(models.Model):
    """The target value of an indicator for one year."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="targets", verbose_name=_("성과지표")
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    value = models.DecimalField(_("목표값"), max_digits=16, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("연도별 목표")
        verbose_name_plural = _("연도별 목표")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="indicator_target_unique_year",
                violation_error_message=_("이 지표에 같은 연도의 목표가 이미 있습니다."),
            ),
            year_constraint("indicator_target"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}: {self.value}"

    def clean(self) -> None:
        if self.indicator_id and self.year is not None:
            self.indicator.project.task.direction.plan.check_year(self.year, "year")


class Proposal(models.Model):
    """A project idea raised by a committee member (위원회 제안), answered by a department."""

    title = models.CharField(_("제안명"), max_length=200)
    content = models.TextField(_("제안 내용"))
    year = models.PositiveSmallIntegerField(_("제안 연도"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="proposals",
        verbose_name=_("제안 위원"),
    )
    proposed_at = models.DateTimeField(_("제안 일시"), auto_now_add=True)
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="proposals", verbose_name=_("검토 부서")
    )
    response = models.CharField(
        _("검토 결과"), max_length=10, choices=ProposalResponse, blank=True, default=""
    )
    response_reason = models.TextField(_("검토 의견"), blank=True)
    responded_by = person_field(_("회신자"))
    responded_at = models.DateTimeField(_("회신 일시"), null=True, blank=True)
    project = models.OneToOneField(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("반영 사업"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("위원회 제안")
        verbose_name_plural = _("위원회 제안")
        ordering = ["-year", "-proposed_at"]
        constraints = [
            year_constraint("proposal"),
            models.CheckConstraint(
                name="proposal_response_has_reason",
                condition=Q(response="") | ~Q(response_reason=""),
                violation_error_message=_("검토 결과에는 검토 의견을 함께 적어야 합니다."),
            ),
            models.CheckConstraint(
                name="proposal_project_needs_acceptance",
                condition=Q(project__isnull=True) | Q(response__in=["accept", "partial"]),
                violation_error_message=_(
                    "수용 또는 부분수용한 제안만 사업으로 반영할 수 있습니다."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.response and not self.response_reason.strip():
            raise ValidationError(
                {"response_reason": _("검토 결과에는 검토 의견을 함께 적어야 합니다.")}
            )
