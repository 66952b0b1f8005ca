"""The year-end evaluation in the meeting workbook and the PDF of a year's fourth quarter."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings

from projects import briefing, services, workbooks
from projects.models import Evaluation, Project
from projects.workbooks.format import SHEET_NAMES

HEADER_ROW = 3  # below the title and the 기준일


@pytest.fixture
def demo(plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def rows(ws):
    header = [c.value for c in ws[HEADER_ROW]]
    return [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in ws.iter_rows(min_row=HEADER_ROW + 1)
    ]


def test_the_fourth_quarters_workbook_ends_with_the_evaluation_sheet(demo):
    workbook = load(workbooks.meeting_workbook(year=2025, quarter=4))
    assert workbook.sheetnames == [*SHEET_NAMES, "연차평가"]
    sheet = workbook["연차평가"]
    assert sheet["A1"].value.startswith("광양시 4차산업혁명 촉진 기본계획 추진상황")
    assert sheet["A2"].value.startswith("기준일")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$3"
    shown = rows(sheet)
    running = Project.objects.filter(start_year__lte=2025, end_year__gte=2025)
    assert [r["코드"] for r in shown] == sorted(running.values_list("code", flat=True))
    assert list(shown[0]) == [
        "전략방향", "전략과제", "코드", "사업명", "주관부서", "자체 평가 등급", "평가 등급",
        "평가 의견",
    ]  # fmt: skip
    poor = Evaluation.objects.filter(year=2025, grade="poor").order_by("project__code").first()
    row = next(r for r in shown if r["코드"] == poor.project.code)
    assert (row["평가 등급"], row["평가 의견"]) == ("미흡", poor.grade_comment)


@pytest.mark.parametrize("quarter", [1, 2, 3])
def test_other_quarters_have_no_evaluation_sheet(demo, quarter):
    assert load(workbooks.meeting_workbook(year=2025, quarter=quarter)).sheetnames == SHEET_NAMES


def test_a_draft_or_an_ungraded_evaluation_shows_nothing_the_committee_should_not_read(
    alice, coordinator, digital_project, open_period
):
    values = {"achievement": "실적", "narrative": "의견", "proposed_grade": "excellent"}
    services.evaluation_save(
        user=alice, project=digital_project, year=2026, values=values, version=None
    )
    row = next(
        r
        for r in rows(load(workbooks.meeting_workbook(year=2026, quarter=4))["연차평가"])
        if r["코드"] == "2-2-1"
    )
    assert (row["자체 평가 등급"], row["평가 등급"], row["평가 의견"]) == (None, None, None)
    evaluation = services.evaluation_submit(
        user=alice, project=digital_project, year=2026, values=values, version=1
    )
    row = next(
        r
        for r in rows(load(workbooks.meeting_workbook(year=2026, quarter=4))["연차평가"])
        if r["코드"] == "2-2-1"
    )
    assert (row["자체 평가 등급"], row["평가 등급"]) == ("우수", None)
    services.evaluation_grade(
        user=coordinator, evaluation=evaluation, grade="fair", comment="=보통", version=2
    )
    row = next(
        r
        for r in rows(load(workbooks.meeting_workbook(year=2026, quarter=4))["연차평가"])
        if r["코드"] == "2-2-1"
    )
    assert (row["평가 등급"], row["평가 의견"]) == ("보통", "=보통")  # text, never a formula


def test_the_fourth_quarters_document_has_the_evaluation_section(demo):
    html = briefing.briefing_html(year=2025, quarter=4)
    assert 'id="evaluation"' in html
    assert "2025년 연차평가" in html
    assert "연간 계획 대비 실적·성과지표 달성률 90% 이상" in html
    for poor in Evaluation.objects.filter(year=2025, grade="poor").select_related("project"):
        assert poor.project.name in html
    total = Evaluation.objects.filter(year=2025, grade="poor").count()
    assert f"미흡 사업 ({total}건)" in html


def test_other_quarters_documents_have_no_evaluation_section(demo):
    assert 'id="evaluation"' not in briefing.briefing_html(year=2025, quarter=3)
