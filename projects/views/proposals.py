"""Committee proposals: the list, a new proposal, a department's answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, services
from ..forms import ProposalAnswerForm, ProposalForm
from ..models import Proposal
from ..permissions import permission_required_by
from .common import attach_errors

PROPOSALS_SHOWN = 20  # proposals per page
# ?answer=… : the proposals still waiting for a department's answer, or those answered.
ANSWER_FILTERS = {"waiting": Q(response=""), "answered": ~Q(response="")}


def render_proposals(request: HttpRequest, *, form=None, answered=None, status=200):
    """A page of the proposals, newest first, filtered by `?answer=` and (staff) `?mine=1`;
    `form` (a new proposal) or `answered` (an answer form) is shown again with its errors."""
    user = request.user
    proposals = Proposal.objects.select_related(
        "proposed_by", "department", "responded_by", "project"
    ).order_by("-year", "-proposed_at", "-pk")
    mine = bool(request.GET.get("mine")) and user.department_id is not None
    if mine:
        proposals = proposals.filter(department_id=user.department_id)
    counts = proposals.aggregate(
        all=Count("pk"), **{name: Count("pk", filter=q) for name, q in ANSWER_FILTERS.items()}
    )
    answer = request.GET.get("answer")
    if answer in ANSWER_FILTERS:
        proposals = proposals.filter(ANSWER_FILTERS[answer])
    page = Paginator(proposals, PROPOSALS_SHOWN).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if answered is not None and answered.instance not in shown:
        shown.insert(0, answered.instance)  # the list moved since: keep the refused answer in view
    rows = []
    for proposal in shown:
        answer_form = None
        if permissions.may_answer_proposal(user, proposal):
            same = answered is not None and answered.instance.pk == proposal.pk
            answer_form = answered if same else ProposalAnswerForm(instance=proposal)
        rows.append((proposal, answer_form))
    if permissions.may_propose(user):
        form = form or ProposalForm()
    context = {
        "proposals": rows,
        "page": page,
        "answer": answer if answer in ANSWER_FILTERS else "",
        "counts": counts,
        "mine": mine,
        "may_filter_mine": user.department_id is not None,
        "form": form,
        "page_url": reverse("projects:proposals"),
        "list_query": _list_query(request),
        "may_add_projects": permissions.may_change_projects(user),
        "accepted_responses": services.lifecycle.ACCEPTED,
    }
    return render(request, "projects/proposals.html", context, status=status)


def _list_query(request: HttpRequest) -> str:
    """The list's filters and page, for an answer to come back to the same page."""
    query = QueryDict(mutable=True)
    for name in ("answer", "mine", "page"):
        if request.GET.get(name):
            query[name] = request.GET[name]
    return query.urlencode()


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
            query = _list_query(request)
            return redirect(reverse("projects:proposals") + (f"?{query}" if query else ""))
    messages.error(request, _("검토 결과와 의견을 적어 주세요."))
    return render_proposals(request, answered=form, status=400)
