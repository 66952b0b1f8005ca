"""Committee proposals and the departments' answers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import (
    Proposal,
    User,
)

# --- Committee proposals ---------------------------------------------------------------------


@transaction.atomic
def proposal_create(*, user: User, values: dict) -> Proposal:
    """A committee member (or the coordinator) raises a project idea for a department."""
    if not (permissions.is_committee(user) or permissions.is_coordinator(user)):
        raise PermissionDenied(_("위원이나 총괄 관리자만 제안할 수 있습니다."))
    proposal = Proposal(proposed_by=user, **values)
    proposal._history_user = user
    proposal.full_clean(exclude=["proposed_by"])
    proposal.save()
    return proposal


@transaction.atomic
def proposal_answer(*, user: User, proposal: Proposal, response: str, reason: str) -> Proposal:
    """The assigned department (or the coordinator) answers with its review result."""
    if not (
        permissions.is_coordinator(user)
        or (permissions.is_department_staff(user) and user.department_id == proposal.department_id)
    ):
        raise PermissionDenied(_("검토 부서 담당자나 총괄 관리자만 회신할 수 있습니다."))
    if not response:
        raise ValidationError({"response": _("검토 결과를 고르세요.")})
    proposal.response = response
    proposal.response_reason = reason.strip()
    proposal.responded_by = user
    proposal.responded_at = timezone.now()
    proposal._history_user = user
    proposal.full_clean()
    proposal.save()
    return proposal
