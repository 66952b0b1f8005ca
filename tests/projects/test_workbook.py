"""The meeting workbook: six sheets whose every figure is the dashboard's, safe to open."""

import io
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
from projects.workbooks.format import CUT_MARK, SHEET_NAMES

URL = "/export/workbook.xlsx?year=2026&quarter=3"


@pytest.fixture
def demo(plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def rows(ws):
    header = [c.value for c in ws[1]]
    return [
        dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)
    ]


@pytest.fixture
def workbook(demo):
    return load(workbooks.meeting_workbook(year=2026, quarter=3))


def test_the_sheets_are_the_six_named_ones_in_order(workbook):
    assert workbook.sheetnames == SHEET_NAMES


def test_every_sheet_is_ready_to_filter_and_print(workbook):
    for ws in workbook:
        assert all(cell.font.b for cell in ws[1]), ws.title
        assert ws.freeze_panes == "A2"
        assert (
            ws.auto_filter.ref
            == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        )
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        assert ws.column_dimensions["B"].width >= 6


def test_the_summary_has_a_native_chart(workbook):
    charts = workbook["요약"]._charts
    assert len(charts) == 1
    assert charts[0].tagname == "barChart"


def test_the_summary_equals_the_dashboard(workbook):
    d = selectors.dashboard(year=2026, quarter=3)
    summary = rows(workbook["요약"])
    total = summary[-1]
    assert total["구분"] == "합계"
    assert total["진척률"] == pytest.approx(float(d.rollup.progress / 100))
    assert total["추진 중 사업 수"] == d.running
    counts = {label: n for _key, label, n in d.status_counts}
    for label, n in counts.items():
        assert total[label] == n, label
    budget_total = d.budget[-1]
    assert (total["예산"], total["집행"]) == (budget_total[2], budget_total[3])
    assert total["집행률"] == pytest.approx(float(budget_total[4] / 100))
    by_code = {(r["구분"], r["코드"]): r for r in summary}
    for direction in d.rollup.children:
        row = by_code["전략방향", direction.obj.code]
        assert row["진척률"] == pytest.approx(float(direction.progress / 100))
        for task in direction.children:
            assert by_code["전략과제", task.obj.code]["진척률"] == pytest.approx(
                float(task.progress / 100)
            )


def test_the_other_sheets_equal_the_database(workbook):
    d = selectors.dashboard(year=2026, quarter=3)
    assert len(rows(workbook["사업현황"])) == Project.objects.count()
    reports = ProgressReport.objects.filter(year=2026, quarter__lte=3)
    assert len(rows(workbook["분기실적"])) == reports.count()
    one = reports.select_related("project").order_by("project__code", "quarter").first()
    first = rows(workbook["분기실적"])[0]
    assert (first["코드"], first["분기"], first["집행 합계"]) == (
        one.project.code, one.quarter, one.spent_total
    )  # fmt: skip
    assert first["진척률"] == pytest.approx(float(one.progress) / 100)
    indicators = rows(workbook["성과지표"])
    assert len(indicators) == d.indicators["with_target"]
    rated = [r["달성률"] for r in indicators if r["달성률"] is not None]
    assert sum(rated) / len(rated) == pytest.approx(float(d.indicators["average"]) / 100)
    budget = rows(workbook["예산"])
    for key, label, planned, spent, _rate in d.budget[:-1]:
        assert sum(r["예산"] for r in budget if r["재원"] == label) == planned, key
        assert sum(r["집행"] for r in budget if r["재원"] == label) == spent, key
    missing = rows(workbook["미제출"])
    assert len(missing) == d.not_filed_total
    assert {r["코드"] for r in missing} >= {p.code for p in d.not_filed}


def test_numbers_are_numbers_with_formats(workbook):
    ws = workbook["예산"]
    money, rate = ws["D2"], ws["F2"]
    assert isinstance(money.value, int) and money.number_format == xlsx_format.MILLION_WON
    assert isinstance(rate.value, float) and rate.number_format == "0.0%"
    progress = workbook["사업현황"]["N2"]
    assert isinstance(progress.value, float) and progress.number_format == "0.0%"


@pytest.fixture
def hostile(plan, alice, digital_project, open_period):
    Project.objects.filter(code="1-1-1").update(name='=HYPERLINK("http://x","y")')
    now = timezone.now()
    # PostgreSQL cannot store NUL at all; \x01 is as unwritable for openpyxl.
    control = "\x01" if connection.vendor == "postgresql" else "\0"
    texts = {"achievements": "+1+2", "problems": "-3", "countermeasures": "@SUM(A1)",
             "next_steps": f"계획{control}있음"}  # fmt: skip
    ProgressReport.objects.create(
        project=digital_project, year=2026, quarter=1, progress=10,
        status=ProjectStatus.ON_TRACK, state=FilingState.SUBMITTED,
        submitted_by=alice, submitted_at=now, **texts,
    )  # fmt: skip
    ProgressReport.objects.create(
        project=Project.objects.get(code="2-2-2"), year=2026, quarter=1, progress=10,
        achievements="가" * 40_000,
    )  # fmt: skip


def test_user_text_is_written_inert_never_as_a_formula(hostile):
    content = workbooks.meeting_workbook(year=2026, quarter=1)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    workbook = load(content)
    project = rows(workbook["사업현황"])[0]
    assert project["사업명"] == '=HYPERLINK("http://x","y")'
    cell = workbook["사업현황"]["B2"]
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
        status=ProjectStatus.ON_TRACK, spent_city=123_456_789, **texts,
    )  # fmt: skip
    workbook = load(workbooks.meeting_workbook(year=2026, quarter=1))
    sheet = workbook["분기실적"]
    report = rows(sheet)[0]
    assert (report["추진실적"], report["문제점"], report["대응방안"], report["향후계획"]) == (
        texts["achievements"], texts["problems"], texts["countermeasures"], texts["next_steps"]
    )  # fmt: skip
    assert [sheet.cell(2, column).quotePrefix for column in (9, 10, 11, 12)] == [
        False, True, True, False,
    ]  # fmt: skip
    assert report["진척률"] == 0.125 and report["집행 시비"] == 123_456_789


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
    total = rows(workbook["요약"])[-1]
    assert total["진척률"] == 0 and total["예산"] == 0 and total["집행률"] is None
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
    assert len(sheet) == len(queue["plans"]) + len(queue["reports"])


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
    assert rows(workbook["요약"])[-1]["추진 중 사업 수"] == after.running
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
    header = workbook["분기실적"]["A1"]
    assert header.style == "머리글" and header.fill.fgColor.rgb.endswith("DDE6F0")
