"""The meeting workbook's first sheet, 요약: the quarter at a glance, on at most two A4
landscape pages. Every figure is a dashboard selector's (one source of figures); this module
only lays them out: the headline figures, the exceptions (지연/부진 with 문제점 and 대응방안),
status and money by direction and task, money by source, the 미제출 list, and three native
charts whose categories run in plan order from the top."""

from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

from .. import selectors
from ..choices import ProjectStatus
from .format import (
    COUNT,
    HEADER,
    HEADER_NUMBER,
    HEADING_ROWS,
    HEADLINE,
    MILLION_WON,
    NOTE_STYLE,
    NUMBER_STYLES,
    PERCENT,
    SECTION,
    TOTAL,
    WRAP,
    Heading,
    cell_value,
    fraction,
    labels,
    styled,
    write_heading,
)
from .printing import display_width, fit_to_width, print_setup, row_height, text_lines

SHEET = "요약"
# Columns A…O: code, name, department or count, then numbers (seven statuses, narrow); the
# exceptions' narratives span G…K and L…O. At most MAX_WIDTH characters: fitted to the page
# width, text stays at 9 pt or more.
WIDTHS = [5, 24, 9, 8, *[5] * len(ProjectStatus), 6, 10, 10, 7]
PROGRESS, PROBLEMS, COUNTERMEASURES = (5, 6), (7, 11), (12, 15)  # columns from 1, inclusive
MIN_SUMMARY_SIZE = 9  # points: the committee reads 요약 on paper
STATUS_KEYS = [*ProjectStatus.values, None]
SECTION_HEIGHT = 19  # points: a section title row, with room above it
BESIDE_COLUMN = len(WIDTHS) + 2  # where the charts' figures start (Q): not printed


