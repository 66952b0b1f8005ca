"""Excel round trip: download the template, change a few cells, upload, exactly those change."""

import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from projects import services
from projects.choices import FilingState
from projects.models import ProgressReport, Project
from projects.workbooks import reading

PREVIEW = "/import/"
APPLY = "/import/apply/"


@pytest.fixture
def staff(client, alice, open_period, plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    return client


def template(client) -> openpyxl.Workbook:
    response = client.get("/import/template/reports.xlsx?year=2026&quarter=4")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def as_upload(workbook, name="filled.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row_of(ws, code):
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            return {ws.cell(1, c.column).value: c for c in row}
    raise AssertionError(code)


def upload(client, file):
    return client.post("/import/preview/", {"file": file})


def apply(client, preview, url=APPLY):
    """Press 반영하기 on a preview page (its form names the file previewed)."""
    pending = re.search(r'name="pending" value="([^"]*)"', preview.content.decode())[1]
    return client.post(url, {"pending": pending})


def test_the_template_holds_the_departments_running_projects(staff, alice):
    ws = template(staff)["분기실적"]
    codes = {row[0].value for row in ws.iter_rows(min_row=2)}
    expected = Project.objects.filter(
        lead_department=alice.department, start_year__lte=2026, end_year__gte=2026
    )
    assert codes == {p.code for p in expected}


def test_the_page_offers_a_template_for_every_period_still_taking_filings(
    staff, past_period, coordinator, alice
):
    """Staff whose 3분기 report was overdue found only the 4분기 template."""
    page = staff.get(PREVIEW).content.decode()
    for quarter in (4, 3):
        assert f"/import/template/reports.xlsx?year=2026&amp;quarter={quarter}" in page
    assert "내 부서 사업이 현재 값으로" in page
    past_period.closed = True
    past_period.save()
    assert "quarter=3" not in staff.get(PREVIEW).content.decode()
    # …unless the department has an extension: its report is still taken, from its template
    past_period.extensions.create(
        department=alice.department, due_on=timezone.localdate() + timedelta(days=7),
        reason="시스템 교체", granted_by=coordinator,
    )  # fmt: skip
    assert "quarter=3" in staff.get(PREVIEW).content.decode()
    staff.force_login(coordinator)
    assert "모든 사업이 현재 값으로" in staff.get(PREVIEW).content.decode()  # not "내 부서"


def test_a_round_trip_changes_exactly_the_cells_changed(staff, alice, digital_project):
    wb = template(staff)
    row = row_of(wb["분기실적"], "2-2-1")
    row["진척률(%)"].value = 55.5
    row["추진실적"].value = "=엑셀에서 적은 실적"
    row["추진실적"].data_type = "s"  # typed as text ('=…), as Excel keeps it
    row["집행 시비(원)"].value = 12_000_000
    indicator = digital_project.indicators.first()
    for result in wb["성과지표"].iter_rows(min_row=2):
        if result[1].value == indicator.pk:
            result[5].value = 42
    response = upload(staff, as_upload(wb))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2-2-1 2026년 4분기" in page and "55.5" in page and "반영하기" in page
    assert not ProgressReport.objects.exists()  # a preview writes nothing

    assert apply(staff, response).status_code == 302
    report = ProgressReport.objects.get()
    assert report.project == digital_project
    assert (report.progress, report.achievements, report.spent_city) == (
        Decimal("55.5"), "=엑셀에서 적은 실적", 12_000_000
    )  # fmt: skip
    assert report.spent_national == 0 and report.problems == ""
    assert report.results.get().value == 42
    assert report.history.get().history_user == alice
    assert report.state == FilingState.DRAFT


def test_importing_the_same_file_again_changes_nothing(staff, digital_project):
    wb = template(staff)
    row_of(wb["분기실적"], "2-2-1")["진척률(%)"].value = 61
    file = as_upload(wb)
    apply(staff, upload(staff, file))
    report = ProgressReport.objects.get()
    history = report.history.count()
    again = template(staff)  # a fresh template holds the new values and version
    response = upload(staff, as_upload(again))
    assert "바뀐 칸이 없습니다" in response.content.decode()
    assert ProgressReport.objects.get().history.count() == history


def test_an_untouched_template_creates_no_reports(staff):
    response = upload(staff, as_upload(template(staff)))
    assert "바뀐 칸이 없습니다" in response.content.decode()
    assert staff.post(APPLY).status_code == 302
    assert not ProgressReport.objects.exists()


def test_a_stale_template_is_refused_for_the_rows_changed_since(staff, alice, digital_project):
    wb = template(staff)
    row_of(wb["분기실적"], "2-2-1")["진척률(%)"].value = 70
    services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    response = upload(staff, as_upload(wb))
    assert response.status_code == 400
    assert "새 양식을 내려받아" in response.content.decode()
    assert ProgressReport.objects.get().progress == 10


def bad_rows(staff, change):
    wb = template(staff)
    change(wb)
    response = upload(staff, as_upload(wb))
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()
    return response.content.decode()


def test_a_wrong_project_code_is_listed_by_sheet_row_and_column(staff):
    page = bad_rows(staff, lambda wb: wb["분기실적"].cell(2, 1, "9-9-9"))
    assert "분기실적" in page and "A (코드)" in page
    assert '<td class="num" data-label="행">2</td>' in page
    assert "없는 사업 코드입니다: 9-9-9" in page


def test_another_departments_project_is_refused(staff):
    other = (
        Project.objects.exclude(lead_department__code="digital")
        .filter(start_year__lte=2026, end_year__gte=2026)
        .first()
    )

    def change(wb):
        ws = wb["분기실적"]
        ws.cell(2, 1, other.code)
        ws.cell(2, 5, 33)

    assert "다른 부서의 사업입니다" in bad_rows(staff, change)


def test_text_in_a_number_cell_is_refused(staff):
    page = bad_rows(staff, lambda wb: wb["분기실적"].cell(2, 5, "많이"))
    assert "E (진척률(%))" in page and "숫자가 아닙니다: 많이" in page


def test_a_year_typed_as_text_is_read_as_a_number(staff, digital_project):
    """A 연도 cell formatted as text ("2026") was refused, the refusal put on 분기."""
    wb = template(staff)
    row = row_of(wb["분기실적"], "2-2-1")
    row["연도"].value = str(row["연도"].value)
    row["진척률(%)"].value = 20
    response = upload(staff, as_upload(wb))
    assert response.status_code == 200 and "양식의 보고 기간" not in response.content.decode()
    assert apply(staff, response).status_code == 302
    assert ProgressReport.objects.get(project=digital_project).progress == 20


def test_another_period_is_refused_on_the_column_that_differs(staff):
    page = bad_rows(staff, lambda wb: wb["분기실적"].cell(2, 3, 2025))
    assert "C (연도)" in page and "양식의 보고 기간(2026년 4분기)과 다릅니다" in page
    assert "D (분기)" not in page


def test_progress_over_100_and_a_bad_status_are_refused(staff):
    def change(wb):
        wb["분기실적"].cell(2, 5, 101)
        wb["분기실적"].cell(3, 6, "아주 좋음")

    page = bad_rows(staff, change)
    assert "0~100 범위여야 합니다" in page and "추진상태는 미착수, 정상" in page


def test_a_closed_period_is_refused(staff, coordinator, open_period):
    wb = template(staff)
    wb["분기실적"].cell(2, 5, 12)
    services.period_set_closed(user=coordinator, period=open_period, closed=True)
    response = upload(staff, as_upload(wb))
    assert response.status_code == 400
    assert "마감된 보고 기간입니다" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_one_bad_row_stops_the_whole_file(staff):
    def change(wb):
        wb["분기실적"].cell(2, 5, 20)  # fine
        wb["분기실적"].cell(3, 11, -5)  # negative money

    assert "0 이상 범위여야 합니다" in bad_rows(staff, change)


def test_what_a_save_would_refuse_is_listed_at_the_preview_with_its_cell(staff):
    """The preview runs the save's own checks (services.report_check), so nothing that passes
    it fails at the apply step without its row and column."""

    def change(wb):
        wb["분기실적"].cell(2, 5, 55.55)  # progress keeps one decimal
        wb["분기실적"].cell(3, 11, 10**20)  # more won than the database holds

    page = bad_rows(staff, change)
    assert "E (진척률(%))" in page and "소수점 아래 1자리까지 적을 수 있습니다" in page
    assert "K (집행 국비(원))" in page and "국비 금액은 1,000조 원" in page


def test_an_indicator_value_too_large_to_store_is_refused_on_its_row(staff, digital_project):
    def change(wb):
        wb["분기실적"].cell(2, 5, 20)
        for result in wb["성과지표"].iter_rows(min_row=2):
            if result[1].value == digital_project.indicators.first().pk:
                result[5].value = 10**20

    page = bad_rows(staff, change)
    assert "성과지표" in page and "F (실적)" in page
    assert "100,000,000,000,000보다 작은 값이어야 합니다" in page


def test_a_project_that_does_not_run_that_year_is_refused_at_the_preview(staff, alice):
    ended = Project.objects.filter(end_year__lt=2026).first()
    ended.lead_department = alice.department
    ended.save()

    def change(wb):
        wb["분기실적"].cell(2, 1, ended.code)
        wb["분기실적"].cell(2, 5, 10)

    assert "이 사업은 2026년에 추진하지 않습니다" in bad_rows(staff, change)


def refused(staff, file) -> str:
    response = upload(staff, file)
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()
    return response.content.decode()


def test_a_file_that_is_not_a_zip_is_refused(staff):
    assert "엑셀(xlsx) 파일이 아닙니다" in refused(staff, SimpleUploadedFile("a.xlsx", b"hello"))


def test_a_csv_renamed_xlsx_is_refused(staff):
    file = SimpleUploadedFile("data.xlsx", "코드,진척률\n2-2-1,50\n".encode())
    assert "엑셀(xlsx) 파일이 아닙니다" in refused(staff, file)


def test_a_zip_bomb_is_refused_before_it_is_opened(staff, monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"\0" * (2 * 1024 * 1024))
    assert len(buffer.getvalue()) < 20_000  # small on disk, huge when opened
    assert "압축을 풀면 너무 큰 파일입니다" in refused(
        staff, SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
    )


def test_a_workbook_with_macros_is_refused(staff):
    buffer = io.BytesIO()
    template(staff).save(buffer)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    page = refused(staff, SimpleUploadedFile("filled.xlsm", buffer.getvalue()))
    assert "매크로가 들어 있는 파일은 올릴 수 없습니다" in page


def test_a_file_over_the_size_limit_is_refused(staff, settings):
    settings.IMPORT_MAX_MB = 1
    big = SimpleUploadedFile("big.xlsx", b"PK" + b"0" * (1024 * 1024 + 1))
    assert "1MB 이하의 엑셀 파일만" in refused(staff, big)


def test_a_workbook_from_another_template_is_refused(staff):
    other = openpyxl.Workbook()
    other.active.append(["이름", "값"])
    assert "이 시스템에서 내려받은 양식이 아닙니다" in refused(staff, as_upload(other))


def test_a_missing_sheet_is_refused(staff):
    wb = template(staff)
    del wb["성과지표"]
    assert "&#x27;성과지표&#x27; 시트가 없습니다" in refused(staff, as_upload(wb))


def test_changed_headers_are_refused(staff):
    wb = template(staff)
    wb["분기실적"].cell(1, 5, "진척도")
    assert "머리글이 양식과 다릅니다" in refused(staff, as_upload(wb))


def test_too_many_rows_are_refused(staff, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    wb = template(staff)
    for n in range(60):
        wb["분기실적"].append([f"9-9-{n}", "x", 2026, 4, 1, "정상"])
    assert "50행을 넘습니다" in refused(staff, as_upload(wb))


def test_the_committee_cannot_import(client, committee, plan):
    client.force_login(committee)
    assert client.get(PREVIEW).status_code == 403
    assert client.get("/import/template/reports.xlsx").status_code == 403


def test_apply_without_a_preview_is_a_clear_message(staff):
    response = staff.post(APPLY, follow=True)
    assert "파일을 다시 올려 주세요" in response.content.decode()


def test_the_command_imports_with_a_dry_run_first(staff, tmp_path, alice, digital_project):
    wb = template(staff)
    row_of(wb["분기실적"], "2-2-1")["진척률(%)"].value = 25
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    call_command("import_reports", str(path), user="alice", dry_run=True, verbosity=0)
    assert not ProgressReport.objects.exists()
    call_command("import_reports", str(path), user="alice", verbosity=0)
    assert ProgressReport.objects.get().progress == 25
    with pytest.raises(CommandError, match="사용자 nobody가 없습니다"):
        call_command("import_reports", str(path), user="nobody")


def test_a_sheet_of_100001_rows_is_refused_without_reading_it_all(staff):
    from openpyxl import Workbook

    wb = template(staff)
    big = Workbook(write_only=True)
    for title in ("분기실적", "성과지표", "양식"):
        ws = big.create_sheet(title)
        for row in wb[title].iter_rows(values_only=True):
            ws.append(row)
        if title == "분기실적":
            for n in range(100_001):
                ws.append([f"9-{n}"])
    buffer = io.BytesIO()
    big.save(buffer)
    page = refused(staff, SimpleUploadedFile("big.xlsx", buffer.getvalue()))
    assert "10,000행을 넘습니다" in page


def test_a_change_between_preview_and_apply_is_listed_by_row_and_nothing_is_written(
    staff, alice, digital_project
):
    wb = template(staff)
    row_of(wb["분기실적"], "2-2-1")["진척률(%)"].value = 30
    preview = upload(staff, as_upload(wb))
    # Meanwhile someone saves the same report on the web page.
    services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4, version=None,
        values={"progress": 10, "status": "on_track"}, results={},
    )  # fmt: skip
    response = apply(staff, preview)
    assert response.status_code == 400
    page = response.content.decode()
    assert "분기실적" in page and "그 사이 다른 사람이 이 실적을 고쳤습니다" in page
    assert ProgressReport.objects.get().progress == 10


def test_only_the_file_previewed_last_can_be_applied(staff, settings):
    first, second = template(staff), template(staff)
    row_of(first["분기실적"], "2-2-1")["진척률(%)"].value = 11
    row_of(second["분기실적"], "2-2-1")["진척률(%)"].value = 22
    first_page = upload(staff, as_upload(first))  # one browser tab
    second_page = upload(staff, as_upload(second))  # another tab, later
    response = staff.post(
        APPLY, {"pending": re.search(
            r'name="pending" value="([^"]*)"', first_page.content.decode())[1]},
        follow=True,
    )  # fmt: skip
    assert "다른 창에서 다른 파일을 미리 보았습니다" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert len(list((settings.MEDIA_ROOT / "imports").iterdir())) == 1  # the first is gone
    assert apply(staff, second_page).status_code == 302
    assert ProgressReport.objects.get().progress == 22


def test_the_preview_shows_the_checks_before_submission_per_row_without_blocking(
    staff, digital_project
):
    wb = template(staff)
    row = row_of(wb["분기실적"], "2-2-1")
    row["진척률(%)"].value = 20
    row["추진상태"].value = "지연"
    row["추진실적"].value = "설계"
    number = row["코드"].row
    response = upload(staff, as_upload(wb))
    assert response.status_code == 200
    page = response.content.decode()
    assert "제출 전 확인 결과" in page
    problems = re.search(r"(?s)제출 전 확인 결과.*?</table>", page)[0]
    assert "(문제점)" in problems  # the column to fill
    assert "2-2-1: 증빙자료가 없습니다." in problems  # the project named
    assert re.search(r"<td[^>]*>정상</td><td[^>]*><strong>지연</strong></td>", page)  # labels
    assert "문제점을 적어야 제출할 수 있습니다" in problems  # shown as 제출 불가, not blocking
    assert "제출 불가" in problems
    assert "증빙자료가 없습니다." in problems
    assert re.search(rf'<td class="num"[^>]*>{number}</td>', problems)
    # On a phone it turns into labelled cards, as the tables above it (its 내용 column had
    # been squeezed to a few characters a line).
    assert '<table class="table table--cards">' in problems
    assert problems.count("<td") == problems.count("<td data-label=") + problems.count(
        '<td class="num" data-label='
    )
    assert apply(staff, response).status_code == 302  # still applied: a draft
    assert ProgressReport.objects.get().state == FilingState.DRAFT
