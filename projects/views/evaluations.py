"""The year-end evaluation (연차평가): a project's evaluation page with its actions, and the
year's evaluation table."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from .. import permissions, selectors, services
from ..forms import GradeForm, ReasonForm, SelfEvaluationForm
from ..models import Evaluation, Project
from ..permissions import permission_required_by
from ..tables import EvaluationRowsTable
from .common import active_plan_or_404, attach_errors, int_param

HISTORY_SHOWN = 20
ROWS_PER_PAGE = 50
CONFLICT = gettext_lazy(
    "다른 사람이 먼저 이 연차평가를 저장했습니다. 입력하신 내용은 아래에 그대로 있습니다. "
    "현재 저장된 내용을 확인한 뒤 다시 저장하면 그 내용으로 바뀝니다."
)


def _project(code: str, year: int) -> Project:
    """The project, if it ran in `year` within its plan (else 404)."""
    project = get_object_or_404(
        Project.objects.select_related("task__direction__plan", "lead_department"), code=code
    )
    if year not in project.task.direction.plan.years or not (
        project.start_year <= year <= project.end_year
    ):
        raise Http404(_("이 사업은 그 해에 추진하지 않아 연차평가가 없습니다."))
    return project


def _render(request, project, year: int, *, status=200, **forms) -> HttpResponse:
    """The evaluation page; `forms` are forms shown again with what the user typed."""
    user = request.user
    evaluation = selectors.evaluation_of(project=project, year=year)
    refusal = services.self_evaluation_refusal(
        user=user, project=project, year=year, evaluation=evaluation
    )
    may_write = permissions.may_self_evaluate(user, project)
    self_form = None
    if refusal is None:
        self_form = forms.get("self_form") or SelfEvaluationForm(instance=evaluation)
    # Others read a self-evaluation once submitted; its department reads its draft too.
    shown = evaluation if evaluation and (evaluation.is_submitted or may_write) else None
    grade_form = return_form = None
    if evaluation and services.grade_refusal(user=user, evaluation=evaluation) is None:
        grade_form = forms.get("grade_form") or GradeForm(instance=evaluation)
    returnable = evaluation and evaluation.is_submitted and not evaluation.is_graded
    if returnable and permissions.may_return_evaluation(user):
        return_form = forms.get("return_form") or ReasonForm()
    history = selectors.evaluation_history(shown, limit=HISTORY_SHOWN) if shown else []
    context = {
        "project": project,
        "year": year,
        "evaluation": shown,
        "figures": selectors.year_figures(
            plan=project.task.direction.plan, project=project, year=year
        ),
        "criteria": selectors.grade_criteria(),
        "self_form": self_form,
        # Why the department cannot write now (said to its own staff only).
        "self_refusal": refusal if may_write else None,
        "grade_form": grade_form,
        "return_form": return_form,
        "may_grade": permissions.may_grade(user),
        "history": history,
    }
    return render(request, "projects/evaluation_page.html", context, status=status)


@permission_required_by(permissions.can_read)
@require_safe
def evaluation_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _render(request, _project(code, year), year)


def _self_action(request: HttpRequest, code: str, year: int, *, submit: bool) -> HttpResponse:
    project = _project(code, year)
    form = SelfEvaluationForm(request.POST)
    if not form.is_valid():
        return _render(request, project, year, status=400, self_form=form)
    write = services.evaluation_submit if submit else services.evaluation_save
    values = {name: form.cleaned_data[name] for name in services.SELF_EVALUATION_FIELDS}
    try:
        write(
            user=request.user, project=project, year=year, values=values,
            version=form.cleaned_data.get("version"),
        )  # fmt: skip
    except ValidationError as error:
        attach_errors(form, error)
        return _render(request, project, year, status=400, self_form=form)
    except services.ConflictError:
        return _render(
            request, project, year, status=409, self_form=_conflicted(form, project, year)
        )
    messages.success(request, _("자체평가를 제출했습니다.") if submit else _("임시 저장했습니다."))
    return redirect("projects:evaluation", code=project.code, year=year)


def _conflicted(form, project, year: int):
    """The user's text back with the stored version, so saving again replaces what is saved."""
    form.add_error(None, CONFLICT)
    current = Evaluation.objects.filter(project=project, year=year).first()
    data = form.data.copy()
    data["version"] = current.version if current else ""
    form.data = data
    return form


@permission_required_by(permissions.may_self_evaluate_any)
@require_POST
def evaluation_save(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _self_action(request, code, year, submit=False)


@permission_required_by(permissions.may_self_evaluate_any)
@require_POST
def evaluation_submit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _self_action(request, code, year, submit=True)


def _stored(project, year: int) -> Evaluation | None:
    return Evaluation.objects.filter(project=project, year=year).first()


@permission_required_by(permissions.may_grade)
@require_POST
def evaluation_grade(request: HttpRequest, code: str, year: int) -> HttpResponse:
    project = _project(code, year)
    evaluation = _stored(project, year)
    form = GradeForm(request.POST, instance=evaluation)
    if not form.is_valid():
        return _render(request, project, year, status=400, grade_form=form)
    try:
        services.evaluation_grade(
            user=request.user, evaluation=evaluation, grade=form.cleaned_data["grade"],
            comment=form.cleaned_data["grade_comment"], version=form.cleaned_data["version"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render(request, project, year, status=400)
    except services.ConflictError:
        form.add_error(None, CONFLICT)
        data = form.data.copy()
        data["version"] = _stored(project, year).version
        form.data = data
        return _render(request, project, year, status=409, grade_form=form)
    messages.success(request, _("평가 등급을 저장했습니다."))
    return redirect("projects:evaluation", code=project.code, year=year)


@permission_required_by(permissions.may_return_evaluation)
@require_POST
def evaluation_return(request: HttpRequest, code: str, year: int) -> HttpResponse:
    project = _project(code, year)
    evaluation = _stored(project, year)
    form = ReasonForm(request.POST)
    version = _posted_version(request)
    if evaluation is None:
        messages.error(request, _("제출되지 않은 자체평가는 보완요청할 수 없습니다."))
        return _render(request, project, year, status=400)
    if not form.is_valid():
        return _render(request, project, year, status=400, return_form=form)
    try:
        services.evaluation_return(
            user=request.user, evaluation=evaluation, reason=form.cleaned_data["reason"],
            version=version if version is not None else evaluation.version,
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render(request, project, year, status=400)
    except services.ConflictError:
        messages.error(request, CONFLICT)
        return _render(request, project, year, status=409, return_form=form)
    messages.success(request, _("자체평가를 보완요청했습니다."))
    return redirect("projects:evaluation", code=project.code, year=year)


def _posted_version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


@permission_required_by(permissions.can_read)
@require_safe
def evaluation_table(request: HttpRequest) -> HttpResponse:
    """A year's evaluations by direction, by department, and project by project."""
    plan = active_plan_or_404()
    year = int_param(request, "year")
    if year is None or year not in plan.years:
        year = selectors.default_evaluation_year(plan)
    summary = selectors.evaluation_table(plan=plan, year=year)
    table = EvaluationRowsTable(summary.rows, year=year)
    RequestConfig(request, paginate={"per_page": ROWS_PER_PAGE}).configure(table)
    context = {
        "summary": summary,
        "table": table,
        "year": year,
        "years": selectors.evaluation_years(plan),
        "criteria": selectors.grade_criteria(),
    }
    return render(request, "projects/evaluations.html", context)
