"""The Excel format in one place: sheet names, headers, columns, number formats, named styles,
and how a sheet and a cell are written (stock openpyxl, write-only mode).

The upload format (template marker and version, sheet names, headers) is defined here once:
the templates are written from it and uploads are read against it, so the two cannot drift.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter

from .. import selectors
from ..models import ProgressReport
from .printing import (
    Heading,
    display_width,
    fit_to_width,
    print_setup,
    row_height,
    text_lines,
)

# --- The meeting workbook's sheets and number formats ----------------------------------------

SHEET_NAMES = ["요약", "사업현황", "분기실적", "성과지표", "예산", "미제출"]
MILLION_WON = "#,##0.0,,"  # whole won shown in 백만원 (the unit is in the header): exact value
PERCENT = "0.0%"
COUNT = "#,##0"
NUMBER = "#,##0.00"
MAX_CELL_TEXT = 32_767
CUT_MARK = "…(이하 생략)"
YES, NO = "예", "아니오"

# --- The upload format: what the templates hold and what an upload must hold ------------------

TEMPLATE_MARKER = "gwangyang-plan-template"
TEMPLATE_VERSION = 1
META_SHEET = "양식"
REPORT_SHEET, RESULT_SHEET = "분기실적", "성과지표"
# Korean source names fixed here, not the translated labels: a file is read the same whatever
# language its uploader's screen is in.
SOURCE_NAMES = {
    "national": "국비",
    "provincial": "도비",
    "city": "시비",
    "private": "민자",
    "other": "기타",
}
REPORT_TEXT_FIELDS = ["achievements", "problems", "countermeasures", "next_steps"]
# Report field → its column in the template (text, then money by source).
REPORT_TEXT_COLUMNS = dict(
    zip(REPORT_TEXT_FIELDS, ["추진실적", "문제점", "대응방안", "향후계획"], strict=True)
)
REPORT_MONEY_COLUMNS = {f"spent_{s}": f"집행 {name}(원)" for s, name in SOURCE_NAMES.items()}
REPORT_HEADERS = [
    "코드", "사업명", "연도", "분기", "진척률(%)", "추진상태",
    *REPORT_TEXT_COLUMNS.values(), *REPORT_MONEY_COLUMNS.values(), "버전",
]  # fmt: skip
RESULT_HEADERS = ["코드", "지표번호", "지표명", "단위", "올해 목표", "실적"]
PLAN_SHEETS = {
    "부서": ["부서코드", "부서명", "사용"],
    "사업": [
        "사업코드", "전략과제번호", "사업명", "사업개요", "주관부서코드", "협조부서코드",
        "추진단계", "시작연도", "종료연도", "계속사업", "예시사업",
        *[f"{name}(원)" for name in SOURCE_NAMES.values()], "가중치",
    ],
    "성과지표": [
        "사업코드", "지표명", "유형", "단위", "기준값", "기준연도", "높을수록좋음", "산식", "출처",
    ],
    "목표": ["사업코드", "지표명", "연도", "목표값"],
}  # fmt: skip

# --- Cells -----------------------------------------------------------------------------------

# Text a spreadsheet could take for a formula (or that hides one after a tab or CR).
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
# Named styles, beside one per number format (right-aligned, as their headers):
HEADER, HEADER_NUMBER, WRAP = "머리글", "머리글(숫자)", "줄바꿈"
TITLE, SUBTITLE, SECTION, TOTAL = "제목", "기준일", "소제목", "합계"
HEADLINE, NOTE_STYLE = "주요 지표", "설명"
NUMBER_STYLES = {MILLION_WON: "백만원", PERCENT: "비율", COUNT: "건수", NUMBER: "수치"}
RIGHT = Alignment(horizontal="right", vertical="top")


def clean_text(value: str) -> str:
    """Text a cell can hold: no control characters openpyxl refuses, at most 32,767 characters
    (longer text is cut with a visible mark)."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - len(CUT_MARK)] + CUT_MARK
    return value


