"""Projects over the plan's life: the coordinator ends a project (or undoes that end) and adds
the project an accepted committee proposal became."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, services
from ..forms import ProjectEndForm, ProposalProjectForm
from ..models import Project, Proposal
from ..permissions import permission_required_by
from .common import active_plan_or_404, attach_errors


def _project(code: str) -> Project:
    projects = Project.objects.select_related(
        "task__direction__plan", "lead_department", "merged_into"
    )
    return get_object_or_404(projects, code=code)


def _render_end(request: HttpRequest, project: Project, form=None, *, status=200):
    form = form or ProjectEndForm(project=project)
    context = {"project": project, "form": form}
    return render(request, "projects/project_end.html", context, status=status)


@permission_required_by(permissions.may_change_projects)
@require_safe
def end_page(request: HttpRequest, code: str) -> HttpResponse:
    """The end form (중단, 폐지, 통합), or the end already entered with a button to undo it."""
    return _render_end(request, _project(code))


@permission_required_by(permissions.may_change_projects)
@require_POST
def end_apply(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(code)
    form = ProjectEndForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.project_end(
                user=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                merged_into=form.cleaned_data["merged_into"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("사업 종료를 기록했습니다."))
            return redirect("projects:detail", code=project.code)
    return _render_end(request, project, form, status=400)


@permission_required_by(permissions.may_change_projects)
@require_POST
def end_undo(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(code)
    try:
        services.project_end_undo(user=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("사업 종료를 취소했습니다. 모든 분기에 다시 집계합니다."))
    return redirect("projects:detail", code=project.code)


def _proposal(pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("department", "proposed_by", "project"), pk=pk
    )
    if proposal.project_id is not None:
        raise Http404(_("이미 사업으로 반영된 제안입니다."))
    return proposal


def _render_proposal_project(request, proposal: Proposal, form=None, *, status=200):
    plan = active_plan_or_404()
    form = form or ProposalProjectForm(proposal=proposal, plan=plan)
    context = {
        "proposal": proposal,
        "form": form,
        "accepted": proposal.response in services.lifecycle.ACCEPTED,
    }
    return render(request, "projects/proposal_project.html", context, status=status)


@permission_required_by(permissions.may_change_projects)
@require_safe
def proposal_project_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The project an accepted proposal becomes: its code, task, department, years, costs."""
    return _render_proposal_project(request, _proposal(pk))


@permission_required_by(permissions.may_change_projects)
@require_POST
def proposal_project_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    form = ProposalProjectForm(request.POST, proposal=proposal, plan=active_plan_or_404())
    if form.is_valid():
        try:
            project = services.project_from_proposal(
                user=request.user, proposal=proposal, values=dict(form.cleaned_data)
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("제안을 사업 %(code)s(으)로 추가했습니다. %(year)s년부터 집계합니다.")
                % {"code": project.code, "year": project.start_year},
            )
            return redirect("projects:detail", code=project.code)
    return _render_proposal_project(request, proposal, form, status=400)
