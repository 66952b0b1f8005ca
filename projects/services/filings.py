"""The filing workflow of plans and reports.

draft → submitted → approved | returned (→ submitted again); when the department has sign-off
switched on, a submission waits for its head first (signoff → submitted | returned: see
services.signoff). A record is editable by those
who may file for its project while it is a draft or returned, and — for reports — while its
period is open for the department (not closed, or extended, or the record was reopened).
"""

from collections.abc import Collection, Sequence
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import permissions, selectors
from ..choices import (
    CommentKind,
    FilingState,
    FundingSource,
)
from ..models import (
    Comment,
    Filing,
    ImplementationPlan,
    IndicatorResult,
    Notification,
    PlanChange,
    ProgressReport,
    Project,
    ReportingPeriod,
    User,
)
from ..models.versions import bump_data_version
from ..notify import send_once
from . import (
    attachments,  # a module: it imports edit_refusal from here
    signoff,
)
from .lifecycle import ended_refusal
from .periods import deadline_of, period_accepts, period_of


class ConflictError(Exception):
    """Someone else saved the record after this user loaded it; nothing was written."""


def edit_refusal(
    *, user: User, filing: Filing, period: ReportingPeriod | None = None
) -> str | None:
    """Why `user` may not change `filing` now, or None when they may."""
    if not permissions.may_file(user, filing.project):
        return str(permissions.may_file_any.refusal)
    ended = ended_refusal(filing.project, filing.year, getattr(filing, "quarter", None))
    if ended:
        return ended
    if filing.state == FilingState.APPROVED:
        return _("승인된 문서는 수정할 수 없습니다. 총괄 관리자의 재개가 필요합니다.")
    if filing.state == FilingState.SUBMITTED:
        return _("제출된 문서는 검토가 끝날 때까지 수정할 수 없습니다.")
    if filing.state == FilingState.SIGNOFF:
        return _(
            "부서장 확인을 기다리는 문서는 수정할 수 없습니다. "
            "부서장이 반려하면 수정할 수 있습니다."
        )
    if isinstance(filing, ProgressReport) and filing.reopened_at is None:
        return period_accepts(period or period_of(filing), filing.project.lead_department_id)
    return None


def _save_versioned(filing: Filing, *, version: int | None, user: User) -> None:
    """Save, refusing when the stored version is no longer the one the user loaded (None: they
    loaded no record, so any record stored now was stored by someone else meanwhile).

    The check is the UPDATE itself (`WHERE version = loaded`), so two saves racing on any
    database cannot both pass it; two first saves racing meet the unique constraint. (The save
    that follows moves the data version.)
    """
    filing._history_user = user
    if filing.pk is None:
        filing.version = 1
        try:
            with transaction.atomic():
                filing.save()
        except IntegrityError:
            raise ConflictError from None  # someone created the same record meanwhile
        return
    if version is None:
        raise ConflictError
    bumped = (
        type(filing).objects.filter(pk=filing.pk, version=version).update(version=F("version") + 1)
    )
    if not bumped:
        raise ConflictError
    filing.version = version + 1
    filing.save()


# What a department writes; workflow fields change only through the transitions below.
PLAN_FIELDS = frozenset(
    ["goal", "content", "q1_plan", "q2_plan", "q3_plan", "q4_plan", "no_budget"]
    + [f"budget_{source}" for source in FundingSource.values]
)
REPORT_FIELDS = frozenset(
    ["progress", "status", "achievements", "problems", "countermeasures", "next_steps"]
    + [f"spent_{source}" for source in FundingSource.values]
)


def apply_values(filing: Filing, values: dict, allowed: frozenset[str]) -> None:
    """Put a department's `values` on the filing; any field outside `allowed` is a bug."""
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in values.items():
        setattr(filing, field, value)


