"""What departments file: yearly implementation plans and quarterly progress reports."""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.choices import (
    STATUSES_NEEDING_EXPLANATION,
    CommentKind,
    FilingState,
    ProjectStatus,
)

from .fields import BudgetBySource, SpentBySource, money_constraints, person_field, year_constraint
from .work import Indicator, Project


def _quarter_constraint(model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"{model_name}_quarter_1_to_4",
        condition=Q(quarter__gte=1, quarter__lte=4),
        violation_error_message=_("분기는 1~4 중 하나여야 합니다."),
    )


class ReportingPeriod(models.Model):
    """A quarter for which progress reports are due."""

    year = models.PositiveSmallIntegerField(_("연도"))
    quarter = models.PositiveSmallIntegerField(_("분기"))
    opens_on = models.DateField(_("작성 시작일"))
    due_on = models.DateField(_("제출 기한"))
    closed = models.BooleanField(_("마감"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("보고 기간")
        verbose_name_plural = _("보고 기간")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"],
                name="period_unique_quarter",
                violation_error_message=_("같은 연도·분기의 보고 기간이 이미 있습니다."),
            ),
            _quarter_constraint("period"),
            year_constraint("period"),
            models.CheckConstraint(
                name="period_due_after_opening",
                condition=Q(due_on__gte=F("opens_on")),
                violation_error_message=_("제출 기한은 작성 시작일과 같거나 뒤여야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s년 %(quarter)s분기") % {"year": self.year, "quarter": self.quarter}

    def extension_for(self, department_id: int) -> date | None:
        """The extended due date granted to one department (uses prefetched extensions)."""
        extended = [e.due_on for e in self.extensions.all() if e.department_id == department_id]
        return max(extended, default=None)

    def deadline_for(self, department_id: int) -> date:
        """The due date for one department: an extension moves it later, never earlier."""
        return max(self.due_on, self.extension_for(department_id) or self.due_on)


class PeriodExtension(models.Model):
    """A dated extension of one period's deadline for one department, granted by the coordinator."""

    period = models.ForeignKey(
        ReportingPeriod, models.CASCADE, related_name="extensions", verbose_name=_("보고 기간")
    )
    department = models.ForeignKey(
        "projects.Department", models.CASCADE, related_name="extensions", verbose_name=_("부서")
    )
    due_on = models.DateField(_("연장 기한"))
    reason = models.TextField(_("사유"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("승인자")
    )
    granted_at = models.DateTimeField(_("승인 일시"), auto_now_add=True)
    history = HistoricalRecords()  # who moved a deadline; also moves cached pages' version

    class Meta:
        verbose_name = _("기한 연장")
        verbose_name_plural = _("기한 연장")
        ordering = ["-period__year", "-period__quarter", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "department"],
                name="extension_unique_department",
                violation_error_message=_("이 부서는 이 기간의 연장을 이미 받았습니다."),
            ),
            models.CheckConstraint(
                name="extension_has_reason",
                condition=~Q(reason=""),
                violation_error_message=_("연장 사유를 적어 주세요."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.department} → {self.due_on}"


class Filing(models.Model):
    """Workflow fields shared by plans and reports: draft → submitted → approved | returned."""

    state = models.CharField(
        _("처리 상태"), max_length=10, choices=FilingState, default=FilingState.DRAFT
    )
    submitted_by = person_field(_("제출자"))
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    # Who last saved what the department writes (not a workflow step): they may not review it.
    edited_by = person_field(_("최종 수정자"))
    submitted_late = models.BooleanField(_("지연제출"), default=False)
    signed_off_by = person_field(_("부서장 확인자"))
    signed_off_at = models.DateTimeField(_("부서장 확인 일시"), null=True, blank=True)
    reviewed_by = person_field(_("검토자"))
    reviewed_at = models.DateTimeField(_("검토 일시"), null=True, blank=True)
    review_comment = models.TextField(_("검토 의견"), blank=True)
    reopened_by = person_field(_("재개한 사람"))
    reopened_at = models.DateTimeField(_("재개 일시"), null=True, blank=True)
    # The warnings of the checks before submission that the submitter acknowledged (code and
    # figures of each: selectors.checks renders them), for the reviewer to see.
    acknowledged_warnings = models.JSONField(_("확인한 경고"), default=list, blank=True)
    # Optimistic lock: every save bumps it, and a save carrying an older number is refused.
    version = models.PositiveIntegerField(_("버전"), default=1)
    created_at = models.DateTimeField(_("작성 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.loaded_state = self.state  # what the database holds now

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the state the row had when it was read (Django's documented hook), so a
        save can tell whether it moved the filing through the workflow: see
        `edits_only_unapproved_content`."""
        filing = super().from_db(db, field_names, values)
        filing.loaded_state = filing.__dict__.get("state")
        return filing

    def edits_only_unapproved_content(self) -> bool:
        """Whether saving the filing now changes what it says and nothing else: it was read
        from the database, is not approved, and is still in the state it was read in."""
        loaded = getattr(self, "loaded_state", None)
        return self.state == loaded and loaded != FilingState.APPROVED

    @classmethod
    def workflow_constraints(cls, model_name: str) -> list[models.CheckConstraint]:
        sent = [FilingState.SIGNOFF, FilingState.SUBMITTED, FilingState.APPROVED]
        return [
            models.CheckConstraint(
                name=f"{model_name}_submission_stamped",
                condition=~Q(state__in=sent)
                | Q(submitted_by__isnull=False, submitted_at__isnull=False),
                violation_error_message=_("제출된 문서에는 제출자와 제출 일시가 있어야 합니다."),
            ),
            models.CheckConstraint(
                name=f"{model_name}_review_stamped",
                condition=~Q(state__in=[FilingState.APPROVED, FilingState.RETURNED])
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                violation_error_message=_("승인·보완요청에는 검토자와 검토 일시가 있어야 합니다."),
            ),
            models.CheckConstraint(
                name=f"{model_name}_return_has_reason",
                condition=~Q(state=FilingState.RETURNED) | ~Q(review_comment=""),
                violation_error_message=_("보완요청에는 사유를 적어야 합니다."),
            ),
            models.CheckConstraint(
                name=f"{model_name}_version_positive",
                condition=Q(version__gte=1),
                violation_error_message=_("버전은 1 이상이어야 합니다."),
            ),
        ]

    def clean(self) -> None:
        # Subclasses have `project` and `year`; the year must fall inside the plan period.
        if self.project_id and self.year is not None:
            self.project.task.direction.plan.check_year(self.year, "year")


class ImplementationPlan(Filing, BudgetBySource):
    """A project's implementation plan (연차별 시행계획) for one year."""

    project = models.ForeignKey(
        Project, models.PROTECT, related_name="plans", verbose_name=_("사업")
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    goal = models.TextField(_("추진 목표"), blank=True)
    content = models.TextField(_("추진 내용"), blank=True)
    q1_plan = models.TextField(_("1분기 계획"), blank=True)
    q2_plan = models.TextField(_("2분기 계획"), blank=True)
    q3_plan = models.TextField(_("3분기 계획"), blank=True)
    q4_plan = models.TextField(_("4분기 계획"), blank=True)
    no_budget = models.BooleanField(
        _("예산 없음"), default=False, help_text=_("올해 예산이 없으면 체크하세요.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("시행계획")
        verbose_name_plural = _("시행계획")
        ordering = ["-year", "project"]
        indexes = [
            # The review queue: the submitted ones, oldest first, without reading the rest.
            models.Index(
                fields=["submitted_at"],
                condition=Q(state="submitted"),
                name="plan_submitted_queue",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="plan_unique_project_year",
                violation_error_message=_("이 사업의 해당 연도 시행계획이 이미 있습니다."),
            ),
            year_constraint("implementation_plan"),
            *money_constraints("budget", "implementation_plan"),
            *Filing.workflow_constraints("implementation_plan"),
        ]

    def __str__(self) -> str:
        return _("%(project)s %(year)s년 시행계획") % {"project": self.project, "year": self.year}


class ProgressReport(Filing, SpentBySource):
    """A project's quarterly progress report (분기별 추진실적); money is cumulative for the year."""

    project = models.ForeignKey(
        Project, models.PROTECT, related_name="reports", verbose_name=_("사업")
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    quarter = models.PositiveSmallIntegerField(_("분기"))
    progress = models.DecimalField(
        _("진척률(%)"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[
            MinValueValidator(0, _("진척률은 0~100 사이여야 합니다.")),
            MaxValueValidator(100, _("진척률은 0~100 사이여야 합니다.")),
        ],
        help_text=_("사업 시작부터의 누적 진척률, 0~100"),
    )
    status = models.CharField(
        _("추진상태"), max_length=20, choices=ProjectStatus, default=ProjectStatus.ON_TRACK
    )
    achievements = models.TextField(_("추진실적"), blank=True)
    problems = models.TextField(_("문제점"), blank=True)
    countermeasures = models.TextField(_("대응방안"), blank=True)
    next_steps = models.TextField(_("향후계획"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("분기 실적")
        verbose_name_plural = _("분기 실적")
        ordering = ["-year", "-quarter", "project"]
        indexes = [
            # The review queue, as for plans; and one quarter's reports across all projects.
            models.Index(
                fields=["submitted_at"],
                condition=Q(state="submitted"),
                name="report_submitted_queue",
            ),
            models.Index(fields=["year", "quarter"], name="report_year_quarter"),
            # Every figure reads approved reports only (selectors.figures.approved_as_of): each
            # project's latest one, and one quarter's across the projects. Partial, so drafts
            # stay out; with the columns the figures read, PostgreSQL answers from the index
            # without visiting the table (the dashboard's queries at 100× the data: 46,332 →
            # 35,873 buffers read, about 150 → 115 ms).
            models.Index(
                fields=["project", "year", "quarter", "status", "progress"],
                condition=Q(state="approved"),
                name="report_approved_by_project",
            ),
            models.Index(
                fields=["year", "quarter", "project", "id"],
                condition=Q(state="approved"),
                name="report_approved_by_quarter",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "quarter"],
                name="report_unique_project_quarter",
                violation_error_message=_("이 사업의 해당 분기 실적이 이미 있습니다."),
            ),
            _quarter_constraint("report"),
            year_constraint("report"),
            models.CheckConstraint(
                name="report_progress_0_to_100",
                condition=Q(progress__gte=0, progress__lte=100),
                violation_error_message=_("진척률은 0~100 사이여야 합니다."),
            ),
            models.CheckConstraint(
                name="report_delay_explained",
                condition=~Q(
                    status__in=STATUSES_NEEDING_EXPLANATION,
                    state__in=[
                        FilingState.SIGNOFF,
                        FilingState.SUBMITTED,
                        FilingState.APPROVED,
                    ],
                )
                | (~Q(problems="") & ~Q(countermeasures="")),
                violation_error_message=_(
                    "추진상태가 지연 또는 부진이면 문제점과 대응방안을 적어야 제출할 수 있습니다."
                ),
            ),
            *money_constraints("spent", "report"),
            *Filing.workflow_constraints("report"),
        ]

    def __str__(self) -> str:
        return _("%(project)s %(year)s년 %(quarter)s분기 실적") % {
            "project": self.project,
            "year": self.year,
            "quarter": self.quarter,
        }


class IndicatorResult(models.Model):
    """The value of one indicator reported in one quarterly report (cumulative for the year)."""

    report = models.ForeignKey(
        ProgressReport, models.CASCADE, related_name="results", verbose_name=_("분기 실적")
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="results", verbose_name=_("성과지표")
    )
    value = models.DecimalField(_("실적값"), max_digits=16, decimal_places=2)
    note = models.CharField(_("비고"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("지표 실적")
        verbose_name_plural = _("지표 실적")
        ordering = ["report", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"],
                name="result_unique_indicator",
                violation_error_message=_("이 실적에 같은 지표의 값이 이미 있습니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never trust the uploaded name on disk: a random name, keeping only a safe extension.
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return f"evidence/{instance.owner.year}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """An evidence file attached to a quarterly report or to a yearly plan (exactly one)."""

    report = models.ForeignKey(
        ProgressReport,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("분기 실적"),
    )
    plan = models.ForeignKey(
        ImplementationPlan,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("시행계획"),
    )
    file = models.FileField(_("파일"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("원래 파일명"), max_length=255)
    size = models.PositiveBigIntegerField(_("크기(바이트)"))
    content_type = models.CharField(_("형식"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("올린 사람"),
    )
    uploaded_at = models.DateTimeField(_("올린 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("증빙자료")
        verbose_name_plural = _("증빙자료")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="attachment_one_owner",
                condition=Q(report__isnull=False, plan__isnull=True)
                | Q(report__isnull=True, plan__isnull=False),
                violation_error_message=_(
                    "증빙자료는 분기 실적이나 시행계획 중 하나에만 속해야 합니다."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def owner(self) -> "ImplementationPlan | ProgressReport":
        return self.report if self.report_id else self.plan


class Comment(models.Model):
    """One entry of the review thread on a plan, a report or a plan change: an opinion, a
    return, an approval."""

    plan = models.ForeignKey(
        ImplementationPlan,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("시행계획"),
    )
    report = models.ForeignKey(
        ProgressReport,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("분기 실적"),
    )
    change = models.ForeignKey(
        "projects.PlanChange",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("변경계획"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("작성자")
    )
    kind = models.CharField(
        _("구분"), max_length=10, choices=CommentKind, default=CommentKind.OPINION
    )
    body = models.TextField(_("내용"))
    created_at = models.DateTimeField(_("작성 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("검토 의견")
        verbose_name_plural = _("검토 의견")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="comment_on_exactly_one_filing",
                condition=Q(plan__isnull=False, report__isnull=True, change__isnull=True)
                | Q(plan__isnull=True, report__isnull=False, change__isnull=True)
                | Q(plan__isnull=True, report__isnull=True, change__isnull=False),
                violation_error_message=_(
                    "의견은 시행계획, 분기 실적, 변경계획 중 하나에 달아야 합니다."
                ),
            ),
            models.CheckConstraint(
                name="comment_not_empty",
                condition=~Q(body=""),
                violation_error_message=_("의견 내용을 적어 주세요."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.author}"