def shown_width(value, number_format: str | None) -> int:
    """Characters a value takes as its cell shows it (a number in its format)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return display_width(value)
    if number_format == MILLION_WON:
        return len(f"{value / 1_000_000:,.1f}")
    if number_format == PERCENT:
        return len(f"{value * 100:.1f}%")
    if number_format == NUMBER:
        return len(f"{value:,.2f}")
    return len(f"{value:,}")


def add_styles(workbook: Workbook) -> None:
    """Register the named styles every sheet uses, once per workbook: the header, wrapped
    text, and one per number format (NUMBER_STYLES)."""
    fill = PatternFill("solid", fgColor="DDE6F0")
    for name, horizontal in ((HEADER, "left"), (HEADER_NUMBER, "right")):
        alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        workbook.add_named_style(
            NamedStyle(name, font=Font(bold=True), fill=fill, alignment=alignment)
        )
    # Wrapped text keeps a space from a number in the column to its left.
    wrapped = Alignment(wrap_text=True, vertical="top", indent=1)
    workbook.add_named_style(NamedStyle(WRAP, alignment=wrapped))
    workbook.add_named_style(NamedStyle(TITLE, font=Font(bold=True, size=16)))
    workbook.add_named_style(NamedStyle(SUBTITLE, font=Font(size=10, color="444444")))
    workbook.add_named_style(NamedStyle(SECTION, font=Font(bold=True, size=12)))
    workbook.add_named_style(
        NamedStyle(HEADLINE, font=Font(bold=True, size=14), alignment=Alignment(horizontal="right"))
    )
    workbook.add_named_style(
        NamedStyle(NOTE_STYLE, font=Font(size=9, color="444444"),
                   alignment=Alignment(horizontal="right", vertical="top", wrap_text=True))
    )  # fmt: skip
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook.add_named_style(NamedStyle(TOTAL, font=Font(bold=True), fill=total_fill,
                                        alignment=wrap))  # fmt: skip
    for number_format, name in NUMBER_STYLES.items():
        workbook.add_named_style(NamedStyle(name, number_format=number_format, alignment=RIGHT))


def styled(ws, value, style: str | None = None) -> WriteOnlyCell:
    """A cell in a named style. Text is always text: text that a spreadsheet would take for a
    formula is stored as text and quote-prefixed, so Excel keeps it text even when edited."""
    cell = WriteOnlyCell(ws, value)
    if style:
        cell.style = style
    if isinstance(value, str) and value.startswith(RISKY_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def cell_value(value):
    """What a cell holds: text cleaned for Excel, yes/no for booleans, numbers as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, Promise):  # a lazily translated label
        return clean_text(str(value))
    return value


def labels(choices) -> dict[str, str]:
    """Value → translated label, looked up once per workbook rather than once per row."""
    return {value: str(label) for value, label in choices.choices}


def fraction(percent: Decimal | None) -> Decimal | None:
    """A selectors percentage as the fraction a "0.0%" cell shows."""
    return None if percent is None else percent / 100


def official_date(day) -> str:
    """A date as Korean official documents write it ("2026. 12. 3."); ISO in English."""
    if get_language() == "en":
        return day.isoformat()
    return f"{day.year}. {day.month}. {day.day}."


def as_of_line(printed_by: str = "") -> str:
    """기준일 (today: the figures are what was approved by then) and, when given, who printed
    the file (the person who downloaded it did not write it: 출력, not 작성)."""
    line = gettext("기준일 %(date)s") % {"date": official_date(timezone.localdate())}
    if printed_by:
        line += " · " + gettext("출력 %(name)s") % {"name": printed_by}
    return line


