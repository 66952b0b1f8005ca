"""The meeting workbook on paper: rows as high as their wrapped text, the title and 기준일
whole on every printed page, and the workbook as LibreOffice prints it (skipped without
LibreOffice and pdftotext unless REQUIRE_OFFICE=1)."""

import subprocess

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from projects import selectors, workbooks
from projects.workbooks import printing
from projects.workbooks.format import official_date
from projects.workbooks.summary import WIDTHS
from tests.projects.test_workbook import HEADER_ROW, load, referenced, widths
from tests.tools import office_tool


@pytest.fixture
def workbook(plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    return load(workbooks.meeting_workbook(year=2026, quarter=3))


# --- 요약 on two pages, its charts readable --------------------------------------------------


def test_the_summary_prints_on_two_a4_landscape_pages_at_9_pt_by_its_settings(workbook):
    ws = workbook["요약"]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.oddFooter.center.text == "- &P / &N -"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    scale = printing.print_scale(widths(ws))
    assert widths(ws) == WIDTHS and scale * 11 >= 9
    last_row = openpyxl.utils.cell.range_boundaries(ws.print_area.split("!")[-1])[3]
    height = sum(ws.row_dimensions[r].height or 15 for r in range(1, last_row + 1))
    margins = ws.page_margins
    page = (8.27 - margins.top - margins.bottom) * 72  # A4 landscape height, in points
    assert height * scale <= 2 * page


def test_the_direction_charts_label_each_direction_short_enough_to_read(workbook):
    """A category label is the direction's code and its first words ("1. 탄소중립…"): the
    full names took half the chart and ran into each other."""
    ws = workbook["요약"]
    directions = selectors.active_plan().directions.order_by("order")
    for chart in ws._charts[:2]:
        shown = referenced(ws, chart.series[0].cat.numRef or chart.series[0].cat.strRef)
        for label, direction in zip(shown, directions, strict=True):
            code, _dot, words = label.partition(". ")
            assert code == direction.code
            assert direction.name.startswith(words.removesuffix("…"))
            assert printing.display_width(label) <= 16, label


def test_the_status_chart_draws_each_status_in_its_colour(workbook):
    """정상 green, 지연 amber, 부진 red, 완료 blue: the default series colours drew 정상 in dark
    red and 지연 in green."""
    ws = workbook["요약"]
    status_chart = ws._charts[0]  # as the test above: openpyxl reads charts back only there
    colours = {}
    for series in status_chart.series:
        (label,) = referenced(ws, series.tx.strRef)
        colours[label] = tuple(
            int(series.graphicalProperties.solidFill.srgbClr[i : i + 2], 16) for i in (0, 2, 4)
        )
    red, green, blue = colours["정상"]
    assert green > red and green > blue
    red, green, blue = colours["지연"]
    assert red > green > blue
    red, green, blue = colours["부진"]
    assert red > 2 * green and red > 2 * blue
    red, green, blue = colours["완료"]
    assert blue > red and blue > green


# --- Row heights -----------------------------------------------------------------------------


def test_a_budget_row_is_as_high_as_its_longest_text_and_no_higher(workbook):
    """The 예산 sheet has room on the page for every demo project's name on one line: no row
    is higher than one line (the 2-1-1 rows printed double height)."""
    ws = workbook["예산"]
    names = {r[1].value: r[0].row for r in ws.iter_rows(min_row=HEADER_ROW + 1)}
    assert "수소도시 조성 및 수소충전 인프라 확충" in names
    assert "공공 클라우드 전환 및 디지털 행정 기반 구축" in names
    for name, row in names.items():
        assert (ws.row_dimensions[row].height or 15) <= 15, name


def test_every_value_of_a_high_row_sits_at_its_top(workbook):
    """In a row made high by a long name, the years beside it sat at the bottom, above the next
    project's row, so that on paper they read as the next project's."""
    for title in ("사업현황", "분기실적", "성과지표", "예산", "미제출"):
        ws = workbook[title]
        high = [r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.row_dimensions[r].height]
        assert high or title != "사업현황", "the demo has high rows on 사업현황"
        for row in high:
            for cell in ws[row]:
                if cell.value is not None:
                    assert cell.alignment.vertical == "top", (title, cell.coordinate, cell.value)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("수소도시 조성 및 수소충전 인프라 확충", 36, 1),  # 16 syllables and 5 spaces
        ("가" * 30, 36, 2),  # Korean characters count two
        ("a" * 30, 36, 1),
        ("가나다라마 바사아자차 카타파하거", 16, 3),  # a word that does not fit goes whole
        ("가나다라마\n바사", 16, 2),  # a line break starts a line
        ("", 10, 1),
    ],
)
def test_wrapped_lines_are_counted_as_the_cell_wraps_them(text, width, lines):
    assert printing.text_lines(text, width) == lines


# --- Printed in column blocks ----------------------------------------------------------------


def test_sheets_printed_in_column_blocks_carry_the_title_and_date_in_the_page_header(workbook):
    """Their title row would be cut at the repeated columns on the second block's pages: it
    is left out of the print area, and every page's header holds the title and the 기준일."""
    for ws in workbook.worksheets[1:]:
        assert ws.oddHeader.right.text.startswith("기준일 "), ws.title
    blocks = [ws for ws in workbook.worksheets if not ws.sheet_properties.pageSetUpPr.fitToPage]
    assert {ws.title for ws in blocks} >= {"사업현황", "분기실적"}
    for ws in blocks:
        area = ws.print_area.split("!")[-1]
        assert openpyxl.utils.cell.range_boundaries(area)[1] == HEADER_ROW, ws.title


# --- Printed through LibreOffice -------------------------------------------------------------


def printed_pages(tmp_path) -> list[str]:
    """The meeting workbook as LibreOffice prints it: each page's text (pdftotext -layout)."""
    office, pdftotext = office_tool("soffice"), office_tool("pdftotext")
    source = tmp_path / "workbook.xlsx"
    source.write_bytes(workbooks.meeting_workbook(year=2026, quarter=3))
    subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "workbook.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return text.split("\f")


def test_libreoffice_prints_the_summary_on_at_most_two_pages(workbook, tmp_path):
    pages = printed_pages(tmp_path)
    # 요약 ends where 사업현황 begins (its header names the supporting departments).
    summary_pages = next(i for i, page in enumerate(pages) if "협조부서" in page)
    assert "지연·부진 사업" in pages[0]
    assert 1 <= summary_pages <= 2


def test_libreoffice_prints_the_title_whole_and_the_date_on_every_page(workbook, tmp_path):
    title = workbook["요약"]["A1"].value
    as_of = f"기준일 {official_date(timezone.localdate())}"
    pages = [page for page in printed_pages(tmp_path) if page.strip()]
    assert len(pages) >= 6
    for number, page in enumerate(pages, start=1):
        assert title in page and as_of in page, number
        cut = [line for line in page.splitlines() if "촉진 기본계" in line and title not in line]
        assert not cut, (number, cut)
