"""The one place that decides who may see and do what.

Every view, form, action and import asks here: a queryset scope (which records a user may
write) and an object check (may this user act on this one). Templates only hide buttons.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .backends import role_names
from .choices import Role
from .models import Project, User


def roles_of(user: User | AnonymousUser) -> set[str]:
    """The user's roles (groups named as in Role; other groups grant nothing), read once per
    request: remembered on the user object, which backends.RolesBackend loads with them."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_names"):
        user._role_names = role_names(user.pk)
    return user._role_names


def is_coordinator(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.COORDINATOR in roles_of(user))


def is_committee(user: User | AnonymousUser) -> bool:
    return Role.COMMITTEE in roles_of(user)


def is_department_staff(user: User | AnonymousUser) -> bool:
    return Role.STAFF in roles_of(user) and user.department_id is not None


def can_read(user: User | AnonymousUser) -> bool:
    """Every signed-in user with a role reads everything (the plan is shared city-wide)."""
    return user.is_authenticated and (user.is_superuser or bool(roles_of(user)))


def projects_writable_by(user: User | AnonymousUser) -> QuerySet[Project]:
    """Projects whose plans and reports this user may file: the coordinator's are all of
    them, a staff member's those their department leads, everyone else's none."""
    if is_coordinator(user):
        return Project.objects.all()
    if is_department_staff(user):
        return Project.objects.filter(lead_department_id=user.department_id)
    return Project.objects.none()


def can_file_for(user: User | AnonymousUser, project: Project) -> bool:
    if is_coordinator(user):
        return True
    return is_department_staff(user) and project.lead_department_id == user.department_id


def may_answer_proposal(user: User | AnonymousUser, proposal) -> bool:
    """The department a proposal was assigned to answers it (or the coordinator)."""
    return is_coordinator(user) or (
        is_department_staff(user) and user.department_id == proposal.department_id
    )


def reader_required(view):
    """Sign-in first; then only users with a role (or the administrator) may read."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_read(request.user):
            raise PermissionDenied(
                _("이 시스템을 볼 권한이 없습니다. 관리자에게 역할 부여를 요청하세요.")
            )
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def check_coordinator(user: User | AnonymousUser) -> None:
    if not is_coordinator(user):
        raise PermissionDenied(_("총괄 관리자만 할 수 있습니다."))


def check_may_file(user: User | AnonymousUser, project: Project) -> None:
    if not can_file_for(user, project):
        raise PermissionDenied(_("이 사업의 주관부서 담당자나 총괄 관리자만 작성할 수 있습니다."))
