"""The coordinator replaces the illustrative projects with the city's real list from Excel."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from projects.choices import FilingState
from projects.models import Department, IndicatorTarget, ProgressReport, Project
from tests.projects.test_import import apply


@pytest.fixture
def office(client, coordinator, plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    return client


def template(client) -> openpyxl.Workbook:
    response = client.get("/import/template/plan.xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def send(client, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("plan.xlsx", buffer.getvalue())
    return client.post("/import/preview/", {"file": file})


def find(ws, code):
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            return row
    raise AssertionError(code)


def delete_project(wb, code):
    for title in ("사업", "성과지표", "목표"):
        ws = wb[title]
        for index in range(ws.max_row, 1, -1):
            if ws.cell(index, 1).value == code:
                ws.delete_rows(index)


def test_the_template_holds_the_current_structure(office):
    wb = template(office)
    assert wb.sheetnames[:4] == ["부서", "사업", "성과지표", "목표"]
    assert wb["사업"].max_row - 1 == 29
    assert wb["목표"].max_row - 1 == IndicatorTarget.objects.count()


def test_each_sheet_of_the_template_is_wide_where_its_names_are(office):
    """Names get room on every sheet (the 36/40 of 사업's name and summary columns had been
    given to 부서's 사용 and 성과지표's 유형 and 단위), and amounts in won read with separators."""
    wb = template(office)

    def width(ws, header):
        column = next(c.column_letter for c in ws[1] if c.value == header)
        return ws.column_dimensions[column].width

    assert width(wb["사업"], "사업명") >= 30 and width(wb["사업"], "사업개요") >= 30
    assert width(wb["부서"], "부서명") >= 20 and width(wb["부서"], "사용") <= 12
    for title in ("성과지표", "목표"):
        assert width(wb[title], "지표명") >= 30
    for header in ("유형", "단위", "연도", "목표값"):
        assert all(width(wb[t], header) <= 12 for t in ("성과지표", "목표") if header in
                   [c.value for c in wb[t][1]])  # fmt: skip
    money = next(c.column for c in wb["사업"][1] if c.value == "국비(원)")
    assert wb["사업"].cell(2, money).number_format == "#,##0"


def test_an_unchanged_template_changes_nothing(office):
    response = send(office, template(office))
    assert response.status_code == 200
    assert "바뀐 칸이 없습니다" in response.content.decode()


def test_the_city_renames_adds_and_removes_projects(office, coordinator):
    wb = template(office)
    row = find(wb["사업"], "1-1-1")
    row[2].value = "철강 스마트공장 고도화 (실제)"
    row[10].value = "아니오"  # no longer an illustrative project
    wb["부서"].append(["smartcity", "스마트도시과", "예"])
    wb["사업"].append(["3-2-5", 7, "스마트 가로등", "개요", "smartcity", "digital", "3,4",
                      2025, 2027, "아니오", "아니오", 0, 0, 500_000_000, 0, 0, 1])  # fmt: skip
    wb["성과지표"].append(["3-2-5", "설치 수", "산출", "개", 0, 2024, "예", "", "시 자료"])
    wb["목표"].append(["3-2-5", "설치 수", 2025, 100])
    delete_project(wb, "3-2-4")
    response = send(office, wb)
    assert response.status_code == 200, response.content.decode()[:3000]
    page = response.content.decode()
    assert "철강 스마트공장 고도화 (실제)" in page and "3-2-5" in page and "삭제" in page
    assert Project.objects.filter(code="3-2-4").exists()  # the preview wrote nothing

    assert apply(office, response).status_code == 302
    renamed = Project.objects.get(code="1-1-1")
    assert (renamed.name, renamed.is_sample) == ("철강 스마트공장 고도화 (실제)", False)
    assert renamed.history.first().history_user == coordinator
    added = Project.objects.get(code="3-2-5")
    assert added.lead_department == Department.objects.get(code="smartcity")
    assert [p.order for p in added.phases.all()] == [3, 4]
    assert added.indicators.get().targets.get(year=2025).value == 100
    assert not Project.objects.filter(code="3-2-4").exists()
    assert Project.objects.count() == 29


def test_a_project_with_filed_work_cannot_be_left_out(office, coordinator):
    project = Project.objects.get(code="3-2-4")
    ProgressReport.objects.create(project=project, year=2024, quarter=1, progress=5)
    wb = template(office)
    delete_project(wb, "3-2-4")
    response = send(office, wb)
    assert response.status_code == 400
    assert "3-2-4는 시행계획·실적이 있어 목록에서 뺄 수 없습니다" in response.content.decode()
    assert Project.objects.filter(code="3-2-4").exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (2, 11, "1~10 중 하나여야 합니다"),
        (5, "nowhere", "없는 부서코드입니다: nowhere"),
        (7, "1,9", "단계 번호를 쉼표로"),
        (10, "글쎄", "&#x27;예&#x27; 또는 &#x27;아니오&#x27;로"),
        (13, "많이", "숫자가 아닙니다"),
        (8, 2030, "2023~2027 범위여야 합니다"),
    ],
)
def test_bad_rows_are_listed_and_nothing_changes(office, column, value, message):
    wb = template(office)
    wb["사업"].cell(2, column, value)
    response = send(office, wb)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Project.objects.get(code="1-1-1").is_sample


def test_a_code_that_is_not_its_tasks_is_refused_on_its_row(office):
    """It was refused once the whole file was checked, on no row ("사업 0행"), and only the
    first such project was named."""
    wb = template(office)
    ws = wb["사업"]
    ws.append(["9-9-9", 1, "새 사업 하나", "", "digital", "", "1", 2026, 2027, "아니오", "아니오",
               0, 0, 0, 0, 0, 1])  # fmt: skip
    ws.append(["1-1-07", 1, "새 사업 둘", "", "digital", "", "1", 2026, 2027, "아니오", "아니오",
               0, 0, 0, 0, 0, 1])  # fmt: skip
    response = send(office, wb)
    assert response.status_code == 400
    page = response.content.decode()
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    for line in (ws.max_row - 1, ws.max_row):
        [row] = [r for r in rows if re.search(rf">\s*{line}\s*<", r) and "사업코드" in r]
        assert "전략과제 코드 뒤에 번호를 붙여" in row and "1-1-1, 1-1-2" in row
    assert not Project.objects.filter(name__startswith="새 사업").exists()


def test_staff_cannot_touch_the_plan_structure(client, alice, plan):
    client.force_login(alice)
    assert client.get("/import/template/plan.xlsx").status_code == 403


def test_a_plan_template_is_refused_by_import_reports(office, tmp_path):
    path = tmp_path / "plan.xlsx"
    template(office).save(path)
    with pytest.raises(CommandError, match="분기실적 양식만 받습니다"):
        call_command("import_reports", str(path), user="carol")


def test_the_command_replaces_the_list(office, tmp_path):
    wb = template(office)
    find(wb["사업"], "2-1-1")[2].value = "수소도시 (실제 사업명)"
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    call_command("import_plan", str(path), user="carol", verbosity=0)
    assert Project.objects.get(code="2-1-1").name == "수소도시 (실제 사업명)"
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), user="alice-does-not-exist")


def test_the_history_of_an_approved_plan_is_kept(office, coordinator):
    """Renaming a project never touches the plans and reports filed for it."""
    project = Project.objects.get(code="1-1-1")
    now = timezone.now()
    report = ProgressReport.objects.create(
        project=project, year=2024, quarter=1, progress=5, state=FilingState.APPROVED,
        submitted_by=coordinator, submitted_at=now, reviewed_by=coordinator, reviewed_at=now,
    )  # fmt: skip
    wb = template(office)
    find(wb["사업"], "1-1-1")[2].value = "새 이름"
    apply(office, send(office, wb))
    report.refresh_from_db()
    assert (report.state, report.project.name) == (FilingState.APPROVED, "새 이름")


def test_a_template_of_another_plan_is_refused(office):
    wb = template(office)
    wb["양식"]["A3"] = "다른 기본계획"
    find(wb["사업"], "1-1-1")[2].value = "새 이름"
    response = send(office, wb)
    assert response.status_code == 400
    assert "의 양식이 아닙니다. 이 계획의 양식을 새로 내려받아 주세요" in response.content.decode()
    assert Project.objects.get(code="1-1-1").name != "새 이름"


def test_a_template_of_an_older_format_is_refused(office):
    wb = template(office)
    wb["양식"]["A4"] = 0
    response = send(office, wb)
    assert response.status_code == 400
    assert "예전 형식의 양식입니다" in response.content.decode()
