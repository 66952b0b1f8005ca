"""The year-end evaluation (연차평가): the lead department writes and submits its
self-evaluation once the year's Q4 reporting period has opened; the coordinator may return it;
the coordinator or a committee member grades a submitted one (and may change the grade).

Every write is one transaction and carries the version the user was shown: a save over
someone else's newer one is refused (ConflictError), nothing overwritten."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import Grade
from ..models import Evaluation, Project, ReportingPeriod, User
from .filings import ConflictError

# What the department writes; the rest changes only through the steps below.
SELF_EVALUATION_FIELDS = (
    "achievement",
    "indicator_comment",
    "budget_comment",
    "narrative",
    "proposed_grade",
)
# A submission says at least this much.
REQUIRED_TO_SUBMIT = ("achievement", "narrative", "proposed_grade")


def evaluation_opens(year: int) -> bool:
    """Whether the year's evaluation can be written: its Q4 reporting period has opened (the
    year's last round of reports is under way, so the year's figures are nearly in)."""
    today = timezone.localdate()
    return ReportingPeriod.objects.filter(year=year, quarter=4, opens_on__lte=today).exists()


def self_evaluation_refusal(
    *, user: User, project: Project, year: int, evaluation: Evaluation | None
) -> str | None:
    """Why `user` may not write the project's self-evaluation of `year` now, or None."""
    if not permissions.may_self_evaluate(user, project):
        return str(permissions.may_self_evaluate_any.refusal)
    if not project.counts_in(year):  # within its years, and not ended before the year
        return _("이 사업은 %(year)s년에 추진하지 않아 연차평가 대상이 아닙니다.") % {"year": year}
    if evaluation is not None and evaluation.is_submitted:
        return _(
            "제출한 자체평가는 수정할 수 없습니다. 총괄 관리자가 보완요청하면 수정할 수 있습니다."
        )
    if not evaluation_opens(year):
        return _("%(year)s년 4분기 보고 기간이 열린 뒤에 자체평가를 작성할 수 있습니다.") % {
            "year": year
        }
    return None


def grade_refusal(*, user: User, evaluation: Evaluation | None) -> str | None:
    """Why `user` may not grade the evaluation now, or None."""
    if not permissions.may_grade(user):
        return str(permissions.may_grade.refusal)
    if evaluation is None or not evaluation.is_submitted:
        return _("부서가 자체평가를 제출한 뒤에 등급을 줄 수 있습니다.")
    return None


def _save_versioned(evaluation: Evaluation, *, version: int | None, user: User) -> None:
    """Save, refusing when the stored version is not the one the user was shown (None: they
    were shown no evaluation, so one stored now was stored by someone else meanwhile)."""
    evaluation._history_user = user
    if evaluation.pk is None:
        evaluation.version = 1
        try:
            with transaction.atomic():
                evaluation.save()
        except IntegrityError:
            raise ConflictError from None
        return
    if version is None:
        raise ConflictError
    bumped = Evaluation.objects.filter(pk=evaluation.pk, version=version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise ConflictError
    evaluation.version = version + 1
    evaluation.save()


def _self_evaluation(*, user, project, year, values: dict) -> Evaluation:
    evaluation = Evaluation.objects.filter(project=project, year=year).first()
    refusal = self_evaluation_refusal(user=user, project=project, year=year, evaluation=evaluation)
    if refusal:
        raise PermissionDenied(refusal)
    evaluation = evaluation or Evaluation(project=project, year=year)
    for field in SELF_EVALUATION_FIELDS:
        if field in values:
            value = values[field]
            setattr(evaluation, field, value.strip() if isinstance(value, str) else value)
    if evaluation.proposed_grade and evaluation.proposed_grade not in Grade.values:
        raise ValidationError({"proposed_grade": _("자체 평가 등급을 목록에서 고르세요.")})
    evaluation.edited_by = user
    return evaluation


@transaction.atomic
def evaluation_save(
    *, user: User, project: Project, year: int, values: dict, version: int | None
) -> Evaluation:
    """Save the department's self-evaluation as a draft (created on the first save)."""
    evaluation = _self_evaluation(user=user, project=project, year=year, values=values)
    _save_versioned(evaluation, version=version, user=user)
    return evaluation


@transaction.atomic
def evaluation_submit(
    *, user: User, project: Project, year: int, values: dict, version: int | None
) -> Evaluation:
    """Save what the form holds and submit it: read-only for the department from then on."""
    evaluation = _self_evaluation(user=user, project=project, year=year, values=values)
    missing = {
        field: _("제출하려면 적어 주세요.")
        if field != "proposed_grade"
        else _("제출하려면 자체 평가 등급을 고르세요.")
        for field in REQUIRED_TO_SUBMIT
        if not getattr(evaluation, field)
    }
    if missing:
        raise ValidationError(missing)
    evaluation.submitted_by, evaluation.submitted_at = user, timezone.now()
    _save_versioned(evaluation, version=version, user=user)
    return evaluation


@transaction.atomic
def evaluation_return(
    *, user: User, evaluation: Evaluation, reason: str, version: int
) -> Evaluation:
    """The coordinator sends a submitted, ungraded self-evaluation back with a reason."""
    permissions.check(permissions.may_return_evaluation, user)
    if not evaluation.is_submitted:
        raise ValidationError(_("제출되지 않은 자체평가는 보완요청할 수 없습니다."))
    if evaluation.is_graded:
        raise ValidationError(_("등급을 준 연차평가는 보완요청할 수 없습니다."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("보완요청 사유를 적어 주세요.")})
    evaluation.submitted_by = evaluation.submitted_at = None
    evaluation.returned_by, evaluation.returned_at = user, timezone.now()
    evaluation.return_comment = reason
    _save_versioned(evaluation, version=version, user=user)
    return evaluation


@transaction.atomic
def evaluation_grade(
    *, user: User, evaluation: Evaluation | None, grade: str, comment: str, version: int
) -> Evaluation:
    """Give (or change) the grade of a submitted self-evaluation, with a comment; a change
    stays in the evaluation's history."""
    refusal = grade_refusal(user=user, evaluation=evaluation)
    if refusal:
        if not permissions.may_grade(user):
            raise PermissionDenied(refusal)
        raise ValidationError(refusal)
    errors = {}
    if grade not in Grade.values:
        errors["grade"] = _("평가 등급을 고르세요.")
    if not comment.strip():
        errors["grade_comment"] = _("평가 의견을 적어 주세요.")
    if errors:
        raise ValidationError(errors)
    evaluation.grade, evaluation.grade_comment = grade, comment.strip()
    evaluation.graded_by, evaluation.graded_at = user, timezone.now()
    _save_versioned(evaluation, version=version, user=user)
    return evaluation
