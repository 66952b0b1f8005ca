"""Writes that span several models. Keyword-only, typed, each in one transaction."""

from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from strategies.models import Direction, Phase, Plan, Task

from . import permissions
from .choices import (
    STATUSES_NEEDING_EXPLANATION,
    UNSEEN_EDIT,
    CommentKind,
    FilingState,
    FundingSource,
)
from .models import (
    Attachment,
    Comment,
    Department,
    Filing,
    ImplementationPlan,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    Notification,
    PeriodExtension,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
    User,
)
from .notify import department_staff, send_once


@transaction.atomic
def plan_load(*, data: dict) -> tuple[Plan, bool]:
    """Load a plan (structure, departments, projects, indicators) from the fixture's layout.

    Returns the plan and whether it was created. A plan that already exists by name is left
    untouched, so that loading the shipped fixture again never overwrites the city's edits.
    """
    existing = Plan.objects.filter(name=data["plan"]["name"]).first()
    if existing is not None:
        return existing, False

    plan = Plan.objects.create(**data["plan"])
    phases = {item["order"]: Phase.objects.create(plan=plan, **item) for item in data["phases"]}
    tasks: dict[int, Task] = {}
    for order, item in enumerate(data["directions"], start=1):
        direction = Direction.objects.create(
            plan=plan, order=order, code=item["code"], name=item["name"], name_en=item["name_en"]
        )
        for task_order, task in enumerate(item["tasks"], start=1):
            tasks[task["number"]] = Task.objects.create(
                direction=direction,
                order=task_order,
                code=f"{direction.code}-{task_order}",
                number=task["number"],
                name=task["name"],
                name_en=task["name_en"],
            )
    departments = {}
    for item in data["departments"]:
        departments[item["code"]], _created = Department.objects.get_or_create(
            code=item["code"], defaults={"name": item["name"]}
        )
    for item in data["projects"]:
        project = Project(
            task=tasks[item["task"]],
            code=item["code"],
            name=item["name"],
            summary=item["summary"],
            lead_department=departments[item["lead_department"]],
            start_year=item["start_year"],
            end_year=item["end_year"],
            is_continuing=item["is_continuing"],
            is_sample=True,
            **{f"cost_{source}": item["cost"][source] for source in FundingSource.values},
        )
        project.full_clean()
        project.save()
        project.phases.set([phases[order] for order in item["phases"]])
        project.support_departments.set([departments[code] for code in item["support_departments"]])
        for order, spec in enumerate(item["indicators"], start=1):
            indicator = Indicator.objects.create(
                project=project,
                order=order,
                name=spec["name"],
                kind=spec["kind"],
                unit=spec["unit"],
                baseline=Decimal(str(spec["baseline"])),
                baseline_year=spec["baseline_year"],
                higher_is_better=spec["higher_is_better"],
                source=spec["source"],
            )
            for year, value in spec["targets"].items():
                IndicatorTarget.objects.create(
                    indicator=indicator, year=int(year), value=Decimal(str(value))
                )
    return plan, True


# --- Filing workflow -------------------------------------------------------------------------
#
# draft → submitted → approved | returned (→ submitted again). A record is editable by those
# who may file for its project while it is a draft or returned, and — for reports — while its
# period is open for the department (not closed, or extended, or the record was reopened).


class ConflictError(Exception):
    """Someone else saved the record after this user loaded it; nothing was written."""


# Implementation plans for a year are due by the end of March of that year.
PLAN_DUE_MONTH, PLAN_DUE_DAY = 3, 31


def _today() -> date:
    return timezone.localdate()


def plan_due_on(year: int) -> date:
    return date(year, PLAN_DUE_MONTH, PLAN_DUE_DAY)


def period_of(report: ProgressReport) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=report.year, quarter=report.quarter)
        .first()
    )


def deadline_of(filing: Filing, *, period: ReportingPeriod | None = None) -> date | None:
    if isinstance(filing, ImplementationPlan):
        return plan_due_on(filing.year)
    period = period or period_of(filing)
    return period.deadline_for(filing.project.lead_department_id) if period else None