def local_time(moment, zone=None) -> str:
    """A moment as local time to the minute ('' for none); pass `zone` in loops."""
    if not moment:
        return ""
    return moment.astimezone(zone or timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Col:
    """One column: its header, a number format for numbers, whether text wraps, its width."""

    header: str
    number_format: str | None = None
    wrap: bool = False
    width: int | None = None  # in characters; else fitted to the first rows


# --- Columns of every exported sheet, by sheet title -----------------------------------------
# Headers are translated when the sheet is written (lazily here).

_l = gettext_lazy
COLUMNS = {
    "사업현황": [
        Col(_l("코드")), Col(_l("사업명"), wrap=True, width=26),
        Col(_l("전략방향"), wrap=True, width=16), Col(_l("전략과제"), wrap=True, width=20),
        Col(_l("주관부서")), Col(_l("협조부서"), wrap=True, width=12), Col(_l("추진단계")),
        Col(_l("시작 연도")), Col(_l("종료 연도")), Col(_l("신규/계속")), Col(_l("예시 사업")),
        Col(_l("총사업비 (백만원)"), MILLION_WON), Col(_l("해당 분기 추진상태")),
        Col(_l("진척률"), PERCENT), Col(_l("올해 예산 (백만원)"), MILLION_WON),
        Col(_l("올해 집행 (백만원)"), MILLION_WON), Col(_l("집행률"), PERCENT),
    ],
    "분기실적": [
        Col(_l("코드")), Col(_l("사업명"), wrap=True, width=20), Col(_l("주관부서")),
        Col(_l("분기"), COUNT), Col(_l("추진상태")), Col(_l("진척률"), PERCENT),
        Col(_l("추진실적"), wrap=True, width=30), Col(_l("문제점"), wrap=True, width=22),
        Col(_l("대응방안"), wrap=True, width=22), Col(_l("향후계획"), wrap=True, width=22),
        Col(_l("집행 합계 (백만원)"), MILLION_WON), Col(_l("제출일"), width=11),
        Col(_l("지연제출")),
    ],
    "검토 중 자료": [
        Col(_l("코드")), Col(_l("사업명"), wrap=True, width=20), Col(_l("주관부서")),
        Col(_l("분기"), COUNT), Col(_l("처리상태")), Col(_l("추진상태")),
        Col(_l("진척률"), PERCENT),
        Col(_l("추진실적"), wrap=True, width=28), Col(_l("문제점"), wrap=True, width=22),
        Col(_l("대응방안"), wrap=True, width=22), Col(_l("향후계획"), wrap=True, width=22),
        Col(_l("집행 합계 (백만원)"), MILLION_WON), Col(_l("제출일"), width=11),
    ],
    "성과지표": [
        Col(_l("코드")), Col(_l("사업명"), wrap=True, width=30),
        Col(_l("지표명"), wrap=True, width=28), Col(_l("유형")), Col(_l("단위")),
        Col(_l("높을수록 좋음")), Col(_l("기준값"), NUMBER), Col(_l("목표"), NUMBER),
        Col(_l("실적"), NUMBER), Col(_l("달성률"), PERCENT),
    ],
    "예산": [
        Col(_l("코드")), Col(_l("사업명"), wrap=True, width=46), Col(_l("재원")),
        Col(_l("예산 (백만원)"), MILLION_WON), Col(_l("집행 (백만원)"), MILLION_WON),
        Col(_l("집행률"), PERCENT),
        # 당초: the budget before the plan's first approved change (the budget itself when none)
        Col(_l("당초 예산 (백만원)"), MILLION_WON),
    ],
    "미제출": [
        Col(_l("코드")), Col(_l("사업명"), wrap=True, width=36), Col(_l("주관부서")),
        Col(_l("작성 상태")), Col(_l("제출 기한"), width=12), Col(_l("경과 일수"), COUNT),
    ],
    # The list pages' exports.
    "사업": [
        Col(_l("코드")), Col(_l("사업명"), width=40), Col(_l("전략방향"), width=30),
        Col(_l("전략과제"), width=30), Col(_l("주관부서")), Col(_l("시작 연도")),
        Col(_l("종료 연도")), Col(_l("최근 추진상태")), Col(_l("진척률"), PERCENT),
        Col(_l("총사업비 (백만원)"), MILLION_WON),
    ],
    "검토 대기": [
        Col(_l("구분")), Col(_l("코드")), Col(_l("사업명"), width=40), Col(_l("연도")),
        Col(_l("분기")), Col(_l("주관부서")), Col(_l("제출자")), Col(_l("제출 일시"), width=17),
        Col(_l("지연제출")), Col(_l("처리 상태")), Col(_l("진척률"), PERCENT), Col(_l("추진상태")),
        Col(_l("지연 일수")), Col(_l("대기 일수")), Col(_l("확인한 경고"), wrap=True, width=50),
    ],
}  # fmt: skip


def write_heading(ws, heading: Heading) -> None:
    """The title row and the 기준일 line (a write-only sheet: before any other row)."""
    ws.append([styled(ws, heading.title, TITLE)])
    ws.append([styled(ws, heading.subtitle, SUBTITLE)])


HEADING_ROWS = 2


class SheetWriter:
    """One write-only sheet: the title and 기준일, a bold header in the named header style
    (right-aligned over numbers), typed and styled cells, column widths fitted to the first
    rows (Korean characters count two), rows as high as their wrapped text, the header
    frozen, and (for a printed sheet) a filter and A4 landscape print setup (print_setup).
    `close()` finishes it.

    A write-only sheet writes its columns, panes and page properties with its first row, so
    the first rows are held back until the widths are known; the rest are written as added.
    """

    SAMPLE = 500

    def __init__(self, workbook, title: str, columns=None, *, heading: Heading | None = None,
                 printed=True, freeze: str | None = None):  # fmt: skip
        self.ws = workbook.create_sheet(title)
        self.columns = columns or COLUMNS[title]
        self.heading = heading
        self.printed = printed
        self.header_row = HEADING_ROWS + 1 if heading else 1
        self.freeze = freeze or f"A{self.header_row + 1}"
        self.count_written = 0
        self.count = 0  # rows below the header
        self.held: list[list] | None = []  # the first rows, until the widths are set
        self.widths: list[float] = []
        # Text wraps (and sits at the top of a row made high by another cell's text).
        self.styles = [NUMBER_STYLES.get(c.number_format) or WRAP for c in self.columns]
        self.cells = [styled(self.ws, None, style) for style in self.styles]
        self.wrapped = [i for i, c in enumerate(self.columns) if not c.number_format]
        self.text_widths: list[float | None] = []  # per column: its width if text, else None

    def add(self, values: Iterable, style: str | None = None) -> None:
        """A row; `style` (a named style) for each of its cells, as for a total row."""
        row = [cell_value(v) for v in values]
        if len(row) != len(self.columns):
            raise ValueError(f"{len(row)} values for {len(self.columns)} columns")
        self.count += 1
        if self.held is None:
            self._write(row, style)
            return
        self.held.append((row, style))
        if len(self.held) == self.SAMPLE:
            self._start()

    def _write(self, row: list, style: str | None = None) -> None:
        if style:
            cells = [self._styled(i, value, style) for i, value in enumerate(row)]
            lines = max((text_lines(row[i], self.widths[i]) for i in self.wrapped), default=1)
        else:
            cells, lines = self._cells(row)
        height = row_height(lines)
        if height:
            self.ws.row_dimensions[self.header_row + self.count_written + 1].height = height
        self.count_written += 1
        self.ws.append(cells)

    def _styled(self, index: int, value, style: str):
        cell = styled(self.ws, value, style)
        if self.columns[index].number_format:
            cell.number_format = self.columns[index].number_format
            cell.alignment = RIGHT
        return cell

    def _cells(self, row: list) -> tuple[list, int]:
        """What `append` takes for a row, and the lines of its longest wrapped text. A value
        goes in the column's styled cell (at the top of a row made high by another cell's
        text), made once and given each row's value (a write-only sheet writes a row as it is
        appended, so the cell is free again for the next row). One pass: this runs for every
        row written."""
        cells, lines = [], 1
        for value, cell, width in zip(row, self.cells, self.text_widths, strict=True):
            if value is None or value == "":
                value = None
            else:
                if width is not None:  # a text column: its text wraps
                    lines = max(lines, text_lines(value, width))
                if isinstance(value, str) and value.startswith(RISKY_START):
                    value = styled(self.ws, value, cell.style)
                else:  # the column's style: a number in its format, any value at the top
                    cell.value = value
                    value = cell
            cells.append(value)
        return cells, lines

    def _start(self) -> None:
        """Set the widths and panes from the rows held, then write the header and them."""
        ws, held = self.ws, self.held
        for index, col in enumerate(self.columns, start=1):
            shown = [shown_width(row[index - 1], col.number_format) for row, _style in held]
            header = max(display_width(word) for word in str(col.header).split())
            width = col.width or min(40, max([header, *shown]) + 2)
            self.widths.append(width)
            self.text_widths.append(None if col.number_format else width)
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = self.freeze
        if self.printed:
            fit_to_width(ws, self.widths)
        if self.heading:
            write_heading(ws, self.heading)
        pairs = zip(self.columns, self.widths, strict=True)
        header_lines = max(text_lines(str(col.header), width) for col, width in pairs)
        if row_height(header_lines):
            ws.row_dimensions[self.header_row].height = row_height(header_lines)
        ws.append(
            [
                styled(ws, str(col.header), HEADER_NUMBER if col.number_format else HEADER)
                for col in self.columns
            ]
        )
        self.held = None
        for row, style in held:
            self._write(row, style)

    def close(self) -> None:
        if self.held is not None:
            self._start()
        if not self.printed:
            return
        ws = self.ws
        last = get_column_letter(len(self.columns))
        ws.auto_filter.ref = f"A{self.header_row}:{last}{self.header_row + self.count}"
        heading = self.heading or Heading(ws.title)
        row = self.header_row
        print_setup(ws, heading, title_rows=f"{row}:{row}")
        if not ws.sheet_properties.pageSetUpPr.fitToPage:
            # In column blocks, the title would be cut at the repeated columns on the next
            # block's pages: the page header carries it (and the 기준일) on every page instead.
            ws.print_area = f"A{row}:{last}{row + self.count}"


def new_workbook() -> Workbook:
    """A write-only workbook with the named styles registered."""
    workbook = Workbook(write_only=True)
    add_styles(workbook)
    return workbook


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def single_sheet(title: str, columns: list[Col], rows: Iterable[list]) -> bytes:
    """A workbook of one printed sheet."""
    workbook = new_workbook()
    sheet = SheetWriter(workbook, title, columns, heading=Heading(title, as_of_line()))
    for row in rows:
        sheet.add(row)
    sheet.close()
    return to_bytes(workbook)


def template_values(project, report, *, year: int, quarter: int, previous) -> tuple[dict, dict]:
    """What a template row holds for a project, and what an upload is compared with: the
    report's values, or for a report not yet written, where a new one starts (from
    `previous`, the report before it). Returns (report fields, indicator id → value)."""
    fields = ["progress", "status", *REPORT_TEXT_FIELDS, *REPORT_MONEY_COLUMNS]
    if report is not None:
        values = {f: getattr(report, f) for f in fields}
        return values, {r.indicator_id: r.value for r in report.results.all()}
    blank = ProgressReport(project=project, year=year, quarter=quarter)
    carried, results = selectors.carry_over_values(previous, year=year)
    values = {f: carried.get(f, getattr(blank, f)) for f in fields}
    return values, results
