"""The year-end evaluation (연차평가): the department's self-evaluation of a project's year and
the grade the coordinator or the committee gives it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.choices import Grade

from .fields import person_field, year_constraint
from .work import Project


class Evaluation(models.Model):
    """One project's evaluation of one year: written by its lead department (a draft until
    submitted), then graded (우수/보통/미흡) with a comment."""

    project = models.ForeignKey(
        Project, models.PROTECT, related_name="evaluations", verbose_name=_("사업")
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    achievement = models.TextField(_("계획 대비 추진실적"), blank=True)
    indicator_comment = models.TextField(_("성과지표 달성"), blank=True)
    budget_comment = models.TextField(_("예산 집행"), blank=True)
    narrative = models.TextField(_("종합 의견"), blank=True)
    proposed_grade = models.CharField(_("자체 평가 등급"), max_length=10, choices=Grade, blank=True)
    edited_by = person_field(_("최종 수정자"))
    submitted_by = person_field(_("제출자"))
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    returned_by = person_field(_("보완요청자"))
    returned_at = models.DateTimeField(_("보완요청 일시"), null=True, blank=True)
    return_comment = models.TextField(_("보완요청 사유"), blank=True)
    grade = models.CharField(_("평가 등급"), max_length=10, choices=Grade, blank=True)
    grade_comment = models.TextField(_("평가 의견"), blank=True)
    graded_by = person_field(_("평가자"))
    graded_at = models.DateTimeField(_("평가 일시"), null=True, blank=True)
    # Optimistic lock: every save bumps it, and a save carrying an older number is refused.
    version = models.PositiveIntegerField(_("버전"), default=1)
    created_at = models.DateTimeField(_("작성 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("연차평가")
        verbose_name_plural = _("연차평가")
        ordering = ["-year", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="evaluation_unique_project_year",
                violation_error_message=_("이 사업의 해당 연도 연차평가가 이미 있습니다."),
            ),
            year_constraint("evaluation"),
            models.CheckConstraint(
                name="evaluation_submission_stamped",
                condition=Q(submitted_at__isnull=True)
                | Q(submitted_by__isnull=False, proposed_grade__gt=""),
                violation_error_message=_(
                    "제출된 자체평가에는 제출자와 자체 평가 등급이 있어야 합니다."
                ),
            ),
            models.CheckConstraint(
                name="evaluation_grade_after_submission",
                condition=Q(grade="") | Q(submitted_at__isnull=False),
                violation_error_message=_("제출된 자체평가가 있어야 등급을 줄 수 있습니다."),
            ),
            models.CheckConstraint(
                name="evaluation_grade_explained",
                condition=Q(grade="")
                | (~Q(grade_comment="") & Q(graded_by__isnull=False, graded_at__isnull=False)),
                violation_error_message=_("평가 등급에는 평가 의견과 평가자가 있어야 합니다."),
            ),
            models.CheckConstraint(
                name="evaluation_version_positive",
                condition=Q(version__gte=1),
                violation_error_message=_("버전은 1 이상이어야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(project)s %(year)s년 연차평가") % {"project": self.project, "year": self.year}

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_graded(self) -> bool:
        return bool(self.grade)
