"""Excel workbooks (openpyxl, write-only): the meeting workbook and list exports.

Every figure comes from selectors, so the workbook says what the dashboard says. Text that
users typed is written as inert text: never a formula, whatever it starts with.
"""

import io
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import selectors
from ..choices import FilingState, FundingSource, IndicatorKind, ProjectStatus
from ..models import Department, ProgressReport, Project
from .xlsx import RISKY_START, StreamedSheet

SHEET_NAMES = ["요약", "사업현황", "분기실적", "성과지표", "예산", "미제출"]
MILLION_WON = '#,##0.0,,"백만원"'  # whole won, shown in 백만원: exact value, readable display
PERCENT = "0.0%"
COUNT = "#,##0"
NUMBER = "#,##0.00"
MAX_CELL_TEXT = 32_767
CUT_MARK = "…(이하 생략)"
YES, NO = "예", "아니오"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")


def workbook_filename(year: int, quarter: int) -> str:
    return f"gwangyang-plan-{year}-Q{quarter}.xlsx"


def clean_text(value: str) -> str:
    """Text a cell can hold: no control characters openpyxl refuses, at most 32,767 characters
    (longer text is cut with a visible mark)."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - len(CUT_MARK)] + CUT_MARK
    return value


@dataclass(frozen=True)
class Col:
    """One column: its header, a number format for numbers, whether text wraps, its width."""

    header: str
    number_format: str | None = None
    wrap: bool = False
    width: int | None = None  # in characters; else fitted to the first rows


def _display_width(value) -> int:
    text = str(value) if value is not None else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class SheetWriter:
    """One sheet: bold frozen header with a filter, typed and styled cells, print setup.

    Rows are written as they are added (see xlsx.StreamedSheet); the first 500 are kept to fit
    the column widths. The sheet is finished by `close()` and written when the workbook saves.
    """

    SAMPLE = 500

    def __init__(self, workbook: Workbook, title: str, columns: list[Col]):
        self.ws = StreamedSheet(workbook, title)
        self.columns = columns
        self.sample: list[list] = []
        self.text_styles, self.number_styles = [], []
        for col in columns:
            style = {"alignment": WRAP} if col.wrap else {}
            if col.number_format:
                style["number_format"] = col.number_format
            self.text_styles.append(
                (self.ws.style_id(**style), self.ws.style_id(quotePrefix=True, **style))
            )
            self.number_styles.append(self.ws.style_id(**style))
        header = self.ws.style_id(font=HEADER_FONT, fill=HEADER_FILL)
        headers = [str(col.header) for col in columns]
        self.ws.write_row(headers, [(header, header)] * len(columns), [])

    @property
    def count(self) -> int:
        """Rows written below the header."""
        return self.ws.row_count - 1

    def add(self, values: Iterable) -> None:
        row = [_cell_value(v) for v in values]
        if len(row) != len(self.columns):
            raise ValueError(f"{len(row)} values for {len(self.columns)} columns")
        if len(self.sample) < self.SAMPLE:
            self.sample.append(row)
        self.ws.write_row(row, self.text_styles, self.number_styles)

    def close(self) -> None:
        ws = self.ws
        for index, col in enumerate(self.columns, start=1):
            sample = [col.header, *(row[index - 1] for row in self.sample)]
            width = col.width or min(60, max(_display_width(v) for v in sample) + 2)
            if col.number_format == MILLION_WON:
                width = max(width, 16)
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        last = get_column_letter(len(self.columns))
        ws.auto_filter.ref = f"A1:{last}{self.count + 1}"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def _cell_value(value):
    """What a cell holds: text cleaned for Excel (never a formula: see xlsx.StreamedSheet),
    yes/no for booleans, numbers as they are."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str):
        return clean_text(value)
    return value


def labels(choices) -> dict[str, str]:
    """Value → translated label, looked up once per workbook rather than once per row."""
    return {value: str(label) for value, label in choices.choices}


def _fraction(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / 100


# --- The meeting workbook ---------------------------------------------------------------------


def meeting_workbook(*, year: int, quarter: int) -> bytes:
    """The six sheets of the committee's workbook for one quarter, as xlsx bytes."""
    plan = selectors.active_plan()
    figures = selectors.dashboard(year=year, quarter=quarter)
    running = selectors.with_period_figures(
        selectors.running_projects(plan=plan, year=year), year=year, quarter=quarter
    )
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, figures, running)
    _projects_sheet(workbook, plan, year, quarter)
    _reports_sheet(workbook, year, quarter)
    _indicators_sheet(workbook, year, quarter)
    _budget_sheet(workbook, running)
    _not_filed_sheet(workbook, figures, running)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


