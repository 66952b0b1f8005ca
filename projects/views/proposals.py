"""Committee proposals: the list, a new proposal, a department's answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, services
from ..forms import ProposalAnswerForm, ProposalForm
from ..models import Proposal
from ..permissions import permission_required_by
from .common import attach_errors


def render_proposals(request: HttpRequest, *, form=None, answered=None, status=200):
    """The proposals page; `form` (a new proposal) or `answered` (an answer form) is shown
    again with its errors."""
    user = request.user
    proposals = Proposal.objects.select_related(
        "proposed_by", "department", "responded_by", "project"
    )
    rows = []
    for proposal in proposals:
        answer = None
        if permissions.may_answer_proposal(user, proposal):
            same = answered is not None and answered.instance.pk == proposal.pk
            answer = answered if same else ProposalAnswerForm(instance=proposal)
        rows.append((proposal, answer))
    if permissions.may_propose(user):
        form = form or ProposalForm()
    context = {"proposals": rows, "form": form, "page_url": reverse("projects:proposals")}
    return render(request, "projects/proposals.html", context, status=status)


@permission_required_by(permissions.can_read)
@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    return render_proposals(request)


@permission_required_by(permissions.may_propose)
@require_POST
def proposal_new(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_create(user=request.user, values=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("제안을 등록했습니다."))
            return redirect("projects:proposals")
    return render_proposals(request, form=form, status=400)


@permission_required_by(permissions.may_answer_any_proposal)
@require_POST
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    if not permissions.may_answer_proposal(request.user, proposal):
        raise PermissionDenied(str(permissions.may_answer_any_proposal.refusal))
    form = ProposalAnswerForm(request.POST, instance=proposal)
    if form.is_valid():
        try:
            services.proposal_answer(
                user=request.user,
                proposal=proposal,
                response=form.cleaned_data["response"],
                reason=form.cleaned_data["response_reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("검토 결과를 회신했습니다."))
            return redirect("projects:proposals")
    messages.error(request, _("검토 결과와 의견을 적어 주세요."))
    return render_proposals(request, answered=form, status=400)
