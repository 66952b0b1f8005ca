"""Change requests of an approved plan (변경계획): the new-request page, each request's page,
and one small POST view per button on them (save, submit, the head's sign-off, the
coordinator's approval and return, opinions). As on the plan page: success redirects back
with a message; a refusal shows the page again with why (400), or with what changed since
the version the user was shown (409)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, selectors, services
from ..choices import FilingState
from ..forms import CommentForm, PlanChangeForm
from ..models import ImplementationPlan, PlanChange, Project
from ..permissions import permission_required_by
from ..services.plan_changes import current_targets, current_values
from .common import attach_errors
from .filings import offers_withdraw, shown_version

ACTIONS = (
    "save", "submit", "withdraw", "approve", "return", "signoff", "signoff-return", "comment",
)  # fmt: skip


@dataclass
class ChangePage:
    """A plan's change request page (`change` None: a new request)."""

    project: Project
    plan: ImplementationPlan
    change: PlanChange | None

    @property
    def args(self) -> list:
        return [self.project.code, self.plan.year]

    @property
    def url(self) -> str:
        if self.change is None:
            return reverse("projects:plan_change_new", args=self.args)
        return reverse("projects:plan_change", args=[*self.args, self.change.pk])

    @property
    def plan_url(self) -> str:
        return reverse("projects:plan", args=self.args)

    @property
    def actions(self) -> dict[str, str]:
        if self.change is None:
            return {"save": reverse("projects:plan_change_create", args=self.args)}
        return {
            name.replace("-", "_"): reverse(
                f"projects:plan_change_{name.replace('-', '_')}",
                args=[*self.args, self.change.pk],
            )
            for name in ACTIONS
        }

    def form(self, data=None) -> PlanChangeForm:
        indicators = list(self.project.indicators.all())
        now = current_targets(self.plan)
        if self.change is None:
            instance = PlanChange(plan=self.plan, **current_values(self.plan))
            proposed = {}
        else:
            instance = self.change
            proposed = {t.indicator_id: t.value for t in self.change.targets.all()}
        return PlanChangeForm(
            data, instance=instance, plan=self.plan, indicators=indicators,
            current_targets=now, proposed_targets=proposed,
        )  # fmt: skip


def load_page(code: str, year: int, pk: int | None = None) -> ChangePage:
    """The change page at this address (pk None: a new request), or 404."""
    project = get_object_or_404(
        Project.objects.select_related("lead_department").prefetch_related("indicators"),
        code=code,
    )
    plan = ImplementationPlan.objects.filter(project=project, year=year).first()
    if plan is None:
        raise Http404(_("이 사업의 %(year)s년 시행계획이 없습니다.") % {"year": year})
    plan.project = project
    change = None
    if pk is not None:
        stamps = ("submitted_by", "signed_off_by", "reviewed_by", "edited_by")
        change = get_object_or_404(
            PlanChange.objects.select_related(*stamps).prefetch_related("targets__indicator"),
            pk=pk,
            plan=plan,
        )
        change.plan = plan
    return ChangePage(project, plan, change)


def render_page(request: HttpRequest, page: ChangePage, *, form=None, changes=(), status=200):
    """The request page: the form when the user may edit it, else the request as it stands."""
    user = request.user
    change = page.change
    if change is None:
        refusal = services.request_refusal(user=user, plan=page.plan)
    else:
        refusal = services.change_edit_refusal(user=user, change=change)
    if form is None and refusal is None:
        form = page.form()
    thread = selectors.filing_thread(change)
    rows = selectors.change_rows(change) if change is not None else []
    context = {
        "page": page,
        "project": page.project,
        "plan": page.plan,
        "record": change,
        "form": form if refusal is None or status != 200 else None,
        "refusal": refusal,
        "proposed": rows,
        "unchanged_rows": sum(not row.differs for row in rows),
        "below_spending": selectors.below_spending(change) if change is not None else [],
        "may_request": permissions.may_request_plan_change(user, page.project),
        "may_review": permissions.may_review(user),
        "may_review_filing": change is not None and permissions.may_review_filing(user, change),
        "review_refusal": permissions.may_review_filing.refusal,
        "may_sign_off": change is not None and permissions.may_sign_off(user, change),
        "may_withdraw": offers_withdraw(user, change),
        "may_comment": change is not None and permissions.may_comment(user, change),
        "comment_form": CommentForm(),
        "changes": changes,
        **thread,
    }
    return render(request, "projects/plan_change.html", context, status=status)


@permission_required_by(permissions.may_request_plan_change_any)
@require_safe
def change_new(request: HttpRequest, code: str, year: int) -> HttpResponse:
    page = load_page(code, year)
    permissions.check_may_request_plan_change(request.user, page.project)
    return render_page(request, page)


