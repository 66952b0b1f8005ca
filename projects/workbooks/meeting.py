"""The committee's meeting workbook: six sheets for one quarter (SPEC section 6), and in a
fourth quarter's the year-end evaluation (연차평가) after them; a handout
first: approved data only, each sheet titled, dated and set up for A4 landscape.

Every figure comes from selectors, so the workbook says what the dashboard says; this module
only lays the figures out in sheets (see format.py for how a sheet and a cell are written).
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..choices import FilingState, FundingSource, IndicatorKind, ProjectStatus
from ..models import ProgressReport, Project
from .evaluation import evaluation_sheet
from .format import (
    REPORT_TEXT_FIELDS,
    TOTAL,
    Heading,
    SheetWriter,
    as_of_line,
    fraction,
    labels,
    local_time,
    new_workbook,
    to_bytes,
)
from .summary import summary_sheet


def workbook_filename(year: int, quarter: int) -> str:
    return f"gwangyang-plan-{year}-Q{quarter}.xlsx"


def workbook_title(year: int, quarter: int) -> str:
    return _("광양시 4차산업혁명 촉진 기본계획 추진상황 — %(year)d년 %(quarter)d분기") % {
        "year": year,
        "quarter": quarter,
    }


def meeting_workbook(
    *, year: int, quarter: int, printed_by: str = "", under_review: bool = False
) -> bytes:
    """The committee's workbook for one quarter, as xlsx bytes: approved data only. With
    `under_review` (the coordinator's copy), a last sheet lists the reports not yet approved."""
    plan = selectors.active_plan()
    heading = Heading(workbook_title(year, quarter), as_of_line(printed_by))
    workbook = new_workbook()
    not_filed = selectors.not_filed(plan=plan, year=year, quarter=quarter)  # two sheets list it
    summary_sheet(workbook, heading, plan, year, quarter, not_filed)
    _projects_sheet(workbook, heading, plan, year, quarter)
    _reports_sheet(workbook, heading, year, quarter)
    _indicators_sheet(workbook, heading, year, quarter)
    _budget_sheet(workbook, heading, plan, year, quarter)
    _not_filed_sheet(workbook, heading, not_filed)
    if quarter == 4:  # the year's last quarter: the year-end evaluation
        evaluation_sheet(workbook, heading, plan, year)
    if under_review:
        _under_review_sheet(workbook, heading, year, quarter)
    return to_bytes(workbook)


def _money(project, source: str) -> tuple[int, int]:
    """(budget, spent) of a project annotated by with_period_figures, for one source."""
    return getattr(project, f"budget_{source}_year"), getattr(project, f"spent_{source}_asof")


def _projects_sheet(workbook, heading, plan, year: int, quarter: int) -> None:
    """사업현황: the plan's projects as of the quarter (in_plan_as_of: not an ended one after
    its end, nor an added one before its start)."""
    in_plan_then = Project.objects.filter(
        selectors.in_plan_as_of(year, quarter), task__direction__plan=plan
    )
    projects = (
        selectors.with_period_figures(in_plan_then, year=year, quarter=quarter)
        .select_related("task__direction", "lead_department")
        .order_by("code")
    )
    in_plan = {"project__task__direction__plan": plan}
    supporting = _joined(Project.support_departments.through, "department__name", **in_plan)
    phases = _joined(Project.phases.through, "phase__order", **in_plan)
    sheet = SheetWriter(workbook, "사업현황", heading=heading)
    status_label = labels(ProjectStatus)
    new, continuing = _("신규"), _("계속")
    for p in projects.iterator(chunk_size=2000):
        money = [_money(p, s) for s in FundingSource.values]
        budget, spent = sum(b for b, _s in money), sum(s for _b, s in money)
        sheet.add(
            [
                p.code, p.name, p.task.direction.name, p.task.name, p.lead_department.name,
                supporting.get(p.pk, ""), phases.get(p.pk, ""), p.start_year, p.end_year,
                continuing if p.is_continuing else new, p.is_sample, p.cost_total,
                status_label.get(p.period_status, ""), fraction(p.progress_asof), budget, spent,
                fraction(selectors.rate(spent, budget)),
            ]
        )  # fmt: skip
    sheet.close()


def _joined(through, field: str, **filters) -> dict[int, str]:
    """Project id → the `field` of its related rows through a many-to-many table, joined with
    commas, in one query (cheaper than prefetching model objects for thousands of projects)."""
    joined = defaultdict(list)
    rows = through.objects.filter(**filters).order_by("project_id", field)
    for project_id, value in rows.values_list("project_id", field):
        joined[project_id].append(str(value))
    return {project_id: ", ".join(values) for project_id, values in joined.items()}


def _report_rows(year: int, quarter: int, *, approved: bool):
    """The reports of the year up to the quarter, approved or not, as plain tuples (not model
    instances: this sheet is the workbook's largest)."""
    reports = ProgressReport.objects.filter(year=year, quarter__lte=quarter)
    if approved:
        reports = reports.filter(state=FilingState.APPROVED)
    else:
        reports = reports.exclude(state=FilingState.APPROVED)
    spent = [f"spent_{s}" for s in FundingSource.values]
    return (
        reports.order_by("project__code", "quarter")
        .values_list(
            "project__code", "project__name", "project__lead_department__name", "quarter",
            "state", "status", "progress", *REPORT_TEXT_FIELDS, *spent, "submitted_at",
            "submitted_late",
        )
        .iterator(chunk_size=2000)
    )  # fmt: skip


def _reports_sheet(workbook, heading, year: int, quarter: int) -> None:
    sheet = SheetWriter(workbook, "분기실적", heading=heading)
    status_label = labels(ProjectStatus)
    zone = timezone.get_current_timezone()
    for row in _report_rows(year, quarter, approved=True):
        code, name, department, q, _state, status, progress = row[:7]
        texts, money = row[7:11], row[11:16]
        submitted_at, late = row[16:]
        sheet.add(
            [
                code, name, department, q, status_label[status], fraction(progress), *texts,
                sum(money), local_time(submitted_at, zone)[:10], late,
            ]
        )  # fmt: skip
    sheet.close()


def _under_review_sheet(workbook, heading, year: int, quarter: int) -> None:
    """The coordinator's sheet of reports not yet approved: never in the committee's copy."""
    title = _("%(title)s — 검토 중 자료 (승인 전, 위원회 배포 금지)") % {"title": heading.title}
    sheet = SheetWriter(workbook, "검토 중 자료", heading=Heading(title, heading.subtitle))
    state_label, status_label = labels(FilingState), labels(ProjectStatus)
    zone = timezone.get_current_timezone()
    for row in _report_rows(year, quarter, approved=False):
        code, name, department, q, state, status, progress = row[:7]
        texts, money = row[7:11], row[11:16]
        submitted_at = row[16]
        sheet.add(
            [
                code, name, department, q, state_label[state], status_label[status],
                fraction(progress), *texts, sum(money), local_time(submitted_at, zone)[:10],
            ]
        )  # fmt: skip
    sheet.close()


def _indicators_sheet(workbook, heading, year: int, quarter: int) -> None:
    sheet = SheetWriter(workbook, "성과지표", heading=heading)
    kind_label = labels(IndicatorKind)
    for i in selectors.indicator_rows(year=year, quarter=quarter):
        sheet.add(
            [
                i.project.code, i.project.name, i.name, kind_label[i.kind], i.unit,
                i.higher_is_better, i.baseline, i.target, i.actual, fraction(i.rate),
            ]
        )  # fmt: skip
    sheet.close()


def _budget_sheet(workbook, heading, plan, year: int, quarter: int) -> None:
    """Per project, the sources that have money (budget or spending, or a 당초 budget), then
    the total; 당초 is the budget before the plan's first approved change. The spending of a
    project without an approved plan of the year is listed, marked, and left out of the
    total, as the dashboard leaves it out of 집행률."""
    sheet = SheetWriter(workbook, "예산", heading=heading)
    sources = labels(FundingSource)
    running = selectors.running_with_figures(plan=plan, year=year, quarter=quarter)
    originals = selectors.original_by_project(year=year)
    total_budget = total_spent = total_original = 0
    left_out = False  # spending of a project without an approved plan of the year
    for p in running.order_by("code").iterator(chunk_size=2000):
        original = originals.get(p.pk)
        for source, label in sources.items():
            budget, spent = _money(p, source)
            before = original.budget(source) if original else budget
            if budget or spent or before:
                rate = fraction(selectors.rate(spent, budget))
                if not p.plan_approved:  # shown, not counted: no budget to set it against
                    label = _("%(source)s (계획 미승인)") % {"source": sources[source]}
                    left_out = True
                else:
                    total_spent += spent
                sheet.add([p.code, p.name, label, budget, spent, rate, before])
                total_budget, total_original = total_budget + budget, total_original + before
    total_rate = fraction(selectors.rate(total_spent, total_budget))
    total = _("합계 (계획 미승인 제외)") if left_out else _("합계")
    sheet.add(
        ["", _("합계"), total, total_budget, total_spent, total_rate, total_original],
        style=TOTAL,
    )
    sheet.close()


def _not_filed_sheet(workbook, heading, not_filed: list[tuple]) -> None:
    """The projects not filed, as selectors.not_filed gives them."""
    sheet = SheetWriter(workbook, "미제출", heading=heading)
    state_label, unwritten = labels(FilingState), _("미작성")
    for p, deadline, late in not_filed:
        state = state_label[p.period_state] if p.period_state else unwritten
        sheet.add(
            [
                p.code,
                p.name,
                p.lead_department.name,
                state,
                deadline.isoformat() if deadline else "",
                late,
            ]
        )
    sheet.close()