def _validate(filing: Filing) -> None:
    """Field validators and the plan-period check, each with its Korean message.

    The named check constraints are left to the database at save time: Django checks each one
    with a query of its own (13 per report), and every one of them is either a field
    validator here too (progress 0–100, money ≥ 0) or a rule these services apply themselves
    (stamps, explanations). Uniqueness is the database's too (a ConflictError).
    """
    filing.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def plan_save(
    *,
    user: User,
    project: Project,
    year: int,
    values: dict,
    version: int | None,
    uploads: Sequence = (),
    remove: Sequence[int] = (),
) -> ImplementationPlan:
    """Create or update the draft of a project's implementation plan for `year`, adding the
    evidence files `uploads` and removing the attachments `remove` (ids) with it."""
    permissions.check_may_file(user, project)
    if not project.runs_in(year):
        raise ValidationError(_("이 사업은 %(year)s년에 추진하지 않습니다.") % {"year": year})
    plan = ImplementationPlan.objects.filter(project=project, year=year).first()
    if plan is None:
        plan = ImplementationPlan(project=project, year=year)
        refusal = ended_refusal(project, year)
        if refusal:
            raise ValidationError(refusal)
    else:
        refusal = edit_refusal(user=user, filing=plan)
        if refusal:
            raise ValidationError(refusal)
    apply_values(plan, values, PLAN_FIELDS)
    plan.edited_by = user
    _validate(plan)
    removed = attachments.evidence_check(plan, uploads=uploads, remove=remove)
    _save_versioned(plan, version=version, user=user)
    attachments.evidence_apply(user=user, filing=plan, uploads=uploads, removed=removed)
    return plan


@transaction.atomic
def report_save(
    *,
    user: User,
    project: Project,
    year: int,
    quarter: int,
    values: dict,
    results: dict[int, Decimal | None],
    version: int | None,
    uploads: Sequence = (),
    remove: Sequence[int] = (),
) -> ProgressReport:
    """Create or update the draft of a quarterly report and its indicator values, adding the
    evidence files `uploads` and removing the attachments `remove` (ids) with it."""
    permissions.check_may_file(user, project)
    report = ProgressReport.objects.filter(project=project, year=year, quarter=quarter).first()
    if report is None:
        report = ProgressReport(project=project, year=year, quarter=quarter)
        period = ReportingPeriod.objects.filter(year=year, quarter=quarter).first()
        refusal = ended_refusal(project, year, quarter) or period_accepts(
            period, project.lead_department_id
        )
    else:
        refusal = edit_refusal(user=user, filing=report)
    if refusal:
        raise ValidationError(refusal)
    stored = report.pk is not None
    report_check(report, values=values, results=results)
    removed = attachments.evidence_check(report, uploads=uploads, remove=remove)
    report.edited_by = user
    _save_versioned(report, version=version, user=user)
    results_save([(report, results, stored)], user=user)
    attachments.evidence_apply(user=user, filing=report, uploads=uploads, removed=removed)
    return report


def report_check(report: ProgressReport, *, values: dict, results: dict) -> None:
    """Put `values` on the (unsaved) report and check them and the indicator `results` as a
    save does: a ValidationError naming the field, in Korean ("value" for a result). The
    Excel import runs it on every row before it writes anything."""
    if not report.project.runs_in(report.year):
        raise ValidationError(
            _("이 사업은 %(year)s년에 추진하지 않습니다.") % {"year": report.year}
        )
    ended = ended_refusal(report.project, report.year, report.quarter)
    if ended:
        raise ValidationError(ended)
    apply_values(report, values, REPORT_FIELDS)
    _validate(report)
    indicators = {indicator.pk for indicator in report.project.indicators.all()}
    for indicator_id, value in results.items():
        if indicator_id not in indicators:
            raise ValidationError(_("이 사업의 성과지표가 아닙니다."))
        indicator_value_check(value)