def period_accepts(period: ReportingPeriod | None, department_id: int) -> str | None:
    """Why this period takes no filing from the department now, or None when it does."""
    if period is None:
        return _("이 분기의 보고 기간이 아직 만들어지지 않았습니다.")
    today = _today()
    if today < period.opens_on:
        return _("보고 기간이 %(day)s에 시작됩니다.") % {"day": period.opens_on.isoformat()}
    extension = period.extension_for(department_id)
    if period.closed and (extension is None or extension < today):
        return _("마감된 보고 기간입니다. 총괄 관리자에게 재개나 기한 연장을 요청하세요.")
    return None


def edit_refusal(
    *, user: User, filing: Filing, period: ReportingPeriod | None = None
) -> str | None:
    """Why `user` may not change `filing` now, or None when they may."""
    if not permissions.can_file_for(user, filing.project):
        return _("이 사업의 주관부서 담당자나 총괄 관리자만 작성할 수 있습니다.")
    if filing.state == FilingState.APPROVED:
        return _("승인된 문서는 수정할 수 없습니다. 총괄 관리자의 재개가 필요합니다.")
    if filing.state == FilingState.SUBMITTED:
        return _("제출된 문서는 검토가 끝날 때까지 수정할 수 없습니다.")
    if isinstance(filing, ProgressReport) and filing.reopened_at is None:
        return period_accepts(period or period_of(filing), filing.project.lead_department_id)
    return None


def _check_may_file(user: User, project: Project) -> None:
    if not permissions.can_file_for(user, project):
        raise PermissionDenied(_("이 사업의 주관부서 담당자나 총괄 관리자만 작성할 수 있습니다."))


def _save_versioned(
    filing: Filing, *, version: int | None, user: User, unseen: bool = False
) -> None:
    """Save, refusing when the stored version is no longer the one the user loaded.

    The check is the UPDATE itself (`WHERE version = loaded`), so two saves racing on any
    database cannot both pass it. An `unseen` edit (see _unseen_edit) says so in its history
    row, which leaves cached pages of approved data standing.
    """
    filing._history_user = user
    filing._change_reason = UNSEEN_EDIT if unseen else None
    if filing.pk is None:
        filing.version = 1
        try:
            with transaction.atomic():
                filing.save()
        except IntegrityError:
            raise ConflictError from None  # someone created the same record meanwhile
        return
    if version is None:
        version = filing.version
    bumped = (
        type(filing).objects.filter(pk=filing.pk, version=version).update(version=F("version") + 1)
    )
    if not bumped:
        raise ConflictError
    filing.version = version + 1
    filing.save()


# What a department writes; workflow fields change only through the transitions below.
PLAN_FIELDS = frozenset(
    ["goal", "content", "q1_plan", "q2_plan", "q3_plan", "q4_plan"]
    + [f"budget_{source}" for source in FundingSource.values]
)
REPORT_FIELDS = frozenset(
    ["progress", "status", "achievements", "problems", "countermeasures", "next_steps"]
    + [f"spent_{source}" for source in FundingSource.values]
)


def _apply(filing: Filing, values: dict, allowed: frozenset[str]) -> None:
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
    *, user: User, project: Project, year: int, values: dict, version: int | None
) -> ImplementationPlan:
    """Create or update the draft of a project's implementation plan for `year`."""
    _check_may_file(user, project)
    if not project.runs_in(year):
        raise ValidationError(_("이 사업은 %(year)s년에 추진하지 않습니다.") % {"year": year})
    plan = ImplementationPlan.objects.filter(project=project, year=year).first()
    if plan is None:
        plan = ImplementationPlan(project=project, year=year)
    else:
        refusal = edit_refusal(user=user, filing=plan)
        if refusal:
            raise ValidationError(refusal)
    unseen = _unseen_edit(plan)
    _apply(plan, values, PLAN_FIELDS)
    _validate(plan)
    _save_versioned(plan, version=version, user=user, unseen=unseen)
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
) -> ProgressReport:
    """Create or update the draft of a quarterly report and its indicator values."""
    _check_may_file(user, project)
    report = ProgressReport.objects.filter(project=project, year=year, quarter=quarter).first()
    if report is None:
        report = ProgressReport(project=project, year=year, quarter=quarter)
        period = ReportingPeriod.objects.filter(year=year, quarter=quarter).first()
        refusal = period_accepts(period, project.lead_department_id)
    else:
        refusal = edit_refusal(user=user, filing=report)
    if refusal:
        raise ValidationError(refusal)
    unseen = _unseen_edit(report)
    report_check(report, values=values, results=results)
    _save_versioned(report, version=version, user=user, unseen=unseen)
    _save_results(report, results, user=user)
    return report


