"""Choice lists; values are stable identifiers, labels are what users read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles are Django groups with these names (created by a migration)."""

    STAFF = "staff", _("부서 담당자")
    COORDINATOR = "coordinator", _("총괄 관리자")
    COMMITTEE = "committee", _("위원")
    HEAD = "head", _("부서장")


class Origin(models.TextChoices):
    PLAN = "plan", _("기본계획")
    PROPOSAL = "proposal", _("위원회 제안")


class ProjectEnd(models.TextChoices):
    """How a project ended before its planned end year (사업 종료)."""

    SUSPENDED = "suspended", _("중단")
    ABOLISHED = "abolished", _("폐지")
    MERGED = "merged", _("통합")


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("산출")
    OUTCOME = "outcome", _("결과")


class FilingState(models.TextChoices):
    DRAFT = "draft", _("작성중")
    # Waiting for the department head's sign-off (결재) before it reaches the coordinator,
    # when the department has sign-off switched on (Department.signoff_required).
    SIGNOFF = "signoff", _("부서 확인 대기")
    SUBMITTED = "submitted", _("제출")
    APPROVED = "approved", _("승인")
    RETURNED = "returned", _("보완요청")


class ProjectStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("미착수")
    ON_TRACK = "on_track", _("정상")
    DELAYED = "delayed", _("지연")
    AT_RISK = "at_risk", _("부진")
    COMPLETED = "completed", _("완료")
    ON_HOLD = "on_hold", _("보류")
    DROPPED = "dropped", _("중단")


# A report in one of these states must say what went wrong and what is being done.
STATUSES_NEEDING_EXPLANATION = (ProjectStatus.DELAYED, ProjectStatus.AT_RISK)


class ProposalResponse(models.TextChoices):
    PENDING = "", _("검토중")
    ACCEPT = "accept", _("수용")
    PARTIAL = "partial", _("부분수용")
    DECLINE = "decline", _("불수용")


class CommentKind(models.TextChoices):
    OPINION = "opinion", _("의견")
    RETURN = "return", _("보완요청")
    APPROVAL = "approval", _("승인")
    REOPEN = "reopen", _("재개")


class FundingSource(models.TextChoices):
    """Sources of money; each is a column suffix (`cost_national`, `budget_city`, ...)."""

    NATIONAL = "national", _("국비")
    PROVINCIAL = "provincial", _("도비")
    CITY = "city", _("시비")
    PRIVATE = "private", _("민자")
    OTHER = "other", _("기타")


class Grade(models.TextChoices):
    """The year-end evaluation's grade (연차평가 등급): proposed by the department, given by
    the coordinator or the committee."""

    EXCELLENT = "excellent", _("우수")
    FAIR = "fair", _("보통")
    POOR = "poor", _("미흡")


# What each grade means, shown beside the grade forms and in the PDF: in one place.
GRADE_CRITERIA = (
    (Grade.EXCELLENT, _("연간 계획 대비 실적·성과지표 달성률 90% 이상")),
    (Grade.FAIR, _("연간 계획 대비 실적·성과지표 달성률 70% 이상 90% 미만")),
    (Grade.POOR, _("연간 계획 대비 실적·성과지표 달성률 70% 미만 또는 중대한 지연")),
)


class PlanChangeKind(models.TextChoices):
    """Why an approved yearly plan is revised (변경계획의 유형)."""

    SUPPLEMENTARY = "supplementary", _("추경")
    NATIONAL_GRANT = "national_grant", _("국비 공모 결과")
    PROJECT_CHANGE = "project_change", _("사업 변경")
    OTHER = "other", _("기타")
