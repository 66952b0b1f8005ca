"""The one place that decides who may see and do what.

Every view, form, action, service and import asks here: a queryset scope (which records a
user may write) and an object check (may this user act on this one). Templates only hide
buttons, with these same functions passed in through the context.

Each view declares its rule with `permission_required_by(rule)`, which enforces it and records
it on the view (tests/projects/test_permission_matrix.py checks that every URL declares one).
A rule is a function of the user; rules about one object (`may_file`, `may_comment`,
`may_answer_proposal`) are checked again where the object is known, in the service.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from .backends import role_names
from .choices import Role
from .models import Project, User

AnyUser = User | AnonymousUser


def roles_of(user: AnyUser) -> set[str]:
    """The user's roles (groups named as in Role; other groups grant nothing), read once per
    request: remembered on the user object, which backends.RolesBackend loads with them."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_names"):
        user._role_names = role_names(user.pk)
    return user._role_names


def is_coordinator(user: AnyUser) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.COORDINATOR in roles_of(user))


def is_committee(user: AnyUser) -> bool:
    return Role.COMMITTEE in roles_of(user)


def is_department_staff(user: AnyUser) -> bool:
    return Role.STAFF in roles_of(user) and user.department_id is not None


def is_department_head(user: AnyUser) -> bool:
    """A department's head (부서장): reads what its staff read and hears of overdue filings;
    files nothing (the sign-off step, where heads act, is built on this)."""
    return Role.HEAD in roles_of(user) and user.department_id is not None


def refused_with(message: str):
    """Attach the Korean message a user sees when `rule` refuses them."""

    def attach(rule):
        rule.refusal = message
        return rule

    return attach


# --- Rules about the user alone ---------------------------------------------------------------


def anyone(user: AnyUser) -> bool:
    """Public pages (the citizens' page, the health check, sign-in)."""
    return True


@refused_with(gettext_lazy("이 시스템을 볼 권한이 없습니다. 관리자에게 역할 부여를 요청하세요."))
def can_read(user: AnyUser) -> bool:
    """Every signed-in user with a role reads everything (the plan is shared city-wide)."""
    return user.is_authenticated and (user.is_superuser or bool(roles_of(user)))


@refused_with(gettext_lazy("총괄 관리자만 할 수 있습니다."))
def may_review(user: AnyUser) -> bool:
    """Approve, return and reopen filings; run the reporting periods (the coordinator)."""
    return is_coordinator(user)


@refused_with(gettext_lazy("총괄 관리자만 문서의 두 버전을 비교할 수 있습니다."))
def may_compare_versions(user: AnyUser) -> bool:
    """See a plan's or report's stored versions side by side (the coordinator, who reviews
    them; everyone else reads each version's changes in the page's history)."""
    return is_coordinator(user)


@refused_with(gettext_lazy("총괄 관리자와 시스템 관리자만 로그인 잠금을 풀 수 있습니다."))
def may_unlock_sign_in(user: AnyUser) -> bool:
    """See who is locked out of signing in and lift it (the coordinator or an administrator):
    the lockout is per user name and address, so a colleague behind the same office NAT can
    cause it."""
    return is_coordinator(user)


@refused_with(gettext_lazy("총괄 관리자와 위원만 볼 수 있는 화면입니다."))
def may_see_review_queue(user: AnyUser) -> bool:
    return is_coordinator(user) or is_committee(user)


@refused_with(gettext_lazy("총괄 관리자만 미제출 부서에 독촉할 수 있습니다."))
def may_chase(user: AnyUser) -> bool:
    """See who has not filed and send them a reminder now (the coordinator)."""
    return is_coordinator(user)


@refused_with(gettext_lazy("부서 담당자와 부서장만 볼 수 있는 화면입니다."))
def may_see_my_work(user: AnyUser) -> bool:
    """The department's to-do: its staff, and its head (who reads, and files nothing)."""
    return is_department_staff(user) or is_department_head(user)


@refused_with(gettext_lazy("이 사업 주관부서의 부서장만 확인하거나 반려할 수 있습니다."))
def may_sign_off_any(user: AnyUser) -> bool:
    """Whether the user signs off some filing at all (a department head; the gate before
    `may_sign_off`)."""
    return is_department_head(user)