def report_check(report: ProgressReport, *, values: dict, results: dict) -> None:
    """Put `values` on the (unsaved) report and check them and the indicator `results` as a
    save does: a ValidationError naming the field, in Korean ("value" for a result). The
    Excel import runs it on every row before it writes anything."""
    if not report.project.runs_in(report.year):
        raise ValidationError(
            _("이 사업은 %(year)s년에 추진하지 않습니다.") % {"year": report.year}
        )
    _apply(report, values, REPORT_FIELDS)
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


def _unseen_edit(filing: Filing) -> bool:
    """Whether editing this filing's content changes nothing the dashboard, the workbook or
    the public page shows: they show every filing's state but only approved content, so an
    edit of a stored filing that is not approved (and keeps its state) is unseen there."""
    return filing.pk is not None and filing.state != FilingState.APPROVED


def _save_results(report: ProgressReport, results: dict[int, Decimal | None], *, user) -> None:
    """Save the results report_check has passed."""
    existing = {r.indicator_id: r for r in report.results.all()}
    # Results show only once their report is approved: until then every change is unseen.
    reason = UNSEEN_EDIT if report.state != FilingState.APPROVED else None
    for indicator_id, value in results.items():
        current = existing.get(indicator_id)
        if value is None:
            if current is not None:
                current._history_user, current._change_reason = user, reason
                current.delete()
        elif current is None:
            result = IndicatorResult(report=report, indicator_id=indicator_id, value=value)
            result._history_user, result._change_reason = user, reason
            result.save()
        elif current.value != value:
            current.value = value
            current._history_user, current._change_reason = user, reason
            current.save()


@transaction.atomic
def filing_submit(*, user: User, filing: Filing, version: int | None = None) -> Filing:
    """Send a draft or returned filing to the coordinating office; late ones are flagged."""
    _check_may_file(user, filing.project)
    refusal = edit_refusal(user=user, filing=filing)
    if refusal:
        raise ValidationError(refusal)
    if isinstance(filing, ProgressReport) and filing.status in STATUSES_NEEDING_EXPLANATION:
        missing = {
            field: _("추진상태가 지연 또는 부진이면 %(label)s을 적어야 제출할 수 있습니다.")
            % {"label": ProgressReport._meta.get_field(field).verbose_name}
            for field in ("problems", "countermeasures")
            if not getattr(filing, field).strip()
        }
        if missing:
            raise ValidationError(missing)
    now = timezone.now()
    due = deadline_of(filing)
    filing.state = FilingState.SUBMITTED
    filing.submitted_by = user
    filing.submitted_at = now
    filing.submitted_late = due is not None and timezone.localdate(now) > due
    _validate(filing)
    _save_versioned(filing, version=version, user=user)
    return filing


def _text(value: str, field: str) -> str:
    """Stripped text; a NUL character (which PostgreSQL cannot store) is refused."""
    if "\x00" in value:
        raise ValidationError({field: _("null 문자는 사용할 수 없습니다.")})
    return value.strip()


def _check_coordinator(user: User) -> None:
    if not permissions.is_coordinator(user):
        raise PermissionDenied(_("총괄 관리자만 할 수 있습니다."))


def _thread(filing: Filing) -> dict:
    return {"report": filing} if isinstance(filing, ProgressReport) else {"plan": filing}