def indicator_value_check(value: Decimal | None) -> None:
    """An indicator result's value as the database takes it (digits, decimals), or a
    ValidationError in Korean. None clears a result."""
    if value is not None:
        IndicatorResult(value=value).clean_fields(exclude=["report", "indicator"])


def results_save(changes: list[tuple[ProgressReport, dict[int, Decimal | None], bool]], *, user):
    """Save the indicator results that report_check has passed, for one report (a form) or many
    (an import): (report, indicator id → value, whether the report was stored before this
    save). None clears a result. New and changed values are written in bulk, each with its
    history row naming `user`."""
    new, changed = [], []
    for report, results, stored in changes:
        existing = {r.indicator_id: r for r in report.results.all()} if stored else {}
        for indicator_id, value in results.items():
            current = existing.get(indicator_id)
            if value is None:
                if current is not None:
                    current._history_user = user
                    current.delete()
            elif current is None:
                new.append(IndicatorResult(report=report, indicator_id=indicator_id, value=value))
            elif current.value != value:
                current.value = value
                changed.append(current)
    if new:
        bulk_create_with_history(new, IndicatorResult, default_user=user)
    if changed:
        bulk_update_with_history(changed, IndicatorResult, ["value"], default_user=user)
    # Bulk writes send no post_save signal; a draft's results show on no cached page (as
    # projects.signals decides for a single save).
    if any(not result.report.edits_only_unapproved_content() for result in new + changed):
        bump_data_version()


def _check_errors(checks: list) -> None:
    """Refuse a submission while a check's error stands: each on its form field."""
    errors = {}
    for check in checks:
        if check.is_error:
            errors.setdefault(check.field or NON_FIELD_ERRORS, []).append(check.message)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def filing_submit(
    *,
    user: User,
    filing: Filing,
    version: int | None = None,
    acknowledged: Collection[str] = (),
    link: str = "",
) -> Filing:
    """Send a draft or returned filing to the coordinating office; late ones are flagged.
    `version` is the one the user was shown (None: `filing`'s own). When its department has
    sign-off switched on, it goes to the department head first (whoever submits: nobody skips
    the head), who is mailed with `link` to it.

    The checks before submission (selectors.checks) run here, whoever calls: an error
    refuses it, and so does a warning whose key is not in `acknowledged` (the boxes the
    submitter ticked on the confirmation page). The acknowledged warnings are kept with the
    submission for the reviewer."""
    permissions.check_may_file(user, filing.project)
    refusal = edit_refusal(user=user, filing=filing)
    if refusal:
        raise ValidationError(refusal)
    checks = selectors.submission_checks(filing)
    _check_errors(checks)
    warnings = [check for check in checks if not check.is_error]
    unacknowledged = [check.message for check in warnings if check.key not in acknowledged]
    if unacknowledged:
        raise ValidationError(
            [_("확인하지 않은 경고가 있어 제출하지 않았습니다. 각 경고를 확인해 주세요.")]
            + unacknowledged
        )
    now = timezone.now()
    due = deadline_of(filing)
    to_head = signoff.signoff_required(filing)
    filing.state = FilingState.SIGNOFF if to_head else FilingState.SUBMITTED
    filing.submitted_by = user
    filing.submitted_at = now
    filing.submitted_late = due is not None and timezone.localdate(now) > due
    filing.signed_off_by = filing.signed_off_at = None
    filing.reviewed_by = filing.reviewed_at = None  # a new submission, a new review
    filing.acknowledged_warnings = [check.stored() for check in warnings]
    _validate(filing)
    _save_versioned(filing, version=filing.version if version is None else version, user=user)
    if to_head:
        signoff.notify_head(filing, link=link)
    return filing


WITHDRAWN = "withdrawn"  # the history row's change reason (see _history.html)


def past_year_refusal(plan: ImplementationPlan) -> str | None:
    """Why a plan may no longer be changed: a year that is over keeps its plan, as carried out
    (and evaluated). (A change already submitted may still be decided on after the year.)"""
    if plan.year < timezone.localdate().year:
        return _("%(year)s년은 지났습니다. 지난 연도의 시행계획은 변경할 수 없습니다.") % {
            "year": plan.year
        }
    return None


