"""The meeting workbook: six sheets whose every figure is the dashboard's, safe to open."""

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from projects import selectors, workbooks
from projects.choices import FilingState, ProjectStatus
from projects.models import ProgressReport, Project
from projects.workbooks import format as xlsx_format
from projects.workbooks import printing
from projects.workbooks.format import CUT_MARK, SHEET_NAMES, official_date

URL = "/export/workbook.xlsx?year=2026&quarter=3"


@pytest.fixture
def demo(plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


HEADER_ROW = 3  # below the title and the 기준일


def rows(ws):
    header = [c.value for c in ws[HEADER_ROW]]
    return [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in ws.iter_rows(min_row=HEADER_ROW + 1)
    ]


@pytest.fixture
def workbook(demo):
    return load(workbooks.meeting_workbook(year=2026, quarter=3))


def test_the_sheets_are_the_six_named_ones_in_order(workbook):
    assert workbook.sheetnames == SHEET_NAMES


def test_every_data_sheet_is_titled_dated_and_ready_to_filter_and_print(workbook):
    for ws in workbook.worksheets[1:]:
        assert ws["A1"].value == "광양시 4차산업혁명 촉진 기본계획 추진상황 — 2026년 3분기"
        assert ws["A2"].value.startswith(f"기준일 {official_date(timezone.localdate())}")
        assert all(cell.font.b for cell in ws[HEADER_ROW]), ws.title
        assert ws.freeze_panes == "A4"
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A{HEADER_ROW}:{last}{ws.max_row}"
        assert ws.print_title_rows == "$3:$3"
        assert_printed_as_a_handout(ws)
        assert ws.column_dimensions["B"].width >= 6


def assert_printed_as_a_handout(ws):
    """A4 landscape, the title over every page and "- N / M -" under it; fitted to the page
    width only while its text stays at 8 pt or more, else printed in column blocks that
    each repeat the code and the name."""
    assert ws.page_setup.orientation == "landscape", ws.title
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert "추진상황" in ws.oddHeader.center.text
    assert ws.oddFooter.center.text == "- &P / &N -"
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert printing.print_scale(widths(ws)) * 11 >= 8, ws.title
    else:
        assert printing.print_scale(widths(ws)) * 11 < 8, ws.title
        assert ws.page_setup.scale * 11 / 100 >= 8
        assert ws.print_title_cols == "$A:$B"


def widths(ws):
    """The printed columns' widths."""
    last = ws.max_column
    if ws.print_area:
        last = openpyxl.utils.cell.range_boundaries(ws.print_area.split("!")[-1])[2]
    letters = map(openpyxl.utils.get_column_letter, range(1, last + 1))
    return [ws.column_dimensions[letter].width for letter in letters]


def test_numbers_sit_right_under_right_aligned_headers_with_the_unit_in_the_header(workbook):
    ws = workbook["예산"]
    header = {c.value: c for c in ws[HEADER_ROW]}
    assert header["예산 (백만원)"].alignment.horizontal == "right"
    assert header["코드"].alignment.horizontal == "left"
    assert ws["D4"].alignment.horizontal == "right"
    assert "백만원" not in ws["D4"].number_format


def test_wrapped_text_gets_a_row_high_enough(workbook):
    ws = workbook["사업현황"]
    row = next(r for r in ws.iter_rows(min_row=4) if len(r[2].value or "") > 20)
    assert ws.row_dimensions[row[0].row].height >= 30


def test_the_budget_sheet_lists_only_sources_with_money_and_a_total(workbook):
    d = selectors.dashboard(year=2026, quarter=3)
    *lines, total = rows(workbook["예산"])
    assert all(r["예산 (백만원)"] or r["집행 (백만원)"] for r in lines)
    assert len(lines) < 5 * len({r["코드"] for r in lines})
    assert (total["사업명"], total["예산 (백만원)"], total["집행 (백만원)"]) == (
        "합계", d.budget[-1][2], d.budget[-1][3]
    )  # fmt: skip


def test_the_other_sheets_equal_the_database(workbook):
    d = selectors.dashboard(year=2026, quarter=3)
    # the plan's projects as of 2026 Q3: all but the demo's one suspended in 2025
    in_plan = Project.objects.filter(selectors.in_plan_as_of(2026, 3))
    assert len(rows(workbook["사업현황"])) == in_plan.count() == Project.objects.count() - 1
    reports = ProgressReport.objects.filter(year=2026, quarter__lte=3, state=FilingState.APPROVED)
    assert len(rows(workbook["분기실적"])) == reports.count()
    one = reports.select_related("project").order_by("project__code", "quarter").first()
    first = rows(workbook["분기실적"])[0]
    assert (first["코드"], first["분기"], first["집행 합계 (백만원)"]) == (
        one.project.code, one.quarter, one.spent_total
    )  # fmt: skip
    assert first["진척률"] == pytest.approx(float(one.progress) / 100)
    indicators = rows(workbook["성과지표"])
    assert len(indicators) == d.indicators["with_target"]
    rated = [r["달성률"] for r in indicators if r["달성률"] is not None]
    assert sum(rated) / len(rated) == pytest.approx(float(d.indicators["average"]) / 100)
    budget = rows(workbook["예산"])
    for key, label, planned, spent, _rate in d.budget[:-1]:
        assert sum(r["예산 (백만원)"] for r in budget if r["재원"] == label) == planned, key
        assert sum(r["집행 (백만원)"] for r in budget if r["재원"] == label) == spent, key
    missing = rows(workbook["미제출"])
    assert len(missing) == d.not_filed_total
    assert {r["코드"] for r in missing} >= {p.code for p in d.not_filed}


def test_numbers_are_numbers_with_formats(workbook):
    ws = workbook["예산"]
    money, rate = ws["D4"], ws["F4"]
    assert isinstance(money.value, int) and money.number_format == xlsx_format.MILLION_WON
    assert isinstance(rate.value, float) and rate.number_format == "0.0%"
    progress = workbook["사업현황"]["N4"]
    assert isinstance(progress.value, float) and progress.number_format == "0.0%"


@pytest.fixture
def hostile(plan, alice, digital_project, open_period):
    Project.objects.filter(code="1-1-1").update(name='=HYPERLINK("http://x","y")')
    # PostgreSQL cannot store NUL at all; \x01 is as unwritable for openpyxl.
    control = "\x01" if connection.vendor == "postgresql" else "\0"
    texts = {"achievements": "+1+2", "problems": "-3", "countermeasures": "@SUM(A1)",
             "next_steps": f"계획{control}있음"}  # fmt: skip
    ProgressReport.objects.create(
        project=digital_project, year=2026, quarter=1, progress=10,
        status=ProjectStatus.ON_TRACK, **approved_by(alice), **texts,
    )  # fmt: skip
    ProgressReport.objects.create(
        project=Project.objects.get(code="2-2-2"), year=2026, quarter=1, progress=10,
        achievements="가" * 40_000, **approved_by(alice),
    )  # fmt: skip


def approved_by(user) -> dict:
    """The fields of a report approved just now (the reviewer is the submitter, for brevity)."""
    now = timezone.now()
    return {"state": FilingState.APPROVED, "submitted_by": user, "submitted_at": now,
            "reviewed_by": user, "reviewed_at": now}  # fmt: skip


def test_user_text_is_written_inert_never_as_a_formula(hostile):
    content = workbooks.meeting_workbook(year=2026, quarter=1)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    workbook = load(content)
    project = rows(workbook["사업현황"])[0]
    assert project["사업명"] == '=HYPERLINK("http://x","y")'
    cell = workbook["사업현황"]["B4"]
    assert cell.data_type == "s" and cell.quotePrefix
    report = next(r for r in rows(workbook["분기실적"]) if r["코드"] == "2-2-1")
    assert (report["추진실적"], report["문제점"], report["대응방안"]) == ("+1+2", "-3", "@SUM(A1)")
    assert report["향후계획"] == "계획있음"  # the control character is dropped, not a crash


def test_text_comes_back_exactly_as_typed(plan, alice, digital_project):
    texts = {
        "achievements": "  <b>A & B</b> 'x' \"y\"\r\n둘째 줄  ",
        "problems": "\t탭으로 시작",
        "countermeasures": "\r줄바꿈으로 시작",
        "next_steps": "]]> &amp; 그대로",
    }
    ProgressReport.objects.create(
        project=digital_project, year=2026, quarter=1, progress=Decimal("12.5"),
        status=ProjectStatus.ON_TRACK, spent_city=123_456_789, **approved_by(alice), **texts,
    )  # fmt: skip
    workbook = load(workbooks.meeting_workbook(year=2026, quarter=1))
    sheet = workbook["분기실적"]
    report = rows(sheet)[0]
    assert (report["추진실적"], report["문제점"], report["대응방안"], report["향후계획"]) == (
        texts["achievements"], texts["problems"], texts["countermeasures"], texts["next_steps"]
    )  # fmt: skip
    assert [sheet.cell(4, column).quotePrefix for column in (7, 8, 9, 10)] == [
        False, True, True, False,
    ]  # fmt: skip
    assert report["진척률"] == 0.125 and report["집행 합계 (백만원)"] == 123_456_789


def test_control_characters_are_removed_from_cells():
    assert xlsx_format.clean_text("가\0나\x01다\x1f라\t마\n") == "가나다라\t마\n"


def test_text_longer_than_a_cell_is_cut_visibly(hostile):
    workbook = load(workbooks.meeting_workbook(year=2026, quarter=1))
    report = next(r for r in rows(workbook["분기실적"]) if r["코드"] == "2-2-2")
    assert len(report["추진실적"]) == 32_767
    assert report["추진실적"].endswith(CUT_MARK)


def test_a_reader_downloads_it_with_its_file_name(client, committee, demo):
    client.force_login(committee)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="gwangyang-plan-2026-Q3.xlsx"' in response["Content-Disposition"]
    assert load(response.content).sheetnames == SHEET_NAMES


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_command_writes_the_same_workbook(tmp_path, demo):
    target = tmp_path / "out.xlsx"
    call_command("export_workbook", year=2026, quarter=3, output=target, verbosity=0)
    assert load(target.read_bytes()).sheetnames == SHEET_NAMES
    with pytest.raises(CommandError, match="저장할 수 없습니다"):
        call_command("export_workbook", year=2026, quarter=3, output=tmp_path / "no/such/dir.xlsx")


def test_an_empty_quarter_exports_zeros(plan):
    workbook = load(workbooks.meeting_workbook(year=2027, quarter=4))
    summary = summary_figures(workbook["요약"])
    total = summary["계획 전체"]
    assert total["진척률"] == 0 and total["예산\n(백만원)"] == 0 and total["집행률"] is None
    assert Decimal(len(rows(workbook["분기실적"]))) == 0


def test_the_project_list_exports_its_filtered_rows(client, committee, plan):
    client.force_login(committee)
    response = client.get("/projects/?direction=1&export=xlsx")
    assert response.status_code == 200
    sheet = rows(load(response.content).active)
    assert sorted(r["코드"] for r in sheet) == sorted(
        Project.objects.filter(task__direction__code="1").values_list("code", flat=True)
    )


def test_the_review_queue_exports_for_reviewers_only(client, committee, alice, demo):
    client.force_login(alice)
    assert client.get("/review/?export=xlsx").status_code == 403
    client.force_login(committee)
    sheet = rows(load(client.get("/review/?export=xlsx").content).active)
    queue = selectors.review_queue()
    waiting_changes = selectors.change_queue()  # listed after them, as on the page
    assert len(waiting_changes) == 1  # the demo's 1-2-1 사업 변경
    assert len(sheet) == len(queue["plans"]) + len(queue["reports"]) + len(waiting_changes)


def test_a_project_of_an_earlier_plan_counts_neither_on_the_dashboard_nor_in_the_workbook(demo):
    from strategies.models import Direction, Plan, Task

    before = selectors.dashboard(year=2026, quarter=3)
    earlier = Plan.objects.create(
        name="이전 기본계획", vision="-", goal="-", start_year=2021, end_year=2026, is_active=False
    )
    direction = Direction.objects.create(plan=earlier, order=1, code="1", name="이전 방향")
    task = Task.objects.create(direction=direction, order=1, code="1", number=1, name="이전 과제")
    Project.objects.create(
        task=task, code="0-0-1", name="이전 계획의 사업", start_year=2021, end_year=2026,
        lead_department=Project.objects.first().lead_department, cost_city=2_000_000,
    )  # fmt: skip
    after = selectors.dashboard(year=2026, quarter=3)
    assert (after.running, after.budget, after.status_counts) == (
        before.running, before.budget, before.status_counts,
    )  # fmt: skip
    workbook = load(workbooks.meeting_workbook(year=2026, quarter=3))
    assert summary_figures(workbook["요약"])["추진 중 사업 수"] == after.running
    for sheet in ("예산", "미제출"):
        assert "0-0-1" not in [row["코드"] for row in rows(workbook[sheet])], sheet


def test_the_workbook_takes_its_figures_without_building_the_whole_dashboard(demo, monkeypatch):
    def whole_dashboard(**kwargs):
        raise AssertionError("the workbook built the whole dashboard")

    monkeypatch.setattr(selectors, "dashboard", whole_dashboard)
    monkeypatch.setattr(selectors, "status_grid", whole_dashboard)
    assert load(workbooks.meeting_workbook(year=2026, quarter=3)).sheetnames == SHEET_NAMES


def test_every_sheet_is_written_by_stock_openpyxl_in_named_styles(workbook):
    assert {"머리글", "줄바꿈", "백만원", "비율"} <= set(workbook.named_styles)
    header = workbook["분기실적"]["A3"]
    assert header.style == "머리글" and header.fill.fgColor.rgb.endswith("DDE6F0")


# --- 요약: the quarter at a glance ----------------------------------------------------------


def summary_figures(ws) -> dict:
    """The 요약 sheet read as a reader does: the headline figures by label, and the rows of
    the direction/task table, the budget and the 미제출 list by their first cells."""
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row}
    figures: dict = {"rows": {}, "sections": []}
    for (row, column), value in cells.items():
        if ws.cell(row, column).style == "소제목" and value:
            figures["sections"].append(value)
    headline = next(r for r in range(1, 10) if cells.get((r, 1)) == "추진 중 사업 수")
    for column in range(1, 16):
        label = cells.get((headline, column))
        if label:
            figures[label] = cells.get((headline + 1, column))
    table = next(r for r in cells if r[1] == 2 and cells[r] == "전략방향 / 과제")[0]
    header = [cells.get((table, c)) for c in range(1, 16)]
    row = table + 1
    while cells.get((row, 2)):
        figures["rows"][cells[(row, 1)] or cells[(row, 2)]] = dict(
            zip(header, (cells.get((row, c)) for c in range(1, 16)), strict=True)
        )
        row += 1
    figures["계획 전체"] = figures["rows"].pop("계획 전체")
    money = next(r for r in cells if r[1] == 2 and cells[r] == "재원")[0]
    figures["budget"] = {}
    row = money + 1
    while cells.get((row, 2)):
        figures["budget"][cells[(row, 2)]] = (cells[(row, 3)], cells[(row, 4)])
        row += 1
    figures["late"] = {}
    row = money + 1
    while cells.get((row, 7)) or cells.get((row, 9)) == "모든 사업이 제출했습니다.":
        if cells.get((row, 7)):
            figures["late"][cells[(row, 7)]] = cells[(row, 15)]
        row += 1
    figures["text"] = [v for v in cells.values() if isinstance(v, str)]
    return figures


