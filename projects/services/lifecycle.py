"""Projects over the plan's life: ending one (중단, 폐지, 통합) and adding one mid-plan from an
accepted committee proposal. Which projects count in a quarter is selectors.figures.running_in.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import Origin, ProjectEnd, ProposalResponse
from ..models import Project, Proposal, User


def ended_refusal(project: Project, year: int, quarter: int | None = None) -> str | None:
    """Why nothing may be filed for the project's plan of `year` (quarter None) or report of
    the quarter: it ended before (Project.counts_in); None when it may. Filings made before
    the end stay readable."""
    if not project.runs_in(year) or project.counts_in(year, quarter):
        return None
    names = {
        "date": project.ended_on.isoformat(),
        "kind": project.get_end_kind_display(),
        "year": year,
        "quarter": quarter,
    }
    if quarter is None:
        return (
            _("이 사업은 %(date)s에 %(kind)s되어 %(year)s년 시행계획을 작성할 수 없습니다.") % names
        )
    return (
        _("이 사업은 %(date)s에 %(kind)s되어 %(year)s년 %(quarter)s분기 실적을 작성할 수 없습니다.")
        % names
    )


ACCEPTED = (ProposalResponse.ACCEPT, ProposalResponse.PARTIAL)


@transaction.atomic
def project_end(
    *,
    user: User,
    project: Project,
    kind: str,
    ended_on: date | None,
    reason: str,
    merged_into: Project | None = None,
) -> Project:
    """End the project on `ended_on`: it counts in the quarters that begin before that day and
    in none after; its filings stay. History names `user`."""
    permissions.check(permissions.may_change_projects, user)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.is_ended:
        raise ValidationError(_("이미 종료된 사업입니다. 종료를 취소한 뒤 다시 입력하세요."))
    errors = {}
    if kind not in ProjectEnd.values:
        errors["kind"] = _("종료 구분을 고르세요.")
    if ended_on is None:
        errors["ended_on"] = _("종료일을 입력하세요.")
    elif not project.start_year <= ended_on.year <= project.end_year:
        errors["ended_on"] = _("종료일은 사업 기간(%(start)s~%(end)s년) 안이어야 합니다.") % {
            "start": project.start_year,
            "end": project.end_year,
        }
    if not reason.strip():
        errors["reason"] = _("종료 사유를 적어 주세요.")
    if kind == ProjectEnd.MERGED:
        if merged_into is None:
            errors["merged_into"] = _("통합된 사업을 고르세요.")
        elif merged_into.pk == project.pk:
            errors["merged_into"] = _("사업을 자기 자신에 통합할 수 없습니다.")
        elif merged_into.is_ended:
            errors["merged_into"] = _("이미 종료된 사업에는 통합할 수 없습니다.")
        elif ended_on is not None and merged_into.end_year < ended_on.year:
            errors["merged_into"] = _(
                "%(code)s 사업은 %(end)s년에 끝나 %(year)s년에 통합할 수 없습니다."
            ) % {"code": merged_into.code, "end": merged_into.end_year, "year": ended_on.year}
    elif merged_into is not None:
        errors["merged_into"] = _("통합한 사업에만 통합된 사업을 고릅니다.")
    if errors:
        raise ValidationError(errors)
    project.end_kind = kind
    project.ended_on = ended_on
    project.end_reason = reason.strip()
    project.merged_into = merged_into
    project._history_user = user
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_end_undo(*, user: User, project: Project) -> Project:
    """Take back an end entered by mistake: the project counts again in every quarter of its
    years. The history keeps the end and its undoing."""
    permissions.check(permissions.may_change_projects, user)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_ended:
        raise ValidationError(_("종료되지 않은 사업입니다."))
    project.end_kind = ""
    project.ended_on = None
    project.end_reason = ""
    project.merged_into = None
    project._history_user = user
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_from_proposal(*, user: User, proposal: Proposal, values: dict) -> Project:
    """Add the project an accepted (or partly accepted) committee proposal became, from its
    start_year on (origin: 위원회 제안), and link the proposal to it."""
    permissions.check(permissions.may_change_projects, user)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.response not in ACCEPTED:
        raise ValidationError(_("수용 또는 부분수용한 제안만 사업으로 반영할 수 있습니다."))
    if proposal.project_id is not None:
        raise ValidationError(_("이미 사업으로 반영된 제안입니다."))
    phases = values.pop("phases", None)
    project = Project(origin=Origin.PROPOSAL, **values)
    project._history_user = user
    project.full_clean()
    project.save()
    if phases:
        project.phases.set(phases)
    proposal.project = project
    proposal._history_user = user
    proposal.save(update_fields=["project"])
    return project
