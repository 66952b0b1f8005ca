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
    permissions.check(permissions.may_propose, user)
    proposal = Proposal(proposed_by=user, **values)
    proposal._history_user = user
    proposal.full_clean(exclude=["proposed_by"])
    proposal.save()
    return proposal


@transaction.atomic
def proposal_answer(*, user: User, proposal: Proposal, response: str, reason: str) -> Proposal:
    """The assigned department (or the coordinator) answers with its review result."""
    if not permissions.may_answer_proposal(user, proposal):
        raise PermissionDenied(str(permissions.may_answer_any_proposal.refusal))
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
