"""Lifting a sign-in lockout before its cool-off ends."""

from axes.utils import reset
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import permissions
from ..models import User
from ..selectors.sign_ins import sign_in_lockouts


def sign_in_unlock(*, user: User, username: str) -> int:
    """Lift the lockout of `username` from every address (a colleague behind the same office
    NAT may have caused it); the number of lockout records removed."""
    permissions.check(permissions.may_unlock_sign_in, user)
    if username not in {lockout.username for lockout in sign_in_lockouts()}:
        raise ValidationError(_("잠긴 사용자가 아닙니다: %(name)s") % {"name": username or "—"})
    return reset(username=username)