def withdraw_refusal(*, filing: Filing, period: ReportingPeriod | None = None) -> str | None:
    """Why `filing` cannot be withdrawn now (whoever asks), or None when it can: it is not
    submitted (to the coordinator, or to the department head who has not acted on it yet),
    its review has started (selectors.review_started), or — for a report — its period no
    longer takes the department's filings, so it could not be submitted again."""
    if filing.state not in (FilingState.SUBMITTED, FilingState.SIGNOFF):
        return _("제출된 문서만 회수할 수 있습니다.")
    if selectors.review_started(filing):
        return _(
            "총괄 관리자의 검토가 이미 시작되어 회수할 수 없습니다. "
            "수정할 내용이 있으면 의견을 남겨 보완요청을 받으세요."
        )
    if isinstance(filing, ProgressReport) and filing.reopened_at is None:
        closed = period_accepts(period or period_of(filing), filing.project.lead_department_id)
        if closed:
            return _("회수하면 다시 제출할 수 없어 회수하지 않았습니다.") + " " + closed
    if isinstance(filing, PlanChange) and (closed := past_year_refusal(filing.plan)):
        return _("회수하면 다시 제출할 수 없어 회수하지 않았습니다.") + " " + closed
    return None


@transaction.atomic
def filing_withdraw(*, user: User, filing: Filing, version: int | None = None) -> Filing:
    """Take a submission back to 작성중 before review starts: by its submitter or the lead
    department (permissions.may_withdraw), when withdraw_refusal finds nothing against it.
    `version` as for filing_approve. Nobody is mailed of the withdrawal (a head asked to sign
    off finds it gone from their queue, its page 작성중 and its history saying 회수)."""
    if not permissions.may_withdraw(user, filing):
        raise PermissionDenied(str(permissions.may_withdraw_any.refusal))
    refusal = withdraw_refusal(filing=filing)
    if refusal:
        raise ValidationError(refusal)
    filing.state = FilingState.DRAFT
    filing.submitted_by = filing.submitted_at = None
    filing.signed_off_by = filing.signed_off_at = None
    filing.submitted_late = False
    filing.acknowledged_warnings = []
    filing._change_reason = WITHDRAWN
    _save_versioned(filing, version=filing.version if version is None else version, user=user)
    return filing


def _text(value: str, field: str) -> str:
    """Stripped text; a NUL character (which PostgreSQL cannot store) is refused."""
    if "\x00" in value:
        raise ValidationError({field: _("null 문자는 사용할 수 없습니다.")})
    return value.strip()


def _thread(filing: Filing) -> dict:
    if isinstance(filing, PlanChange):
        return {"change": filing}
    return {"report": filing} if isinstance(filing, ProgressReport) else {"plan": filing}


def _check_review(user: User, filing: Filing) -> None:
    permissions.check_coordinator(user)
    permissions.check_may_review_filing(user, filing)


def _refuse_waiting_for_head(filing: Filing) -> None:
    if filing.state == FilingState.SIGNOFF:
        raise ValidationError(
            _("부서장 확인을 기다리는 문서입니다. 부서장이 확인한 뒤 검토하세요.")
        )


@transaction.atomic
def filing_approve(
    *, user: User, filing: Filing, comment: str = "", version: int | None = None
) -> Filing:
    """Approve a submitted filing: it is locked from then on. `version` is the one the
    reviewer was shown (None: `filing`'s own); a ConflictError when it is no longer stored."""
    _check_review(user, filing)
    comment = _text(comment, "reason")
    _refuse_waiting_for_head(filing)
    if filing.state != FilingState.SUBMITTED:
        raise ValidationError(_("제출된 문서만 승인할 수 있습니다."))
    filing.state = FilingState.APPROVED
    filing.reviewed_by = user
    filing.reviewed_at = timezone.now()
    filing.review_comment = comment
    filing.reopened_by = filing.reopened_at = None
    _save_versioned(filing, version=filing.version if version is None else version, user=user)
    Comment.objects.create(
        author=user, kind=CommentKind.APPROVAL, body=comment or _("승인"), **_thread(filing)
    )
    _notify_submitter(filing, kind=Notification.Kind.APPROVED, verb=_("승인"))
    return filing