STATUS_COLUMNS = [*ProjectStatus, None]  # None: no approved report for the quarter


def _summary_sheet(workbook, figures, running) -> None:
    per_task = {
        row["task_id"]: row
        for row in running.order_by()
        .values("task_id")
        .annotate(
            n=Count("pk"),
            budget=Sum(sum_of("budget_{}_year")),
            spent=Sum(sum_of("spent_{}_asof")),
            **{
                f"s_{s.value if s else 'none'}": Count(
                    "pk",
                    filter=Q(period_status=s.value) if s else Q(period_status__isnull=True),
                )
                for s in STATUS_COLUMNS
            },
        )
    }
    sheet = SheetWriter(
        workbook,
        "요약",
        [
            Col(_("구분")),
            Col(_("코드")),
            Col(_("이름"), width=44),
            Col(_("추진 중 사업 수"), COUNT),
            Col(_("진척률"), PERCENT),
            *[Col(s.label if s else _("승인된 실적 없음"), COUNT) for s in STATUS_COLUMNS],
            Col(_("예산"), MILLION_WON),
            Col(_("집행"), MILLION_WON),
            Col(_("집행률"), PERCENT),
        ],
    )

    def line(kind, code, name, rows, progress):
        n = sum(r["n"] for r in rows)
        budget = sum(r["budget"] or 0 for r in rows)
        spent = sum(r["spent"] or 0 for r in rows)
        counts = [sum(r[f"s_{s.value if s else 'none'}"] for r in rows) for s in STATUS_COLUMNS]
        rate = Decimal(spent) / budget if budget else None
        sheet.add([kind, code, name, n, _fraction(progress), *counts, budget, spent, rate])

    # Directions first, then tasks, then the total: the chart reads the direction rows.
    task_rows = []
    for direction in figures.rollup.children:
        rows = [per_task[t.obj.pk] for t in direction.children if t.obj.pk in per_task]
        task_rows += rows
        line(_("전략방향"), direction.obj.code, direction.obj.name, rows, direction.progress)
    for direction in figures.rollup.children:
        for task in direction.children:
            rows = [per_task[task.obj.pk]] if task.obj.pk in per_task else []
            line(_("전략과제"), task.obj.code, task.obj.name, rows, task.progress)
    line(_("합계"), "", _("계획 전체"), task_rows, figures.rollup.progress)
    sheet.close()

    directions = len(figures.rollup.children)
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


def sum_of(pattern: str):
    """budget_national_year + budget_provincial_year + … for a pattern like "budget_{}_year"."""
    expression = None
    for source in FundingSource.values:
        term = F(pattern.format(source))
        expression = term if expression is None else expression + term
    return expression


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
    sheet = SheetWriter(
        workbook,
        "사업현황",
        [
            Col(_("코드")),
            Col(_("사업명"), width=40),
            Col(_("전략방향"), width=30),
            Col(_("전략과제"), width=30),
            Col(_("주관부서")),
            Col(_("협조부서")),
            Col(_("추진단계")),
            Col(_("시작 연도")),
            Col(_("종료 연도")),
            Col(_("신규/계속")),
            Col(_("예시 사업")),
            Col(_("총사업비"), MILLION_WON),
            Col(_("그 분기 추진상태")),
            Col(_("진척률"), PERCENT),
            Col(_("올해 예산"), MILLION_WON),
            Col(_("올해 집행"), MILLION_WON),
            Col(_("집행률"), PERCENT),
        ],
    )
    status_label = labels(ProjectStatus)
    new, continuing = _("신규"), _("계속")
    for p in projects:
        budget = sum(getattr(p, f"budget_{s}_year") for s in FundingSource.values)
        spent = sum(getattr(p, f"spent_{s}_asof") for s in FundingSource.values)
        sheet.add(
            [
                p.code,
                p.name,
                p.task.direction.name,
                p.task.name,
                p.lead_department.name,
                supporting.get(p.pk, ""),
                phases.get(p.pk, ""),
                p.start_year,
                p.end_year,
                continuing if p.is_continuing else new,
                p.is_sample,
                p.cost_total,
                status_label.get(p.period_status, ""),
                _fraction(p.progress_asof),
                budget,
                spent,
                Decimal(spent) / budget if budget else None,
            ]
        )
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
    sheet = SheetWriter(
        workbook,
        "분기실적",
        [
            Col(_("코드")),
            Col(_("사업명"), width=36),
            Col(_("주관부서")),
            Col(_("연도")),
            Col(_("분기")),
            Col(_("처리상태")),
            Col(_("추진상태")),
            Col(_("진척률"), PERCENT),
            Col(_("추진실적"), wrap=True, width=50),
            Col(_("문제점"), wrap=True, width=40),
            Col(_("대응방안"), wrap=True, width=40),
            Col(_("향후계획"), wrap=True, width=40),
            *[Col(_("집행 %(source)s") % {"source": s.label}, MILLION_WON) for s in FundingSource],
            Col(_("집행 합계"), MILLION_WON),
            Col(_("제출 일시"), width=17),
            Col(_("지연제출")),
            Col(_("검토 일시"), width=17),
        ],
    )
    state_label, status_label = labels(FilingState), labels(ProjectStatus)
    zone = timezone.get_current_timezone()
    for row in reports.iterator(chunk_size=2000):
        code, name, department, y, q, state, status, progress = row[:8]
        texts, money = row[8:12], row[12:17]
        submitted_at, late, reviewed_at = row[17:]
        sheet.add(
            [
                code, name, department, y, q, state_label[state], status_label[status],
                _fraction(progress), *texts, *money, sum(money), _local(submitted_at, zone),
                late, _local(reviewed_at, zone),
            ]
        )  # fmt: skip
    sheet.close()


