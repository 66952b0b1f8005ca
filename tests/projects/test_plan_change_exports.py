"""당초 → 변경 where plans were changed: the dashboard, the workbook's 예산 sheet and the PDF
use the current budgets and show the original ones beside them."""

import io

import openpyxl
import pytest
from django.test import Client

from projects import briefing, services, workbooks
from tests.projects.test_plan_changes import request

HEADER_ROW = 3


@pytest.fixture
def changed(alice, coordinator, approved_plan, open_period):
    """2-2-1's 2026 시비 raised from 100 to 150 백만원 by an approved 추경."""
    change = request(alice, approved_plan, budget_city=150_000_000)
    return services.plan_change_approve(user=coordinator, change=change, version=change.version)


def budget_rows(content: bytes) -> list[dict]:
    ws = openpyxl.load_workbook(io.BytesIO(content))["예산"]
    header = [c.value for c in ws[HEADER_ROW]]
    return [dict(zip(header, (c.value for c in r), strict=True))
            for r in ws.iter_rows(min_row=HEADER_ROW + 1)]  # fmt: skip


def test_the_budget_sheet_keeps_its_columns_and_adds_the_original_budget(changed):
    rows = budget_rows(workbooks.meeting_workbook(year=2026, quarter=4))
    city = next(r for r in rows if r["코드"] == "2-2-1" and r["재원"] == "시비")
    assert list(city)[:6] == ["코드", "사업명", "재원", "예산 (백만원)", "집행 (백만원)", "집행률"]
    assert (city["예산 (백만원)"], city["당초 예산 (백만원)"]) == (150_000_000, 100_000_000)
    assert rows[-1]["당초 예산 (백만원)"] == 100_000_000


def test_without_changes_the_original_budget_is_the_budget(approved_plan, open_period):
    rows = budget_rows(workbooks.meeting_workbook(year=2026, quarter=4))
    assert all(r["당초 예산 (백만원)"] == r["예산 (백만원)"] for r in rows)


def test_the_pdf_shows_the_original_beside_the_changed_budget(changed):
    html = briefing.briefing_html(year=2026, quarter=4)
    assert "당초 예산 (백만원)" in html and "변경 예산 (백만원)" in html
    assert ">100.0<" in html and ">150.0<" in html


def test_the_pdf_keeps_a_source_whose_budget_a_change_took_to_nothing(
    alice, coordinator, approved_plan, open_period
):
    """시비 moved to 국비 by the change: 시비 still has its row, 당초 100.0 → 변경 0.0."""
    change = request(alice, approved_plan, budget_city=0, budget_national=100_000_000)
    services.plan_change_approve(user=coordinator, change=change, version=change.version)
    chapter = briefing.briefing_html(year=2026, quarter=4).split('id="budget"', 1)[1]
    city = chapter.split('<th scope="row">시비</th>', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">100.0</td><td class="num">0.0</td>' in city


def test_the_pdf_shows_no_original_column_without_changes(approved_plan, open_period):
    assert "당초 예산" not in briefing.briefing_html(year=2026, quarter=4)


def test_the_dashboard_total_follows_the_change_and_names_the_original(changed, committee):
    client = Client()
    client.force_login(committee)
    page = client.get("/?year=2026&quarter=4").content.decode()
    assert "당초 예산 100.0 → 변경 150.0" in page


def test_the_review_queue_export_lists_the_change_requests_waiting(
    client, alice, coordinator, approved_plan
):
    request(alice, approved_plan, budget_city=150_000_000)
    client.force_login(coordinator)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/review/?export=xlsx").content)).active
    table = list(sheet.iter_rows(values_only=True))
    header = next(n for n, row in enumerate(table) if "코드" in row)
    found = [dict(zip(table[header], row, strict=True)) for row in table[header + 1 :]]
    (change,) = [row for row in found if row["구분"].startswith("변경계획")]
    assert (change["구분"], change["코드"], change["연도"], change["분기"]) == (
        "변경계획(추경)", "2-2-1", 2026, None,
    )  # fmt: skip
    assert (change["처리 상태"], change["대기 일수"], change["주관부서"]) == (
        "제출",
        0,
        "디지털산업과",
    )
    assert change["제출자"] == str(alice)
