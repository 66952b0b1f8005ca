"""System checks: `manage.py check --deploy` (and so `make serve`) refuses a database where a
demo account still signs in with the demo password."""

from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.db import DatabaseError
from django.db.models import Q

from .demo import DEMO_PASSWORD
from .models import User

DEMO_NAMES = Q(username__in=["admin", "coordinator", "committee"]) | Q(
    username__startswith="staff-"
) | Q(username__startswith="head-")  # fmt: skip


@register(Tags.security, deploy=True)
def demo_passwords_check(app_configs=None, **kwargs) -> list[Error]:
    """Active users under the demo sign-in names whose password is still the demo one.

    A password is only known by hashing it again (PBKDF2, about 0.6 s a user), so only the
    names seed_demo gives are tried: none on a real city database, a dozen at most on one that
    once held the demo. A database not migrated yet has no users to try."""
    try:
        candidates = list(User.objects.filter(DEMO_NAMES, is_active=True).order_by("username"))
    except DatabaseError:
        return []
    # hashers.check_password, not user.check_password: a check must not re-hash and save.
    still_demo = [
        user.username for user in candidates if check_password(DEMO_PASSWORD, user.password)
    ]
    if not still_demo:
        return []
    return [
        Error(
            f"데모 비밀번호로 로그인할 수 있는 계정이 있습니다: {', '.join(still_demo)}",
            hint="비밀번호를 바꾸거나(manage.py changepassword 이름) 계정을 비활성화한 뒤 "
            "다시 시작하세요.",
            id="projects.E001",
        )
    ]