def _local(moment, zone=None) -> str:
    """A moment as local time to the minute ('' for none); pass `zone` in loops."""
    if not moment:
        return ""
    return moment.astimezone(zone or timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")


def _indicators_sheet(workbook, year: int, quarter: int) -> None:
    summary_rows = selectors.indicator_rows(year=year, quarter=quarter)
    sheet = SheetWriter(
        workbook,
        "성과지표",
        [
            Col(_("코드")),
            Col(_("사업명"), width=36),
            Col(_("지표명"), width=30),
            Col(_("유형")),
            Col(_("단위")),
            Col(_("높을수록 좋음")),
            Col(_("기준값"), NUMBER),
            Col(_("목표"), NUMBER),
            Col(_("실적"), NUMBER),
            Col(_("달성률"), PERCENT),
        ],
    )
    kind_label = labels(IndicatorKind)
    for i in summary_rows:
        sheet.add(
            [
                i.project.code,
                i.project.name,
                i.name,
                kind_label[i.kind],
                i.unit,
                i.higher_is_better,
                i.baseline,
                i.target,
                i.actual,
                _fraction(i.rate),
            ]
        )
    sheet.close()


def _budget_sheet(workbook, running) -> None:
    sheet = SheetWriter(
        workbook,
        "예산",
        [
            Col(_("코드")),
            Col(_("사업명"), width=40),
            Col(_("재원")),
            Col(_("예산"), MILLION_WON),
            Col(_("집행"), MILLION_WON),
            Col(_("집행률"), PERCENT),
        ],
    )
    sources = labels(FundingSource)
    for p in running.order_by("code"):
        for source, label in sources.items():
            budget = getattr(p, f"budget_{source}_year")
            spent = getattr(p, f"spent_{source}_asof")
            rate = Decimal(spent) / budget if budget else None
            sheet.add([p.code, p.name, label, budget, spent, rate])
    sheet.close()


def _not_filed_sheet(workbook, figures, running) -> None:
    sheet = SheetWriter(
        workbook,
        "미제출",
        [
            Col(_("코드")),
            Col(_("사업명"), width=40),
            Col(_("주관부서")),
            Col(_("작성 상태")),
            Col(_("제출 기한"), width=12),
            Col(_("경과 일수"), COUNT),
        ],
    )
    deadlines = {d["id"]: (d["deadline"], d["days_late"]) for d in figures.departments}
    missing = running.filter(
        Q(period_state__isnull=True) | ~Q(period_state__in=selectors.FILED_STATES)
    ).select_related("lead_department")
    for p in missing.order_by("code"):
        deadline, late = deadlines.get(p.lead_department_id, (None, 0))
        state = FilingState(p.period_state).label if p.period_state else _("미작성")
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


# --- List exports ------------------------------------------------------------------------------


def _single_sheet(title: str, columns: list[Col], rows: Iterable[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = SheetWriter(workbook, title, columns)
    for row in rows:
        sheet.add(row)
    sheet.close()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def project_list_workbook(projects) -> bytes:
    """/projects/ as filtered: one row per project (queryset from selectors.project_list)."""
    columns = [
        Col(_("코드")),
        Col(_("사업명"), width=40),
        Col(_("전략방향"), width=30),
        Col(_("전략과제"), width=30),
        Col(_("주관부서")),
        Col(_("시작 연도")),
        Col(_("종료 연도")),
        Col(_("최근 추진상태")),
        Col(_("진척률"), PERCENT),
        Col(_("총사업비"), MILLION_WON),
    ]
    rows = (
        [
            p.code,
            p.name,
            p.task.direction.name,
            p.task.name,
            p.lead_department.name,
            p.start_year,
            p.end_year,
            ProjectStatus(p.latest_status).label if p.latest_status else "",
            _fraction(p.latest_progress),
            p.cost_total,
        ]
        for p in projects
    )
    return _single_sheet(_("사업"), columns, rows)


def review_queue_workbook(queue: dict) -> bytes:
    """/review/: the submissions waiting for review."""
    columns = [
        Col(_("구분")),
        Col(_("코드")),
        Col(_("사업명"), width=40),
        Col(_("연도")),
        Col(_("분기")),
        Col(_("주관부서")),
        Col(_("제출자")),
        Col(_("제출 일시"), width=17),
        Col(_("지연제출")),
    ]
    rows = [
        [
            _("분기 실적") if kind == "report" else _("시행계획"),
            f.project.code,
            f.project.name,
            f.year,
            getattr(f, "quarter", None),
            f.project.lead_department.name,
            str(f.submitted_by or ""),
            _local(f.submitted_at),
            f.submitted_late,
        ]
        for kind in ("report", "plan")
        for f in queue[f"{kind}s"]
    ]
    return _single_sheet(_("검토 대기"), columns, rows)


# --- Templates to fill in offline and upload again (see imports.py) -----------------------------

TEMPLATE_MARKER = "gwangyang-plan-template"
TEMPLATE_VERSION = 1
META_SHEET = "양식"
REPORT_SHEET, RESULT_SHEET = "분기실적", "성과지표"
REPORT_HEADERS = [
    "코드", "사업명", "연도", "분기", "진척률(%)", "추진상태", "추진실적", "문제점", "대응방안",
    "향후계획", "집행 국비(원)", "집행 도비(원)", "집행 시비(원)", "집행 민자(원)", "집행 기타(원)",
    "버전",
]  # fmt: skip
REPORT_TEXT_FIELDS = ["achievements", "problems", "countermeasures", "next_steps"]
RESULT_HEADERS = ["코드", "지표번호", "지표명", "단위", "올해 목표", "실적"]


def report_template(*, projects, year: int, quarter: int) -> bytes:
    """The quarterly-progress template, pre-filled with each project's current figures."""
    workbook = Workbook()
    meta = workbook.active
    meta.title = META_SHEET
    for value in (TEMPLATE_MARKER, "reports", year, quarter, TEMPLATE_VERSION):
        meta.append([value])
    meta.sheet_state = "hidden"

    sheet = workbook.create_sheet(REPORT_SHEET, 0)
    results = workbook.create_sheet(RESULT_SHEET, 1)
    _template_header(sheet, REPORT_HEADERS, widths={2: 36, 7: 40, 8: 30, 9: 30, 10: 30})
    _template_header(results, RESULT_HEADERS, widths={3: 30})
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(str(s.label) for s in ProjectStatus) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="추진상태",
        error="목록에서 고르세요.",
    )
    sheet.add_data_validation(statuses)
    current = {
        r.project_id: r
        for r in ProgressReport.objects.filter(
            project__in=projects, year=year, quarter=quarter
        ).prefetch_related("results")
    }
    earlier = selectors.previous_reports(projects, year=year, quarter=quarter)
    row_number = 1
    for project in projects:
        report = current.get(project.pk)
        values, result_values = template_values(
            project, report, year=year, quarter=quarter, previous=earlier.get(project.pk)
        )
        row_number += 1
        sheet.append(
            [
                _inert(project.code), _inert(project.name), year, quarter, values["progress"],
                str(ProjectStatus(values["status"]).label),
                *[_inert(values[f]) for f in REPORT_TEXT_FIELDS],
                *[values[f"spent_{s}"] for s in FundingSource.values],
                report.version if report else 0,
            ]
        )  # fmt: skip
        statuses.add(f"F{row_number}")
        for indicator in project.indicators.all():
            target = next((t.value for t in indicator.targets.all() if t.year == year), None)
            results.append(
                [
                    _inert(project.code), indicator.pk, _inert(indicator.name),
                    _inert(indicator.unit), target, result_values.get(indicator.pk),
                ]
            )  # fmt: skip
    for ws in (sheet, results):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.quotePrefix = cell.value.startswith(RISKY_START)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_values(project, report, *, year: int, quarter: int, previous) -> tuple[dict, dict]:
    """What the template shows for a project: the report's values, or for a report not yet
    written, where a new one starts (from `previous`, the report before it)."""
    fields = [
        "progress",
        "status",
        *REPORT_TEXT_FIELDS,
        *[f"spent_{s}" for s in FundingSource.values],
    ]
    if report is not None:
        values = {f: getattr(report, f) for f in fields}
        return values, {r.indicator_id: r.value for r in report.results.all()}
    blank = ProgressReport(project=project, year=year, quarter=quarter)
    carried, results = selectors.carry_over_values(previous, year=year)
    values = {f: carried.get(f, getattr(blank, f)) for f in fields}
    return values, results


def _inert(value: str) -> str:
    return clean_text(value or "")


def _template_header(ws, headers: list[str], *, widths: dict[int, int]) -> None:
    ws.append(headers)
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = widths.get(
            index, max(10, _display_width(header) + 2)
        )
    ws.freeze_panes = "C2"


PLAN_SHEETS = {
    "부서": ["부서코드", "부서명", "사용"],
    "사업": [
        "사업코드", "전략과제번호", "사업명", "사업개요", "주관부서코드", "협조부서코드",
        "추진단계", "시작연도", "종료연도", "계속사업", "예시사업", "국비(원)", "도비(원)",
        "시비(원)", "민자(원)", "기타(원)", "가중치",
    ],
    "성과지표": [
        "사업코드", "지표명", "유형", "단위", "기준값", "기준연도", "높을수록좋음", "산식", "출처",
    ],
    "목표": ["사업코드", "지표명", "연도", "목표값"],
}  # fmt: skip


def plan_template(*, plan) -> bytes:
    """The plan-structure template (departments, projects, indicators, targets), pre-filled."""
    workbook = Workbook()
    meta = workbook.active
    meta.title = META_SHEET
    for value in (TEMPLATE_MARKER, "plan", plan.name, TEMPLATE_VERSION):
        meta.append([value])
    meta.sheet_state = "hidden"
    sheets = {}
    for index, (title, headers) in enumerate(PLAN_SHEETS.items()):
        sheets[title] = workbook.create_sheet(title, index)
        _template_header(sheets[title], headers, widths={3: 36, 4: 40})

    def yes_no(value: bool) -> str:
        return YES if value else NO

    for d in Department.objects.order_by("code"):
        sheets["부서"].append([d.code, _inert(d.name), yes_no(d.is_active)])
    projects = (
        Project.objects.filter(task__direction__plan=plan)
        .select_related("task", "lead_department")
        .prefetch_related("support_departments", "phases", "indicators__targets")
        .order_by("code")
    )
    for p in projects:
        sheets["사업"].append(
            [
                p.code, p.task.number, _inert(p.name), _inert(p.summary), p.lead_department.code,
                ",".join(d.code for d in p.support_departments.all()),
                ",".join(str(ph.order) for ph in p.phases.all()),
                p.start_year, p.end_year, yes_no(p.is_continuing), yes_no(p.is_sample),
                *[getattr(p, f"cost_{s}") for s in FundingSource.values], p.weight,
            ]
        )  # fmt: skip
        for i in p.indicators.all():
            sheets["성과지표"].append(
                [
                    p.code, _inert(i.name), str(i.get_kind_display()), _inert(i.unit), i.baseline,
                    i.baseline_year, yes_no(i.higher_is_better), _inert(i.formula),
                    _inert(i.source),
                ]
            )  # fmt: skip
            for t in i.targets.all():
                sheets["목표"].append([p.code, _inert(i.name), t.year, t.value])
    for ws in sheets.values():
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.quotePrefix = cell.value.startswith(RISKY_START)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