def test_the_summary_starts_with_the_title_the_date_and_who_prepared_it(client, coordinator, demo):
    coordinator.last_name, coordinator.first_name = "정", "총괄"
    coordinator.save()
    client.force_login(coordinator)
    ws = load(client.get(URL).content)["요약"]
    assert ws["A1"].value == "광양시 4차산업혁명 촉진 기본계획 추진상황 — 2026년 3분기"
    # 출력: who downloaded it (they print it; the system compiles it), on the date as
    # official documents write it ("2026. 12. 3.")
    assert ws["A2"].value == f"기준일 {official_date(timezone.localdate())} · 출력 정총괄"
    assert re.fullmatch(r"\d{4}\. \d{1,2}\. \d{1,2}\.", official_date(timezone.localdate()))


def test_every_number_in_the_summary_is_the_dashboards(workbook):
    d = selectors.dashboard(year=2026, quarter=3)
    summary = summary_figures(workbook["요약"])
    assert summary["추진 중 사업 수"] == d.running
    assert summary["전체 진척률"] == pytest.approx(float(d.rollup.progress / 100))
    assert summary["보고 제출률"] == pytest.approx(float(d.submission_rate / 100))
    assert summary["예산 집행률"] == pytest.approx(float(d.budget[-1][4] / 100))
    assert summary["성과지표 달성률"] == pytest.approx(float(d.indicators["average"] / 100))
    total = summary["계획 전체"]
    assert total["추진 중 사업"] == d.running
    assert total["진척률"] == pytest.approx(float(d.rollup.progress / 100))
    for _key, label, n in d.status_counts:
        column = "실적 없음" if label == "승인된 실적 없음" else label
        assert total[column] == n, label
        by_direction = [summary["rows"][dr.obj.code][column] for dr in d.rollup.children]
        assert sum(by_direction) == n, label
    assert (total["예산\n(백만원)"], total["집행\n(백만원)"]) == d.budget[-1][2:4]
    for direction in d.rollup.children:
        row = summary["rows"][direction.obj.code]
        assert row["진척률"] == pytest.approx(float(direction.progress / 100))
        running = selectors.running_projects(plan=direction.obj.plan, year=2026)
        assert row["추진 중 사업"] == running.filter(task__direction=direction.obj).count()
        for task in direction.children:
            assert summary["rows"][task.obj.code]["진척률"] == pytest.approx(
                float(task.progress / 100)
            )
    with_money = {label: (b, s) for key, label, b, s, _r in d.budget if b or s}
    assert summary["budget"] == with_money
    assert summary["late"] == {p.code: late for p, _deadline, late in selectors.not_filed(
        plan=selectors.active_plan(), year=2026, quarter=3)}  # fmt: skip
    assert len(summary["late"]) == d.not_filed_total


