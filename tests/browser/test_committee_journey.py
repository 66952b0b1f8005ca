"""The committee reads the dashboard, drills into a direction and takes the workbook; an import
with a mistake shows the row at fault."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from projects.workbooks import SHEET_NAMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def test_the_committee_drills_down_and_downloads_the_workbook(
    live_server, page, sign_in, demo, tmp_path
):
    base = live_server.url
    sign_in(page, "committee")
    page.get_by_role("link", name="2. 미래 친환경 도시 경제기반 구축").click()
    page.wait_for_url(lambda url: "direction=" in url)
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(11)  # the projects of direction 2, with the one added in 2025
    page.goto(f"{base}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="회의용 엑셀").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("gwangyang-plan-") and path.suffix == ".xlsx"
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == SHEET_NAMES


def test_an_import_with_a_mistake_shows_the_row_message(page, sign_in, demo, tmp_path):
    sign_in(page, "staff-digital")
    page.get_by_role("link", name="엑셀 올리기").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="분기실적 양식").first.click()  # the latest period
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    workbook["분기실적"].cell(2, 5, "절반쯤")
    filled = io.BytesIO()
    workbook.save(filled)
    (tmp_path / "filled.xlsx").write_bytes(filled.getvalue())
    page.get_by_label("채운 양식 (xlsx)").set_input_files(str(tmp_path / "filled.xlsx"))
    page.get_by_role("button", name="미리보기").click()
    error = page.locator("table.table tbody tr").first
    expect(error).to_contain_text("분기실적")
    expect(error).to_contain_text("숫자가 아닙니다: 절반쯤")
    expect(page.get_by_role("button", name="반영하기")).to_have_count(0)