@transaction.atomic
def filing_approve(*, user: User, filing: Filing, comment: str = "") -> Filing:
    """Approve a submitted filing: it is locked from then on."""
    _check_coordinator(user)
    comment = _text(comment, "reason")
    if filing.state != FilingState.SUBMITTED:
        raise ValidationError(_("제출된 문서만 승인할 수 있습니다."))
    filing.state = FilingState.APPROVED
    filing.reviewed_by = user
    filing.reviewed_at = timezone.now()
    filing.review_comment = comment
    filing.reopened_by = filing.reopened_at = None
    _save_versioned(filing, version=filing.version, user=user)
    Comment.objects.create(
        author=user, kind=CommentKind.APPROVAL, body=comment or _("승인"), **_thread(filing)
    )
    _notify_submitter(filing, kind=Notification.Kind.APPROVED, verb=_("승인"))
    return filing


@transaction.atomic
def filings_approve(*, user: User, filings: list[Filing]) -> None:
    """Approve several submissions at once: all of them, or none when any cannot be."""
    for filing in filings:
        filing_approve(user=user, filing=filing)


@transaction.atomic
def filing_return(*, user: User, filing: Filing, reason: str) -> Filing:
    """Send a submitted filing back for changes; the reason stays in its thread for good."""
    _check_coordinator(user)
    reason = _text(reason, "reason")
    if filing.state != FilingState.SUBMITTED:
        raise ValidationError(_("제출된 문서만 보완요청할 수 있습니다."))
    if not reason:
        raise ValidationError({"reason": _("보완요청 사유를 적어 주세요.")})
    filing.state = FilingState.RETURNED
    filing.reviewed_by = user
    filing.reviewed_at = timezone.now()
    filing.review_comment = reason
    _save_versioned(filing, version=filing.version, user=user)
    Comment.objects.create(author=user, kind=CommentKind.RETURN, body=reason, **_thread(filing))
    _notify_submitter(filing, kind=Notification.Kind.RETURNED, verb=_("보완요청"))
    return filing


@transaction.atomic
def filing_reopen(*, user: User, filing: Filing, reason: str) -> Filing:
    """Unlock an approved filing, or one in a closed period, for its department again."""
    _check_coordinator(user)
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
    transaction.on_commit(
        lambda: send_once(kind=kind, key=key, recipients=[recipient], subject=subject, body=body)
    )


def may_comment(user: User, filing: Filing) -> bool:
    return (
        permissions.is_coordinator(user)
        or permissions.is_committee(user)
        or permissions.can_file_for(user, filing.project)
    )


@transaction.atomic
def comment_add(*, user: User, filing: Filing, body: str) -> Comment:
    """Add an opinion to a filing's thread (committee, coordinator, or its own department)."""
    if not may_comment(user, filing):
        raise PermissionDenied(_("이 문서에 의견을 남길 수 없습니다."))
    body = _text(body, "body")
    if not body:
        raise ValidationError({"body": _("의견 내용을 적어 주세요.")})
    return Comment.objects.create(
        author=user, kind=CommentKind.OPINION, body=body, **_thread(filing)
    )


@transaction.atomic
def extension_grant(
    *, user: User, period: ReportingPeriod, department: Department, due_on: date, reason: str
) -> PeriodExtension:
    """Give one department until `due_on` for one period (replacing an earlier extension)."""
    _check_coordinator(user)
    if due_on <= period.due_on:
        raise ValidationError(
            {
                "due_on": _("연장 기한은 원래 기한(%(due)s) 뒤여야 합니다.")
                % {"due": period.due_on.isoformat()}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("연장 사유를 적어 주세요.")})
    extension, _created = PeriodExtension.objects.update_or_create(
        period=period,
        department=department,
        defaults={"due_on": due_on, "reason": reason.strip(), "granted_by": user},
    )
    return extension


@transaction.atomic
def period_set_closed(*, user: User, period: ReportingPeriod, closed: bool) -> ReportingPeriod:
    _check_coordinator(user)
    period.closed = closed
    period._history_user = user
    period.save(update_fields=["closed"])
    return period