class Summary:
    """Rows of the 요약 sheet, written top to bottom (a write-only sheet)."""

    def __init__(self, workbook, heading: Heading):
        self.ws = workbook.create_sheet(SHEET)
        for index, width in enumerate(WIDTHS, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        fit_to_width(self.ws, WIDTHS, smallest=MIN_SUMMARY_SIZE)
        write_heading(self.ws, heading)
        self.row = HEADING_ROWS
        self.heading = heading
        # The merged spans, set on the sheet at once when it closes: MultiCellRange.add checks
        # each range against every one before it (quadratic in the 미제출 list's rows).
        self.merged: list[CellRange] = []

    def cells(self, values, *, style=None, formats=(), spans=(), height=None, beside=()):
        """One row: values from column A, `formats` the number format of each (None for
        text), `spans` (first, last) columns merged (a value at `first`, blanks after it).
        Text wraps, and the row is as high as its longest text."""
        span_of = {first: last for first, last in spans}
        row, lines = [], 1
        for index, value in enumerate(values):
            value = cell_value(value)
            column = index + 1
            width = sum(WIDTHS[index : span_of.get(column, column)])
            lines = max(lines, text_lines(value, width))
            number_format = formats[index] if index < len(formats) else None
            own_style = style[index] if isinstance(style, list) else style
            cell_style = own_style or NUMBER_STYLES.get(number_format)
            if own_style == HEADER and number_format:
                cell_style = HEADER_NUMBER
            if cell_style is None and isinstance(value, str):
                cell_style = WRAP
            cell = styled(self.ws, value, cell_style)
            if number_format and own_style:
                cell.number_format = number_format
            row.append(cell)
        if beside:  # the charts' figures, right of the printed area
            row += [None] * (BESIDE_COLUMN - 1 - len(row)) + [cell_value(v) for v in beside]
        self.row += 1
        self.merged += [
            CellRange(min_col=first, max_col=last, min_row=self.row, max_row=self.row)
            for first, last in spans
        ]
        height = height or row_height(lines)
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(row)

    def section(self, title: str) -> None:
        self.cells([title], style=SECTION, height=SECTION_HEIGHT)

    def close(self) -> None:
        self.ws.merged_cells = MultiCellRange(self.merged)
        print_setup(self.ws, self.heading, title_rows=None)
        self.ws.print_area = f"A1:{get_column_letter(len(WIDTHS))}{self.row}"


def _blanks(first: int, last: int) -> list[str]:
    return [""] * (last - first)


def summary_sheet(workbook, heading: Heading, plan, year: int, quarter: int, not_filed) -> None:
    """Write the 요약 sheet for the quarter (see the module's docstring); `not_filed` as
    selectors.not_filed gives it."""
    sheet = Summary(workbook, heading)
    head = selectors.headline(plan=plan, year=year, quarter=quarter)
    _headline(sheet, head.rollup, head.running, head.filed, head.budget[-1], head.indicators)
    _exceptions(sheet, plan, year, quarter)
    directions = _by_direction(sheet, plan, year, quarter, head.rollup)
    sources = _money_and_late(sheet, head.budget, not_filed)
    if head.unplanned:
        sheet.cells([head.unplanned.note()], style=WRAP, spans=[(1, len(WIDTHS))])
    _charts(sheet, directions, sources)
    sheet.close()


# The headline figures side by side, each over these columns (from 1, inclusive).
HEADLINE_SPANS = [(1, 2), (3, 4), (5, 8), (9, 12), (13, 15)]


def _headline(sheet: Summary, rollup, projects: int, filed: int, total, indicators) -> None:
    figures = [
        (_("추진 중 사업 수"), projects, COUNT, ""),
        (_("전체 진척률"), fraction(rollup.progress), PERCENT, _("승인된 실적, 가중 평균")),
        (_("보고 제출률"), fraction(selectors.rate(filed, projects)), PERCENT,
         _("제출 %(filed)d건 / 대상 %(all)d건") % {"filed": filed, "all": projects}),
        (_("예산 집행률"), fraction(total[4]), PERCENT, _("집행 / 올해 예산")),
        (_("성과지표 달성률"), fraction(indicators["average"]), PERCENT,
         _("지표 %(n)d개 중 실적 %(r)d개의 평균")
         % {"n": indicators["with_target"], "r": indicators["reported"]}),
    ]  # fmt: skip

    def spread(values):
        row = []
        for value, (first, last) in zip(values, HEADLINE_SPANS, strict=True):
            row += [value, *_blanks(first, last)]
        return row

    formats = []
    for (first, last), figure in zip(HEADLINE_SPANS, figures, strict=True):
        formats += [figure[2]] * (last - first + 1)
    sheet.cells(spread(f[0] for f in figures), style=HEADER, formats=formats,
                spans=HEADLINE_SPANS)  # fmt: skip
    sheet.cells(spread(f[1] for f in figures), style=HEADLINE, formats=formats,
                spans=HEADLINE_SPANS, height=SECTION_HEIGHT)  # fmt: skip
    sheet.cells(spread(f[3] for f in figures), style=NOTE_STYLE, spans=HEADLINE_SPANS)


def _exceptions(sheet: Summary, plan, year: int, quarter: int) -> None:
    rows = selectors.exceptions(plan=plan, year=year, quarter=quarter)
    sheet.section(_("지연·부진 사업 (%(n)d건): 문제점과 대응방안") % {"n": len(rows)})
    spans = [PROGRESS, PROBLEMS, COUNTERMEASURES]
    formats = [None] * 4 + [PERCENT]
    sheet.cells(
        [_("코드"), _("사업명"), _("주관부서"), _("추진상태"), _("진척률"), *_blanks(*PROGRESS),
         _("문제점"), *_blanks(*PROBLEMS), _("대응방안"), *_blanks(*COUNTERMEASURES)],
        style=HEADER, formats=formats, spans=spans,
    )  # fmt: skip
    status_label = labels(ProjectStatus)
    for p in rows:
        sheet.cells(
            [p.code, p.name, p.lead_department.name, status_label[p.period_status],
             fraction(p.period_progress), *_blanks(*PROGRESS), p.period_problems,
             *_blanks(*PROBLEMS), p.period_countermeasures, *_blanks(*COUNTERMEASURES)],
            formats=formats, spans=spans,
        )  # fmt: skip
    if not rows:
        sheet.cells(["", _("해당 사업이 없습니다.")])


def _by_direction(sheet: Summary, plan, year: int, quarter: int, rollup) -> tuple[int, int]:
    """Status counts, progress and money per direction (shaded) and its tasks, then the
    plan. The charts' figures per direction go beside the table, right of the printed area,
    in rows of their own: returns the sheet rows of their header and last direction."""
    per_task = selectors.task_totals(plan=plan, year=year, quarter=quarter)
    status_labels = [str(s.label) for s in ProjectStatus] + [_("실적 없음")]
    number_formats = [COUNT, PERCENT, *[COUNT] * len(STATUS_KEYS), MILLION_WON, MILLION_WON,
                      PERCENT]  # fmt: skip
    formats = [None, None, *number_formats]

    def figures(tasks, progress):
        totals = [per_task[t.obj.pk] for t in tasks if t.obj.pk in per_task]
        spent = sum(t["spent"] for t in totals)
        budget = sum(t["budget"] for t in totals)
        counts = [sum(t["statuses"][key] for t in totals) for key in STATUS_KEYS]
        return [sum(t["projects"] for t in totals), fraction(progress), *counts, budget, spent,
                fraction(selectors.rate(spent, budget))]  # fmt: skip

    lines = []  # (values, style): the table's rows
    chart_rows = [[_("전략방향"), _("진척률"), *status_labels]]
    for direction in rollup.children:
        values = figures(direction.children, direction.progress)
        lines.append(([direction.obj.code, direction.obj.name, *values], TOTAL))
        label = short_label(direction.obj.code, direction.obj.name)
        chart_rows.append([label, values[1], *values[2 : 2 + len(STATUS_KEYS)]])
        for task in direction.children:
            lines.append(([task.obj.code, task.obj.name, *figures([task], task.progress)], None))
    every_task = [task for direction in rollup.children for task in direction.children]
    lines.append((["", _("계획 전체"), *figures(every_task, rollup.progress)], TOTAL))

    sheet.section(_("전략방향·과제별 추진상태와 예산 (승인된 실적 기준)"))
    sheet.cells(
        [_("코드"), _("전략방향 / 과제"), _("추진 중 사업"), _("진척률"), *status_labels,
         _("예산\n(백만원)"), _("집행\n(백만원)"), _("집행률")],
        style=HEADER, formats=formats, beside=chart_rows[0],
    )  # fmt: skip
    header_row = sheet.row
    for index, (values, style) in enumerate(lines, start=1):
        beside = chart_rows[index] if index < len(chart_rows) else ()
        sheet.cells(values, style=style, formats=formats, beside=beside)
    return header_row, header_row + len(chart_rows) - 1


# The direction charts' category labels, at most this many characters: the full names took
# half of a chart's width and, wrapped, ran into each other.
CATEGORY_WIDTH = 16


def short_label(code: str, name: str) -> str:
    """ "1. 탄소중립…": a direction's code and as many of its first words as fit."""
    label, words = f"{code}.", name.split()
    for index, word in enumerate(words):
        more = "…" if index < len(words) - 1 else ""
        if display_width(f"{label} {word}{more}") > CATEGORY_WIDTH:
            return label + "…"
        label = f"{label} {word}"
    return label


# Money by source (A…F) and, beside it, the projects not filed (G…O).
RATE_SPAN = (5, 6)
LATE_SPANS = [(7, 8), (9, 12)]  # code, name; then department, deadline, days late


def _money_and_late(sheet: Summary, budget: list, not_filed: list) -> tuple:
    """Budget and spending per source that has money, and the total; beside it the 미제출
    list with days late. Returns the sheet rows of the first and last source (the chart's)."""
    money_formats = [None, None, MILLION_WON, MILLION_WON, PERCENT, None]
    money = [(["", _("재원"), _("예산\n(백만원)"), _("집행\n(백만원)"), _("집행률"), ""], HEADER)]
    for key, label, planned, spent, spent_rate in budget:
        if planned or spent or key == "total":
            values = ["", label, planned, spent, fraction(spent_rate), ""]
            money.append((values, TOTAL if key == "total" else None))
    sources = len(money) - 2

    late_formats = [None] * 8 + [COUNT]
    late = [([_("코드"), "", _("사업명"), "", "", "", _("주관부서"), _("제출 기한"),
              _("경과 일수")], HEADER)]  # fmt: skip
    for p, deadline, days in not_filed:
        late.append(([p.code, "", p.name, "", "", "", p.lead_department.name,
                      deadline.isoformat() if deadline else "", days], None))  # fmt: skip
    if not not_filed:
        late.append((["", "", _("모든 사업이 제출했습니다."), "", "", "", "", "", ""], None))

    titles = [
        _("재원별 예산과 집행"),
        *[""] * 5,
        _("미제출 사업 (%(n)d건)") % {"n": len(not_filed)},
    ]
    sheet.cells(titles, style=SECTION, height=SECTION_HEIGHT)
    first = sheet.row + 2
    blank_money, blank_late = ([""] * 6, None), ([""] * 9, None)
    for index in range(max(len(money), len(late))):
        left = money[index] if index < len(money) else blank_money
        right = late[index] if index < len(late) else blank_late
        styles = [left[1]] * 6 + [right[1]] * 9
        spans = [RATE_SPAN] if index < len(money) else []
        spans += LATE_SPANS if index < len(late) else []
        sheet.cells([*left[0], *right[0]], style=styles, formats=money_formats + late_formats,
                    spans=spans)  # fmt: skip
    return first, first + sources - 1


def _bar_chart(*, stacked=False, percent=False) -> BarChart:
    """A horizontal bar chart whose first category is drawn at the top (Excel draws them
    bottom-up unless the category axis runs maxMin)."""
    chart = BarChart()
    chart.type = "bar"
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.crosses = "max"  # with the categories reversed, keeps the values at the bottom
    chart.legend.position = "b"
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    if percent:
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.legend = None
    return chart


# Three charts side by side, each between these columns (from 1, inclusive), CHART_ROWS high:
# anchored to cells at both corners, they keep their place whatever the columns measure.
CHART_COLUMNS = [(1, 3), (4, 10), (11, 15)]
CHART_ROWS = 10


# Each status's bar in the chart, in KRDS's colours as the dashboard's status bar (saturated:
# a chart's bars are thin): Excel's and LibreOffice's default series colours drew 정상 in dark
# red and 지연 in green.
STATUS_CHART_COLOURS = {
    ProjectStatus.NOT_STARTED.value: "B1B8BE",  # gray-30
    ProjectStatus.ON_TRACK.value: "228738",  # success-50
    ProjectStatus.DELAYED.value: "C78500",  # warning-40
    ProjectStatus.AT_RISK.value: "DE3412",  # danger-50
    ProjectStatus.COMPLETED.value: "0B50D0",  # primary-60
    ProjectStatus.ON_HOLD.value: "6D7882",  # gray-50
    ProjectStatus.DROPPED.value: "464C53",  # gray-70
    None: "E6E8EA",  # gray-10: no approved report
}


def _charts(sheet: Summary, directions: tuple[int, int], sources: tuple[int, int]) -> None:
    """Status per direction (stacked), direction progress, and budget by source; categories
    in plan order from the top."""
    ws = sheet.ws
    header_row, last = directions
    if last <= header_row:
        return
    names = Reference(ws, min_col=BESIDE_COLUMN, min_row=header_row + 1, max_row=last)
    statuses = _bar_chart(stacked=True)
    first_status = BESIDE_COLUMN + 2
    statuses.add_data(
        Reference(ws, min_col=first_status, max_col=first_status + len(STATUS_KEYS) - 1,
                  min_row=header_row, max_row=last),
        titles_from_data=True,
    )  # fmt: skip
    statuses.set_categories(names)
    for series, status in zip(statuses.series, STATUS_KEYS, strict=True):
        series.graphicalProperties.solidFill = STATUS_CHART_COLOURS[status]
        series.graphicalProperties.line.solidFill = STATUS_CHART_COLOURS[status]
    progress = _bar_chart(percent=True)
    progress.add_data(Reference(ws, min_col=BESIDE_COLUMN + 1, min_row=header_row, max_row=last),
                      titles_from_data=True)  # fmt: skip
    progress.set_categories(names)
    charts = [(_("전략방향별 추진상태 (사업 수)"), statuses), (_("전략방향별 진척률"), progress)]
    first_source, last_source = sources
    if last_source >= first_source:
        money = _bar_chart()
        money.y_axis.number_format = "#,##0,,"
        money.add_data(
            Reference(ws, min_col=3, max_col=4, min_row=first_source - 1, max_row=last_source),
            titles_from_data=True,
        )
        money.set_categories(Reference(ws, min_col=2, min_row=first_source, max_row=last_source))
        charts.append((_("재원별 예산과 집행 (백만원)"), money))
    titles = [""] * len(WIDTHS)
    for (first, _last), (title, _chart) in zip(CHART_COLUMNS, charts, strict=False):
        titles[first - 1] = title
    sheet.cells(titles, style=SECTION, height=SECTION_HEIGHT)
    top = sheet.row  # zero-based row of the charts' top edge: the row below the titles
    for (first, last), (_title, chart) in zip(CHART_COLUMNS, charts, strict=False):
        chart.anchor = TwoCellAnchor(
            _from=AnchorMarker(col=first - 1, row=top),
            to=AnchorMarker(col=last, row=top + CHART_ROWS),
        )
        ws.add_chart(chart)
    for _row in range(CHART_ROWS):
        sheet.cells([])