@refused_with(gettext_lazy("위원이나 총괄 관리자만 제안할 수 있습니다."))
def may_propose(user: AnyUser) -> bool:
    return is_committee(user) or is_coordinator(user)


@refused_with(gettext_lazy("총괄 관리자만 사업을 추가하거나 종료할 수 있습니다."))
def may_change_projects(user: AnyUser) -> bool:
    """End a project (중단, 폐지, 통합) or undo that end; add a project from a committee
    proposal (the coordinator, who keeps the plan's project list)."""
    return is_coordinator(user)


@refused_with(gettext_lazy("부서 담당자와 총괄 관리자만 엑셀로 올릴 수 있습니다."))
def may_import(user: AnyUser) -> bool:
    """Upload a filled template (staff: their own projects' reports; checked per row)."""
    return is_coordinator(user) or is_department_staff(user)


@refused_with(gettext_lazy("총괄 관리자만 계획 구조 양식을 내려받을 수 있습니다."))
def may_import_plan(user: AnyUser) -> bool:
    return is_coordinator(user)


@refused_with(gettext_lazy("이 사업의 주관부서 담당자나 총괄 관리자만 작성할 수 있습니다."))
def may_file_any(user: AnyUser) -> bool:
    """Whether the user files for some project at all (the gate before `may_file`)."""
    return is_coordinator(user) or is_department_staff(user)


@refused_with(gettext_lazy("이 문서에 의견을 남길 수 없습니다."))
def may_comment_any(user: AnyUser) -> bool:
    """Whether the user comments on some filing at all (the gate before `may_comment`)."""
    return may_file_any(user) or is_committee(user)


@refused_with(gettext_lazy("검토 부서 담당자나 총괄 관리자만 회신할 수 있습니다."))
def may_answer_any_proposal(user: AnyUser) -> bool:
    """The gate before `may_answer_proposal`."""
    return is_coordinator(user) or is_department_staff(user)


@refused_with(gettext_lazy("이 사업 주관부서의 담당자만 자체평가를 작성할 수 있습니다."))
def may_self_evaluate_any(user: AnyUser) -> bool:
    """Whether the user writes some project's self-evaluation at all (department staff; the
    gate before `may_self_evaluate`). The coordinator does not: it is the department's own
    account of its year, and the coordinator's part is to grade it or return it."""
    return is_department_staff(user)


@refused_with(gettext_lazy("총괄 관리자와 위원만 연차평가 등급을 줄 수 있습니다."))
def may_grade(user: AnyUser) -> bool:
    """Give or change a year-end evaluation's grade: the coordinator or a committee member.
    Either records it: the committee decides grades at its meeting, and the coordinator, who
    keeps the minutes, often records what it decided; both are the reviewers of the plan."""
    return is_coordinator(user) or is_committee(user)


@refused_with(gettext_lazy("총괄 관리자만 자체평가를 보완요청할 수 있습니다."))
def may_return_evaluation(user: AnyUser) -> bool:
    """Send a submitted self-evaluation back to its department (the coordinator, as filings)."""
    return is_coordinator(user)


@refused_with(gettext_lazy("이 사업 주관부서의 담당자만 시행계획 변경을 요청할 수 있습니다."))
def may_request_plan_change_any(user: AnyUser) -> bool:
    """Whether the user requests changes of some approved plan at all (department staff; the
    gate before `may_request_plan_change`). The coordinator, who approves them, does not."""
    return is_department_staff(user)


# --- Scopes and rules about one object -------------------------------------------------------


def projects_writable_by(user: AnyUser) -> QuerySet[Project]:
    """Projects whose plans and reports this user may file: the coordinator's are all of
    them, a staff member's those their department leads, everyone else's none."""
    if is_coordinator(user):
        return Project.objects.all()
    if is_department_staff(user):
        return Project.objects.filter(lead_department_id=user.department_id)
    return Project.objects.none()


def may_file(user: AnyUser, project: Project) -> bool:
    """Create, edit, submit, attach evidence: the project's lead department, or the coordinator."""
    if is_coordinator(user):
        return True
    return is_department_staff(user) and project.lead_department_id == user.department_id


