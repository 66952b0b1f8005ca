"""The department sign-off (결재선): when a department has it switched on
(Department.signoff_required), a staff member's submission waits for the department head
(FilingState.SIGNOFF) before it reaches the coordinator. The head signs it off (→ submitted,
stamped with their name and time) or returns it with a reason (→ returned, back to staff).

Each step mails the next person with a link to the filing: the head when staff submit, the
coordinators when the head signs off, the submitter when the head returns it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import CommentKind, FilingState
from ..models import Comment, Filing, Notification, User
from ..notify import coordinators, department_heads, send_once
from ..selectors.todo import filing_url

SIGNED_OFF = "signed_off"  # the history rows' change reasons (see _history.html)
SIGNOFF_RETURNED = "signoff_returned"


def signoff_required(filing: Filing) -> bool:
    """Whether a submission of `filing` goes to its department head first."""
    return filing.project.lead_department.signoff_required


def _check(user: User, filing: Filing) -> None:
    if not permissions.may_sign_off(user, filing):
        raise PermissionDenied(str(permissions.may_sign_off_any.refusal))
    if filing.state != FilingState.SIGNOFF:
        raise ValidationError(_("부서장 확인을 기다리는 문서만 확인하거나 반려할 수 있습니다."))


@transaction.atomic
def filing_sign_off(
    *, user: User, filing: Filing, version: int | None = None, link: str = ""
) -> Filing:
    """The head signs off a filing waiting for them: it goes to the coordinator (submitted),
    with the head's name and time stamped. `version` as for filing_approve."""
    from .filings import _save_versioned

    _check(user, filing)
    filing.state = FilingState.SUBMITTED
    filing.signed_off_by = user
    filing.signed_off_at = timezone.now()
    filing._change_reason = SIGNED_OFF
    _save_versioned(filing, version=filing.version if version is None else version, user=user)
    _mail(
        filing,
        recipients=coordinators(),
        kind=Notification.Kind.SIGNED_OFF,
        subject=_("[추진관리] %(filing)s: 부서장 확인, 검토 요청") % {"filing": filing},
        body=_("%(head)s 부서장이 확인한 문서입니다. 검토해 주세요.")
        % {"head": user.get_full_name() or user.username},
        link=link,
    )
    return filing


@transaction.atomic
def filing_sign_off_return(
    *, user: User, filing: Filing, reason: str, version: int | None = None, link: str = ""
) -> Filing:
    """The head sends a filing waiting for them back to staff with a reason (kept in its
    thread, shown as a coordinator's return is). `version` as for filing_approve."""
    from .filings import _save_versioned, _text, _thread

    _check(user, filing)
    reason = _text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("반려 사유를 적어 주세요.")})
    filing.state = FilingState.RETURNED
    filing.reviewed_by = user
    filing.reviewed_at = timezone.now()
    filing.review_comment = reason
    filing._change_reason = SIGNOFF_RETURNED
    _save_versioned(filing, version=filing.version if version is None else version, user=user)
    Comment.objects.create(author=user, kind=CommentKind.RETURN, body=reason, **_thread(filing))
    recipients = [filing.submitted_by] if filing.submitted_by else []
    _mail(
        filing,
        recipients=recipients,
        kind=Notification.Kind.RETURNED,
        subject=_("[추진관리] %(filing)s: 부서장 반려") % {"filing": filing},
        body=_("부서장이 문서를 반려했습니다. 수정해 다시 제출해 주세요.\n\n%(reason)s")
        % {"reason": reason},
        link=link,
    )
    return filing


def notify_head(filing: Filing, *, link: str = "") -> None:
    """Tell the department's heads that a submission waits for their sign-off."""
    _mail(
        filing,
        recipients=department_heads(filing.project.lead_department_id),
        kind=Notification.Kind.SIGNOFF,
        subject=_("[추진관리] %(filing)s: 부서장 확인 요청") % {"filing": filing},
        body=_("%(staff)s 담당자가 제출한 문서입니다. 확인하거나 반려해 주세요.")
        % {"staff": filing.submitted_by.get_full_name() or filing.submitted_by.username},
        link=link,
    )


def _mail(filing: Filing, *, recipients, kind: str, subject: str, body: str, link: str) -> None:
    """Mail once per step (the filing's version names it), after the step is committed; a
    mail that fails is logged, never an error page."""
    body = f"{body}\n\n{link or filing_url(filing)}"
    key = f"{filing._meta.model_name}:{filing.pk}:v{filing.version}"
    transaction.on_commit(
        lambda: send_once(
            kind=kind, key=key, recipients=list(recipients), subject=subject, body=body
        ),
        robust=True,
    )
