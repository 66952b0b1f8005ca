"""Reading a filled plan-structure template (coordinator): departments, projects,
indicators and targets, every row checked; the replacement itself is a service
(services.plan_structure_replace), tried at the preview and rolled back, run again at apply.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from strategies.models import Phase, Task

from .. import permissions, selectors, services
from ..choices import IndicatorKind
from ..models import MONEY_MAX, Department, Project, User
from ..models.work import code_refusal
from .format import PLAN_SHEETS, SOURCE_NAMES
from .reading import Change, ImportRefused, Preview, Row, RowError, sheet_rows

KIND_BY_LABEL = {str(k.label): k.value for k in IndicatorKind}


def _codes(value: str) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def read_plan(workbook, meta: list, *, user: User) -> Preview:
    """Check a plan-structure template and plan the replacement of the project list."""
    if not permissions.may_import_plan(user):
        raise ImportRefused(_("계획 구조는 총괄 관리자만 올릴 수 있습니다."))
    plan = selectors.active_plan()
    if plan is None:
        raise ImportRefused(_("등록된 기본계획이 없습니다."))
    if meta[:1] != [plan.name]:
        raise ImportRefused(
            _("'%(plan)s'의 양식이 아닙니다. 이 계획의 양식을 새로 내려받아 주세요.")
            % {"plan": plan.name}
        )
    preview = Preview()
    sheets = {
        title: list(sheet_rows(workbook, title, headers)) for title, headers in PLAN_SHEETS.items()
    }

    departments = {}
    for number, values in sheets["부서"]:
        row = Row(preview, "부서", number, PLAN_SHEETS["부서"], values)
        code, name = row.text("부서코드").strip(), row.text("부서명").strip()
        if not code or slugify(code) != code:
            row.error("부서코드", _("영문 소문자·숫자·-로 된 코드여야 합니다."))
        if not name:
            row.error("부서명", _("부서명을 적어 주세요."))
        active = row.boolean("사용")
        if code in departments:
            row.error("부서코드", _("같은 부서코드가 두 번 있습니다."))
        if not row.failed:
            departments[code] = {"name": name, "is_active": active}
    known_departments = set(departments) | set(Department.objects.values_list("code", flat=True))

    tasks = {t.number: t for t in Task.objects.filter(direction__plan=plan)}
    phases = {p.order: p for p in Phase.objects.filter(plan=plan)}
    stored_tasks = dict(
        Project.objects.filter(task__direction__plan=plan).values_list("code", "task_id")
    )
    projects = {}
    for number, values in sheets["사업"]:
        row = Row(preview, "사업", number, PLAN_SHEETS["사업"], values)
        code = row.text("사업코드").strip()
        task = tasks.get(row.number("전략과제번호", whole=True))
        if not code:
            row.error("사업코드", _("사업코드를 적어 주세요."))
        elif code in projects:
            row.error("사업코드", _("같은 사업코드가 두 번 있습니다."))
        if task is None:
            row.error("전략과제번호", _("1~%(n)s 중 하나여야 합니다.") % {"n": len(tasks)})
        # a code given (new, or moved to another task) is checked, as Project.clean checks it
        elif code and stored_tasks.get(code) != task.pk and code_refusal(code, task.code):
            row.error("사업코드", code_refusal(code, task.code))
        lead = row.text("주관부서코드").strip()
        if lead not in known_departments:
            row.error("주관부서코드", _("없는 부서코드입니다: %(code)s") % {"code": lead})
        support = _codes(row.raw("협조부서코드"))
        if set(support) - known_departments:
            row.error("협조부서코드", _("없는 부서코드가 있습니다: %(codes)s")
                      % {"codes": ", ".join(sorted(set(support) - known_departments))})  # fmt: skip
        orders = _codes(row.raw("추진단계"))
        if not all(o.isdigit() and int(o) in phases for o in orders):
            row.error(
                "추진단계", _("1~%(n)s 사이의 단계 번호를 쉼표로 적어 주세요.") % {"n": len(phases)}
            )
        start = row.number("시작연도", whole=True, minimum=plan.start_year, maximum=plan.end_year)
        end = row.number("종료연도", whole=True, minimum=plan.start_year, maximum=plan.end_year)
        if start is not None and end is not None and end < start:
            row.error("종료연도", _("종료 연도는 시작 연도와 같거나 뒤여야 합니다."))
        values_ = {
            "task": task,
            "name": row.text("사업명").strip(),
            "summary": row.text("사업개요"),
            "lead": lead,
            "support": support,
            "phases": [phases[int(o)] for o in orders if o.isdigit() and int(o) in phases],
            "start_year": start,
            "end_year": end,
            "is_continuing": row.boolean("계속사업"),
            "is_sample": row.boolean("예시사업"),
            "weight": row.number("가중치", minimum=0, blank=Decimal(1), digits=6),
            **{
                f"cost_{s}": row.number(
                    f"{name}(원)", minimum=0, maximum=MONEY_MAX, whole=True, blank=0
                )
                for s, name in SOURCE_NAMES.items()
            },
        }
        if not values_["name"]:
            row.error("사업명", _("사업명을 적어 주세요."))
        if not row.failed:
            projects[code] = values_

    indicators: dict[tuple[str, str], dict] = {}
    for number, values in sheets["성과지표"]:
        row = Row(preview, "성과지표", number, PLAN_SHEETS["성과지표"], values)
        code, name = row.text("사업코드").strip(), row.text("지표명").strip()
        if code not in projects:
            row.error("사업코드", _("'사업' 시트에 없는 사업코드입니다: %(code)s") % {"code": code})
        if not name:
            row.error("지표명", _("지표명을 적어 주세요."))
        kind = KIND_BY_LABEL.get(row.text("유형").strip())
        if kind is None:
            row.error(
                "유형",
                _("유형은 %(kinds)s 중 하나여야 합니다.") % {"kinds": ", ".join(KIND_BY_LABEL)},
            )
        spec = {
            "kind": kind,
            "unit": row.text("단위").strip(),
            "baseline": row.number("기준값"),
            "baseline_year": row.number("기준연도", whole=True, minimum=2000, maximum=2100),
            "higher_is_better": row.boolean("높을수록좋음"),
            "formula": row.text("산식"),
            "source": row.text("출처"),
            "targets": {},
        }
        if (code, name) in indicators:
            row.error("지표명", _("같은 사업에 같은 지표가 두 번 있습니다."))
        if not row.failed:
            indicators[code, name] = spec
    for number, values in sheets["목표"]:
        row = Row(preview, "목표", number, PLAN_SHEETS["목표"], values)
        key = (row.text("사업코드").strip(), row.text("지표명").strip())
        year = row.number("연도", whole=True, minimum=plan.start_year, maximum=plan.end_year)
        value = row.number("목표값")
        if key not in indicators:
            row.error("지표명", _("'성과지표' 시트에 없는 지표입니다."))
        elif value is None and not row.failed:
            row.error("목표값", _("목표값을 적어 주세요."))
        if not row.failed:
            indicators[key]["targets"][year] = value

    # Projects left out of the file are removed, unless work was already filed for them.
    for project in Project.objects.filter(task__direction__plan=plan).exclude(code__in=projects):
        if project.plans.exists() or project.reports.exists():
            preview.errors.append(
                RowError(
                    "사업",
                    0,
                    "A (사업코드)",
                    _("사업 %(code)s는 시행계획·실적이 있어 목록에서 뺄 수 없습니다.")
                    % {"code": project.code},
                )  # fmt: skip
            )
        else:
            preview.changes.append(Change(project.code, _("사업"), project.name, _("삭제")))
    if preview.errors:
        return preview
    structure = {"plan": plan, "departments": departments, "projects": projects,
                 "indicators": indicators}  # fmt: skip
    try:
        changes = services.plan_structure_replace(user=user, dry_run=True, **structure)
    except ValidationError as error:
        for message in error.messages:
            preview.errors.append(RowError("사업", 0, "—", message))
        return preview
    preview.changes += [Change(*change) for change in changes]

    def write(user) -> int:
        services.plan_structure_replace(user=user, **structure)
        return 1

    preview.writes.append(write)
    return preview