@transaction.atomic
def filings_approve(*, user: User, filings: list[tuple[Filing, int]]) -> None:
    """Approve several submissions, each at the version the reviewer was shown: all of them,
    or none when any cannot be."""
    for filing, version in filings:
        filing_approve(user=user, filing=filing, version=version)


@transaction.atomic
def filing_return(*, user: User, filing: Filing, reason: str, version: int | None = None) -> Filing:
    """Send a submitted filing back for changes; the reason stays in its thread for good.
    `version` as for filing_approve."""
    _check_review(user, filing)
    reason = _text(reason, "reason")
    _refuse_waiting_for_head(filing)
    if filing.state != FilingState.SUBMITTED:
        raise ValidationError(_("제출된 문서만 보완요청할 수 있습니다."))
    if not reason:
        raise ValidationError({"reason": _("보완요청 사유를 적어 주세요.")})
    filing.state = FilingState.RETURNED
    filing.reviewed_by = user
    filing.reviewed_at = timezone.now()
    filing.review_comment = reason
    _save_versioned(filing, version=filing.version if version is None else version, user=user)
    Comment.objects.create(author=user, kind=CommentKind.RETURN, body=reason, **_thread(filing))
    _notify_submitter(filing, kind=Notification.Kind.RETURNED, verb=_("보완요청"))
    return filing


@transaction.atomic
def filing_reopen(*, user: User, filing: Filing, reason: str) -> Filing:
    """Unlock an approved filing, or one in a closed period, for its department again."""
    permissions.check_coordinator(user)
    reason = _text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("재개 사유를 적어 주세요.")})
    if filing.state == FilingState.SUBMITTED:
        raise ValidationError(_("제출된 문서는 승인하거나 보완요청하세요."))
    if filing.state == FilingState.APPROVED:
        filing.state = FilingState.DRAFT
    filing.reopened_by = user
    filing.reopened_at = timezone.now()
    _save_versioned(filing, version=filing.version, user=user)
    Comment.objects.create(author=user, kind=CommentKind.REOPEN, body=reason, **_thread(filing))
    return filing


def _notify_submitter(filing: Filing, *, kind: str, verb: str) -> None:
    recipient = filing.submitted_by
    if recipient is None:
        return
    subject = _("[추진관리] %(filing)s: %(verb)s") % {"filing": filing, "verb": verb}
    body = _("%(filing)s 문서가 %(verb)s되었습니다.\n\n%(comment)s") % {
        "filing": filing,
        "verb": verb,
        "comment": filing.review_comment,
    }
    key = f"{filing._meta.model_name}:{filing.pk}:v{filing.version}"
    # robust: the review is committed by then; a mail that fails is logged, never an error page.
    transaction.on_commit(
        lambda: send_once(kind=kind, key=key, recipients=[recipient], subject=subject, body=body),
        robust=True,
    )


@transaction.atomic
def comment_add(*, user: User, filing: Filing, body: str) -> Comment:
    """Add an opinion to a filing's thread (committee, coordinator, or its own department)."""
    if not permissions.may_comment(user, filing):
        raise PermissionDenied(str(permissions.may_comment_any.refusal))
    body = _text(body, "body")
    if not body:
        raise ValidationError({"body": _("의견 내용을 적어 주세요.")})
    return Comment.objects.create(
        author=user, kind=CommentKind.OPINION, body=body, **_thread(filing)
    )
