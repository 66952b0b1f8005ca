"""The committee's meeting workbook: six sheets for one quarter (SPEC section 6).

Every figure comes from selectors, so the workbook says what the dashboard says; this module
only lays the figures out in sheets (see format.py for how a sheet and a cell are written).
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference

from .. import selectors
from ..choices import FilingState, FundingSource, IndicatorKind, ProjectStatus
from ..models import ProgressReport, Project
from .format import (
    REPORT_TEXT_FIELDS,
    SheetWriter,
    fraction,
    labels,
    local_time,
    new_workbook,
    to_bytes,
)


def workbook_filename(year: int, quarter: int) -> str:
    return f"gwangyang-plan-{year}-Q{quarter}.xlsx"


def meeting_workbook(*, year: int, quarter: int) -> bytes:
    """The six sheets of the committee's workbook for one quarter, as xlsx bytes."""
    plan = selectors.active_plan()
    workbook = new_workbook()
    _summary_sheet(workbook, plan, year, quarter)
    _projects_sheet(workbook, plan, year, quarter)
    _reports_sheet(workbook, year, quarter)
    _indicators_sheet(workbook, year, quarter)
    _budget_sheet(workbook, plan, year, quarter)
    _not_filed_sheet(workbook, plan, year, quarter)
    return to_bytes(workbook)


def _summary_sheet(workbook, plan, year: int, quarter: int) -> None:
    rollup = selectors.progress_rollup(plan=plan, year=year, quarter=quarter)
    per_task = selectors.task_totals(plan=plan, year=year, quarter=quarter)
    statuses = [*ProjectStatus, None]
    sheet = SheetWriter(workbook, "요약")

    def line(kind, code, name, tasks, progress):
        totals = [per_task[t.obj.pk] for t in tasks if t.obj.pk in per_task]
        budget = sum(t["budget"] for t in totals)
        spent = sum(t["spent"] for t in totals)
        counts = [sum(t["statuses"][s.value if s else None] for t in totals) for s in statuses]
        projects = sum(t["projects"] for t in totals)
        rate = fraction(selectors.rate(spent, budget))
        sheet.add([kind, code, name, projects, fraction(progress), *counts, budget, spent, rate])

    # Directions first, then tasks, then the total: the chart reads the direction rows.
    for direction in rollup.children:
        line(_("전략방향"), direction.obj.code, direction.obj.name, direction.children,
             direction.progress)  # fmt: skip
    for direction in rollup.children:
        for task in direction.children:
            line(_("전략과제"), task.obj.code, task.obj.name, [task], task.progress)
    every_task = [task for direction in rollup.children for task in direction.children]
    line(_("합계"), "", _("계획 전체"), every_task, rollup.progress)
    sheet.close()

    directions = len(rollup.children)
    if directions:
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("전략방향별 진척률")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.legend = None
        chart.add_data(
            Reference(sheet.ws, min_col=5, min_row=1, max_row=directions + 1),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet.ws, min_col=3, min_row=2, max_row=directions + 1))
        chart.height, chart.width = 8, 18
        sheet.ws.add_chart(chart, f"C{sheet.count + 4}")


def _money(project, source: str) -> tuple[int, int]:
    """(budget, spent) of a project annotated by with_period_figures, for one source."""
    return getattr(project, f"budget_{source}_year"), getattr(project, f"spent_{source}_asof")


def _projects_sheet(workbook, plan, year: int, quarter: int) -> None:
    projects = (
        selectors.with_period_figures(
            Project.objects.filter(task__direction__plan=plan), year=year, quarter=quarter
        )
        .select_related("task__direction", "lead_department")
        .order_by("code")
    )
    in_plan = {"project__task__direction__plan": plan}
    supporting = _joined(Project.support_departments.through, "department__name", **in_plan)
    phases = _joined(Project.phases.through, "phase__order", **in_plan)
    sheet = SheetWriter(workbook, "사업현황")
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


def _reports_sheet(workbook, year: int, quarter: int) -> None:
    spent = [f"spent_{s}" for s in FundingSource.values]
    # Plain tuples, not model instances: this sheet is the workbook's largest.
    reports = (
        ProgressReport.objects.filter(year=year, quarter__lte=quarter)
        .order_by("project__code", "quarter")
        .values_list(
            "project__code", "project__name", "project__lead_department__name", "year",
            "quarter", "state", "status", "progress", *REPORT_TEXT_FIELDS, *spent,
            "submitted_at", "submitted_late", "reviewed_at",
        )
    )  # fmt: skip
    sheet = SheetWriter(workbook, "분기실적")
    state_label, status_label = labels(FilingState), labels(ProjectStatus)
    zone = timezone.get_current_timezone()
    for row in reports.iterator(chunk_size=2000):
        code, name, department, y, q, state, status, progress = row[:8]
        texts, money = row[8:12], row[12:17]
        submitted_at, late, reviewed_at = row[17:]
        sheet.add(
            [
                code, name, department, y, q, state_label[state], status_label[status],
                fraction(progress), *texts, *money, sum(money), local_time(submitted_at, zone),
                late, local_time(reviewed_at, zone),
            ]
        )  # fmt: skip
    sheet.close()


def _indicators_sheet(workbook, year: int, quarter: int) -> None:
    sheet = SheetWriter(workbook, "성과지표")
    kind_label = labels(IndicatorKind)
    for i in selectors.indicator_rows(year=year, quarter=quarter):
        sheet.add(
            [
                i.project.code, i.project.name, i.name, kind_label[i.kind], i.unit,
                i.higher_is_better, i.baseline, i.target, i.actual, fraction(i.rate),
            ]
        )  # fmt: skip
    sheet.close()


def _budget_sheet(workbook, plan, year: int, quarter: int) -> None:
    sheet = SheetWriter(workbook, "예산")
    sources = labels(FundingSource)
    running = selectors.running_with_figures(plan=plan, year=year, quarter=quarter)
    for p in running.order_by("code").iterator(chunk_size=2000):
        for source, label in sources.items():
            budget, spent = _money(p, source)
            rate = fraction(selectors.rate(spent, budget))
            sheet.add([p.code, p.name, label, budget, spent, rate])
    sheet.close()


def _not_filed_sheet(workbook, plan, year: int, quarter: int) -> None:
    sheet = SheetWriter(workbook, "미제출")
    state_label, unwritten = labels(FilingState), _("미작성")
    for p, deadline, late in selectors.not_filed(plan=plan, year=year, quarter=quarter):
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