def may_self_evaluate(user: AnyUser, project: Project) -> bool:
    """Write and submit the project's self-evaluation: staff of its lead department only."""
    return is_department_staff(user) and project.lead_department_id == user.department_id


def may_comment(user: AnyUser, filing) -> bool:
    """The committee, the coordinator and the filing's own department leave opinions."""
    return is_coordinator(user) or is_committee(user) or may_file(user, filing.project)


@refused_with(
    gettext_lazy(
        "자신이 제출했거나 마지막으로 수정한 문서는 검토(승인·보완요청)할 수 없습니다. "
        "다른 총괄 관리자에게 맡겨 주세요."
    )
)
def may_review_filing(user: AnyUser, filing) -> bool:
    """Approve or return this filing: the coordinator, unless they submitted it or last
    edited what it says (nobody reviews their own work)."""
    return may_review(user) and user.pk not in (filing.submitted_by_id, filing.edited_by_id)


@refused_with(
    gettext_lazy("제출한 사람이나 이 사업의 주관부서 담당자만 제출을 회수할 수 있습니다.")
)
def may_withdraw_any(user: AnyUser) -> bool:
    """Whether the user withdraws some submission at all (the gate before `may_withdraw`)."""
    return may_file_any(user)


def may_withdraw(user: AnyUser, filing) -> bool:
    """Take a submission back to 작성중 (while review has not started: the service decides
    that): its submitter, or any staff of the project's lead department, who file it together
    (a colleague covers for someone away). The coordinator only withdraws what they submitted
    themselves; another department's submission they return instead."""
    if not user.is_authenticated:
        return False
    if filing.submitted_by_id is not None and user.pk == filing.submitted_by_id:
        return may_file(user, filing.project)
    return is_department_staff(user) and filing.project.lead_department_id == user.department_id


def may_sign_off(user: AnyUser, filing) -> bool:
    """Sign off (결재) or return a filing waiting for its department head: a head of the
    project's lead department, and nobody else (not its staff, not the coordinator, not the
    heads of other departments)."""
    return is_department_head(user) and filing.project.lead_department_id == user.department_id


def may_request_plan_change(user: AnyUser, project: Project) -> bool:
    """Request (and edit, submit) a change of the project's approved plan: staff of its lead
    department only; the coordinator reviews the request."""
    return is_department_staff(user) and project.lead_department_id == user.department_id


def check_may_request_plan_change(user: AnyUser, project: Project) -> None:
    if not may_request_plan_change(user, project):
        raise PermissionDenied(str(may_request_plan_change_any.refusal))


def may_answer_proposal(user: AnyUser, proposal) -> bool:
    """The department a proposal was assigned to answers it (or the coordinator)."""
    return is_coordinator(user) or (
        is_department_staff(user) and user.department_id == proposal.department_id
    )


# --- Declaring and checking ------------------------------------------------------------------


def check(rule: Callable[[AnyUser], bool], user: AnyUser) -> None:
    if not rule(user):
        raise PermissionDenied(str(rule.refusal))


def check_coordinator(user: AnyUser) -> None:
    check(may_review, user)


def check_may_review_filing(user: AnyUser, filing) -> None:
    if not may_review_filing(user, filing):
        raise PermissionDenied(str(may_review_filing.refusal))


def check_may_file(user: AnyUser, project: Project) -> None:
    if not may_file(user, project):
        raise PermissionDenied(str(may_file_any.refusal))


def permission_required_by(rule: Callable[[AnyUser], bool]):
    """Declare (as `view.permission`) and enforce who may open a view.

    Every rule but `anyone` needs a signed-in reader first: anonymous visitors are sent to
    sign in, signed-in users without a role are refused, then the rule itself is asked."""

    def declare(view):
        if rule is anyone:
            view.permission = rule
            return view

        @wraps(view)
        def guarded(request, *args, **kwargs):
            check(can_read, request.user)
            check(rule, request.user)
            return view(request, *args, **kwargs)

        guarded.permission = rule
        return login_required(guarded)

    return declare