@transaction.atomic
def attachment_add(*, user: User, report: ProgressReport, upload) -> Attachment:
    """Attach an evidence file (size and real type checked) to an editable report."""
    _check_may_file(user, report.project)
    refusal = edit_refusal(user=user, filing=report)
    if refusal:
        raise ValidationError(refusal)
    check_upload(upload)
    return Attachment.objects.create(
        report=report,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=ALLOWED_UPLOADS[PurePath(upload.name).suffix.lower()][0],
        uploaded_by=user,
    )


@transaction.atomic
def attachment_delete(*, user: User, attachment: Attachment) -> None:
    _check_may_file(user, attachment.report.project)
    refusal = edit_refusal(user=user, filing=attachment.report)
    if refusal:
        raise ValidationError(refusal)
    attachment.file.delete(save=False)
    attachment.delete()


# Extension → (content type, the bytes such a file starts with).
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_UPLOADS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".hwp": ("application/x-hwp", (_OLE,)),
    ".hwpx": ("application/hwp+zip", (_ZIP,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (_ZIP,)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def check_upload(upload) -> None:
    """Refuse files over the size limit, of a type not allowed, or whose bytes lie about it."""
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("파일이 너무 큽니다 (%(size).1fMB). %(limit)sMB 이하만 올릴 수 있습니다.")
                % {"size": upload.size / 1024 / 1024, "limit": settings.ATTACHMENT_MAX_MB}
            }
        )
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ALLOWED_UPLOADS:
        raise ValidationError(
            {
                "file": _(
                    "올릴 수 없는 형식입니다. pdf, hwp, hwpx, docx, xlsx, pptx, jpg, png만 됩니다."
                )
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ALLOWED_UPLOADS[suffix][1]):
        raise ValidationError(
            {"file": _("파일 내용이 확장자(%(suffix)s)와 맞지 않습니다.") % {"suffix": suffix}}
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


# --- Reminders -------------------------------------------------------------------------------


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Mail staff when a period opens and 7 days before their deadline; safe to run daily.

    Each mail is logged (Notification), so a second run the same day — or any later day —
    sends nothing already sent.
    """
    today = today or _today()
    sent = {Notification.Kind.PERIOD_OPENED: 0, Notification.Kind.DUE_SOON: 0}
    periods = ReportingPeriod.objects.filter(closed=False, opens_on__lte=today).prefetch_related(
        "extensions"
    )
    for period in periods:
        running = Project.objects.filter(start_year__lte=period.year, end_year__gte=period.year)
        filed = ProgressReport.objects.filter(
            year=period.year,
            quarter=period.quarter,
            state__in=[FilingState.SUBMITTED, FilingState.APPROVED],
        ).values("project_id")
        for department in Department.objects.filter(led_projects__in=running).distinct():
            deadline = period.deadline_for(department.pk)
            if today > deadline:
                continue
            staff = list(department_staff(department.pk))
            sent[Notification.Kind.PERIOD_OPENED] += send_once(
                kind=Notification.Kind.PERIOD_OPENED,
                key=f"period:{period.pk}",
                recipients=staff,
                subject=_("[추진관리] %(period)s 실적 작성이 시작되었습니다") % {"period": period},
                body=_("%(period)s 분기 실적을 %(due)s까지 제출해 주세요.")
                % {"period": period, "due": deadline.isoformat()},
            )
            missing = running.filter(lead_department=department).exclude(pk__in=filed)
            if (deadline - today).days <= 7 and missing.exists():
                names = "\n".join(f"- {p}" for p in missing.order_by("code"))
                sent[Notification.Kind.DUE_SOON] += send_once(
                    kind=Notification.Kind.DUE_SOON,
                    key=f"period:{period.pk}:due:{deadline.isoformat()}",
                    recipients=staff,
                    subject=_("[추진관리] %(period)s 실적 제출 기한이 %(due)s입니다")
                    % {"period": period, "due": deadline.isoformat()},
                    body=_("아직 제출하지 않은 사업:\n%(names)s") % {"names": names},
                )
    return sent