def test_the_summary_puts_the_exceptions_first_with_their_problems_and_answers(workbook):
    summary = summary_figures(workbook["요약"])
    d = selectors.dashboard(year=2026, quarter=3)
    late = sum(n for key, _label, n in d.status_counts if key in ("delayed", "at_risk"))
    assert late > 0
    assert summary["sections"][0] == f"지연·부진 사업 ({late}건): 문제점과 대응방안"
    approved = ProgressReport.objects.filter(
        year=2026, quarter=3, state=FilingState.APPROVED,
        status__in=[ProjectStatus.DELAYED, ProjectStatus.AT_RISK],
    )  # fmt: skip
    for report in approved:
        assert report.problems in summary["text"] and report.countermeasures in summary["text"]


def test_the_summary_charts_show_status_progress_and_money_in_plan_order(workbook):
    ws = workbook["요약"]
    charts = ws._charts
    assert len(charts) == 3 and all(chart.tagname == "barChart" for chart in charts)
    statuses, progress, money = charts
    assert statuses.grouping == "stacked"
    directions = selectors.active_plan().directions.order_by("order")
    for chart in (statuses, progress):
        assert chart.x_axis.scaling.orientation == "maxMin"  # the first at the top
        shown = referenced(ws, chart.series[0].cat.numRef or chart.series[0].cat.strRef)
        assert [label.split(".")[0] for label in shown] == [d.code for d in directions]
    titles = [referenced(ws, s.tx.strRef)[0] for s in statuses.series]
    assert titles == [s.label for s in ProjectStatus] + ["실적 없음"]
    assert money.x_axis.scaling.orientation == "maxMin"
    assert referenced(ws, money.series[0].cat.strRef or money.series[0].cat.numRef)[0] == "국비"