@permission_required_by(permissions.can_read)
@require_safe
def change_page(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    return render_page(request, load_page(code, year, pk))


def _save(request: HttpRequest, page: ChangePage, *, submit: bool) -> HttpResponse:
    permissions.check_may_request_plan_change(request.user, page.project)
    form = page.form(request.POST)
    if not form.is_valid():
        return render_page(request, page, form=form, status=400)
    try:
        change = services.plan_change_save(
            user=request.user, plan=page.plan, change=page.change, values=form.values(),
            targets=form.targets(), version=form.cleaned_data.get("version"), submit=submit,
            link=request.build_absolute_uri(page.url),
        )  # fmt: skip
    except ValidationError as error:
        attach_errors(form, error)
        return render_page(request, page, form=form, status=400)
    except services.ConflictError:
        form.add_error(
            None,
            _(
                "다른 사람이 먼저 이 변경 요청을 저장했습니다. 입력하신 내용은 아래에 그대로 "
                "있습니다. 새로 고친 뒤 현재 내용을 확인하고 다시 저장하세요."
            ),
        )
        return render_page(request, page, form=form, status=409)
    if submit:
        done = (
            _("제출했습니다. 부서장 확인을 기다립니다.")
            if change.state == FilingState.SIGNOFF
            else _("제출했습니다. 총괄 관리자가 검토합니다.")
        )
    else:
        done = _("임시 저장했습니다.")
    messages.success(request, done)
    page.change = change
    return redirect(page.url)


@permission_required_by(permissions.may_request_plan_change_any)
@require_POST
def change_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _save(request, load_page(code, year), submit="submit" in request.POST)


@permission_required_by(permissions.may_request_plan_change_any)
@require_POST
def change_save(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    return _save(request, load_page(code, year, pk), submit=False)


@permission_required_by(permissions.may_request_plan_change_any)
@require_POST
def change_submit(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    return _save(request, load_page(code, year, pk), submit=True)


def _review(request: HttpRequest, page: ChangePage, act, done: str) -> HttpResponse:
    """Run a review step on the request as the user was shown it, never a later version."""
    shown = shown_version(request)
    change = page.change
    if shown is None or shown != change.version:
        return _changed_meanwhile(request, page, shown)
    try:
        act(change, shown)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render_page(request, page, status=400)
    except services.ConflictError:
        return _changed_meanwhile(request, page, shown)
    messages.success(request, done)
    return redirect(page.url)


def _changed_meanwhile(request: HttpRequest, page: ChangePage, shown: int | None):
    current = PlanChange.objects.get(pk=page.change.pk)
    changes = []
    if shown is not None:
        changes = selectors.filing_changes(current, since_version=shown)
    messages.error(
        request,
        _(
            "보고 계시던 뒤에 이 변경 요청이 바뀌었습니다. 아무것도 하지 않았습니다. "
            "바뀐 내용을 확인한 뒤 다시 하세요."
        ),
    )
    return render_page(request, load_page(page.project.code, page.plan.year, current.pk),
                       changes=changes, status=409)  # fmt: skip


@permission_required_by(permissions.may_withdraw_any)
@require_POST
def change_withdraw(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """Take the request back to 작성중 before the head or the coordinator acts on it. Who may
    is checked first: a 403 whatever version they were shown, never a 409 page."""
    page = load_page(code, year, pk)
    if not permissions.may_withdraw(request.user, page.change):
        raise PermissionDenied(str(permissions.may_withdraw_any.refusal))
    return _review(
        request, page,
        lambda change, shown: services.filing_withdraw(
            user=request.user, filing=change, version=shown
        ),
        _("제출을 회수했습니다. 고친 뒤 다시 제출하세요."),
    )  # fmt: skip


@permission_required_by(permissions.may_review)
@require_POST
def change_approve(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    comment = request.POST.get("reason", "")
    return _review(
        request, load_page(code, year, pk),
        lambda change, shown: services.plan_change_approve(
            user=request.user, change=change, comment=comment, version=shown
        ),
        _("승인했습니다. 시행계획에 변경 내용을 반영했습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_review)
@require_POST
def change_return(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _review(
        request, load_page(code, year, pk),
        lambda change, shown: services.plan_change_return(
            user=request.user, change=change, reason=reason, version=shown
        ),
        _("보완요청했습니다. 시행계획은 바뀌지 않았습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_sign_off_any)
@require_POST
def change_signoff(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    page = load_page(code, year, pk)
    link = request.build_absolute_uri(page.url)
    return _review(
        request, page,
        lambda change, shown: services.filing_sign_off(
            user=request.user, filing=change, version=shown, link=link
        ),
        _("확인했습니다. 총괄 관리자에게 보냈습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_sign_off_any)
@require_POST
def change_signoff_return(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    page = load_page(code, year, pk)
    reason = request.POST.get("reason", "")
    link = request.build_absolute_uri(page.url)
    return _review(
        request, page,
        lambda change, shown: services.filing_sign_off_return(
            user=request.user, filing=change, reason=reason, version=shown, link=link
        ),
        _("반려했습니다. 담당자에게 돌려보냈습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_comment_any)
@require_POST
def change_comment(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    page = load_page(code, year, pk)
    if not permissions.may_comment(request.user, page.change):
        raise PermissionDenied(str(permissions.may_comment_any.refusal))
    try:
        services.comment_add(
            user=request.user, filing=page.change, body=request.POST.get("body", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render_page(request, page, status=400)
    messages.success(request, _("의견을 남겼습니다."))
    return redirect(page.url)
