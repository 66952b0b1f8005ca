"""Templates to fill in offline and upload again: quarterly progress and the plan structure.

Their layout is the upload format of format.py, which the reader checks uploads against.
"""

from openpyxl.worksheet.datavalidation import DataValidation

from .. import selectors
from ..choices import FundingSource, ProjectStatus
from ..models import Department, ProgressReport, Project
from .format import (
    COUNT,
    META_SHEET,
    NO,
    PLAN_SHEETS,
    REPORT_HEADERS,
    REPORT_MONEY_COLUMNS,
    REPORT_SHEET,
    REPORT_TEXT_COLUMNS,
    REPORT_TEXT_FIELDS,
    RESULT_HEADERS,
    RESULT_SHEET,
    TEMPLATE_MARKER,
    TEMPLATE_VERSION,
    YES,
    Col,
    SheetWriter,
    display_width,
    new_workbook,
    template_values,
    to_bytes,
)

# Template columns wider than their header, by header (of whichever sheet has it).
WIDTHS = {
    "사업명": 36, "사업개요": 40, "부서명": 20, "지표명": 30, "산식": 30, "출처": 20,
    **dict.fromkeys(REPORT_TEXT_COLUMNS.values(), 30), REPORT_TEXT_COLUMNS["achievements"]: 40,
}  # fmt: skip


def _sheet(workbook, title: str, headers: list[str]) -> SheetWriter:
    """A template sheet: the upload format's headers, frozen beside the code and name; amounts
    in whole won shown with thousands separators."""
    columns = [
        Col(
            header,
            COUNT if header.endswith("(원)") else None,
            width=WIDTHS.get(header, max(10, display_width(header) + 2)),
        )
        for header in headers
    ]
    return SheetWriter(workbook, title, columns, printed=False, freeze="C2")


def _meta(workbook, *values) -> None:
    """The hidden sheet that marks a file as our template: marker, kind, …, version."""
    ws = workbook.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    for value in (TEMPLATE_MARKER, *values, TEMPLATE_VERSION):
        ws.append([value])


def report_template(*, projects, year: int, quarter: int) -> bytes:
    """The quarterly-progress template, pre-filled with each project's current figures."""
    workbook = new_workbook()
    sheet = _sheet(workbook, REPORT_SHEET, REPORT_HEADERS)
    results = _sheet(workbook, RESULT_SHEET, RESULT_HEADERS)
    current = {
        r.project_id: r
        for r in ProgressReport.objects.filter(
            project__in=projects, year=year, quarter=quarter
        ).prefetch_related("results")
    }
    earlier = selectors.previous_reports(projects, year=year, quarter=quarter)
    status_label = {s.value: str(s.label) for s in ProjectStatus}
    for project in projects:
        report = current.get(project.pk)
        values, result_values = template_values(
            project, report, year=year, quarter=quarter, previous=earlier.get(project.pk)
        )
        sheet.add(
            [
                project.code, project.name, year, quarter, values["progress"],
                status_label[values["status"]], *[values[f] for f in REPORT_TEXT_FIELDS],
                *[values[f] for f in REPORT_MONEY_COLUMNS], report.version if report else 0,
            ]
        )  # fmt: skip
        for indicator in project.indicators.all():
            target = next((t.value for t in indicator.targets.all() if t.year == year), None)
            results.add(
                [
                    project.code, indicator.pk, indicator.name, indicator.unit, target,
                    result_values.get(indicator.pk),
                ]
            )  # fmt: skip
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(status_label.values()) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="추진상태",
        error="목록에서 고르세요.",
    )
    if sheet.count:
        statuses.add(f"F2:F{sheet.count + 1}")
        sheet.ws.data_validations.append(statuses)
    sheet.close()
    results.close()
    _meta(workbook, "reports", year, quarter)
    return to_bytes(workbook)


def _yes_no(value: bool) -> str:
    return YES if value else NO


def plan_template(*, plan) -> bytes:
    """The plan-structure template (departments, projects, indicators, targets), pre-filled."""
    workbook = new_workbook()
    sheets = {title: _sheet(workbook, title, headers) for title, headers in PLAN_SHEETS.items()}
    for d in Department.objects.order_by("code"):
        sheets["부서"].add([d.code, d.name, _yes_no(d.is_active)])
    projects = (
        Project.objects.filter(task__direction__plan=plan)
        .select_related("task", "lead_department")
        .prefetch_related("support_departments", "phases", "indicators__targets")
        .order_by("code")
    )
    for p in projects:
        sheets["사업"].add(
            [
                p.code, p.task.number, p.name, p.summary, p.lead_department.code,
                ",".join(d.code for d in p.support_departments.all()),
                ",".join(str(ph.order) for ph in p.phases.all()),
                p.start_year, p.end_year, _yes_no(p.is_continuing), _yes_no(p.is_sample),
                *[getattr(p, f"cost_{s}") for s in FundingSource.values], p.weight,
            ]
        )  # fmt: skip
        for i in p.indicators.all():
            sheets["성과지표"].add(
                [
                    p.code, i.name, str(i.get_kind_display()), i.unit, i.baseline,
                    i.baseline_year, _yes_no(i.higher_is_better), i.formula, i.source,
                ]
            )  # fmt: skip
            for t in i.targets.all():
                sheets["목표"].add([p.code, i.name, t.year, t.value])
    for sheet in sheets.values():
        sheet.close()
    _meta(workbook, "plan", plan.name)
    return to_bytes(workbook)