def referenced(ws, ref) -> list:
    """The values of the cells a chart reference names."""
    bounds = openpyxl.utils.cell.range_boundaries(ref.f.split("!")[-1].replace("$", ""))
    min_col, min_row, max_col, max_row = bounds
    return [ws.cell(r, c).value for r in range(min_row, max_row + 1)
            for c in range(min_col, max_col + 1)]  # fmt: skip


# --- Approved data only ----------------------------------------------------------------------

MARKER = "검토전표식XYZ"


@pytest.fixture
def drafts(demo, alice):
    """Reports of 2026 Q3 not approved, each with the marker in every text field."""
    texts = {field: MARKER for field in xlsx_format.REPORT_TEXT_FIELDS}
    reports = ProgressReport.objects.filter(year=2026, quarter=3).exclude(
        state=FilingState.APPROVED
    )
    assert {r.state for r in reports} >= {FilingState.DRAFT, FilingState.SUBMITTED}
    reports.update(status=ProjectStatus.DELAYED, **texts)
    return reports


def every_text(workbook, sheets) -> str:
    return "\n".join(
        str(cell.value) for name in sheets for row in workbook[name].iter_rows() for cell in row
    )


def test_a_committee_member_gets_approved_data_only(client, committee, drafts):
    client.force_login(committee)
    workbook = load(client.get(URL).content)
    assert workbook.sheetnames == SHEET_NAMES
    assert MARKER not in every_text(workbook, SHEET_NAMES)
    shown = rows(workbook["분기실적"])
    assert (
        len(shown)
        == ProgressReport.objects.filter(
            year=2026, quarter__lte=3, state=FilingState.APPROVED
        ).count()
    )


def test_the_coordinator_also_gets_what_is_under_review_in_a_sheet_of_its_own(
    client, coordinator, drafts
):
    client.force_login(coordinator)
    workbook = load(client.get(URL).content)
    assert workbook.sheetnames == [*SHEET_NAMES, "검토 중 자료"]
    assert MARKER not in every_text(workbook, SHEET_NAMES)
    review = workbook["검토 중 자료"]
    assert "검토 중 자료" in review["A1"].value
    pending = rows(review)
    assert (
        len(pending)
        == ProgressReport.objects.filter(year=2026, quarter__lte=3)
        .exclude(state=FilingState.APPROVED)
        .count()
    )
    assert {r["처리상태"] for r in pending} >= {"작성중", "제출"}
    assert any(r["추진실적"] == MARKER for r in pending)
