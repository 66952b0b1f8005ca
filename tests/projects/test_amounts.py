"""Every amount of money is bounded at 10¹⁵ won (1,000조 원): in the forms, in the Excel
imports and by the database; and the workbook and dashboard add up the largest amounts."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.choices import FilingState, FundingSource
from projects.models import MONEY_MAX, ImplementationPlan, ProgressReport, Project

SOURCES = FundingSource.values
PLAN_URL = "/projects/2-2-1/plans/2026/"
REPORT_URL = "/projects/2-2-1/reports/2026/4/"


@pytest.fixture
def staff(client, alice, digital_project, open_period):
    client.force_login(alice)
    return client


def plan_form(**fields):
    return {f"budget_{s}": "0" for s in SOURCES} | {"goal": "목표"} | fields


def report_form(**fields):
    return {f"spent_{s}": "0" for s in SOURCES} | {"progress": "10", "status": "on_track"} | fields


@pytest.mark.parametrize("amount", [MONEY_MAX + 1, 5 * 10**18, 10**30])
def test_a_plan_budget_above_the_ceiling_is_refused_in_korean_and_nothing_is_saved(staff, amount):
    response = staff.post(f"{PLAN_URL}save/", plan_form(budget_city=str(amount)))
    assert response.status_code == 400
    assert "시비 금액은 1,000조 원(1,000,000,000,000,000원)을 넘을 수 없습니다" in (
        response.content.decode()
    )
    assert not ImplementationPlan.objects.exists()


def test_a_report_spending_above_the_ceiling_is_refused_in_korean(staff):
    response = staff.post(f"{REPORT_URL}save/", report_form(spent_private=str(MONEY_MAX + 1)))
    assert response.status_code == 400
    assert "민자 금액은 1,000조 원" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_the_ceiling_itself_is_accepted(staff):
    amounts = {f"budget_{s}": str(MONEY_MAX) for s in SOURCES}
    assert staff.post(f"{PLAN_URL}save/", plan_form(**amounts)).status_code == 302
    assert ImplementationPlan.objects.get().budget_total == 5 * MONEY_MAX


@pytest.mark.parametrize(
    "build",
    [
        lambda p: ImplementationPlan(project=p, year=2024, budget_national=MONEY_MAX + 1),
        lambda p: ProgressReport(project=p, year=2024, quarter=1, spent_other=MONEY_MAX + 1),
    ],
)
def test_the_database_refuses_an_amount_above_the_ceiling(plan, build):
    record = build(Project.objects.get(code="1-1-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_the_database_refuses_a_project_cost_above_the_ceiling(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(code="1-1-1").update(cost_city=MONEY_MAX + 1)


def test_a_report_upload_above_the_ceiling_is_refused_on_its_cell(
    client, alice, open_period, plan, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    response = client.get("/import/template/reports.xlsx?year=2026&quarter=4")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    wb["분기실적"].cell(2, 11, MONEY_MAX + 1)  # 집행 국비(원)
    page = upload(client, wb)
    assert page.status_code == 400
    assert "국비 금액은 1,000조 원" in page.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_plan_structure_upload_above_the_ceiling_is_refused_on_its_cell(
    client, coordinator, plan, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/import/template/plan.xlsx").content))
    sheet = wb["사업"]
    column = next(c.column for c in sheet[1] if c.value == "시비(원)")
    sheet.cell(2, column, MONEY_MAX + 1)
    page = upload(client, wb)
    assert page.status_code == 400
    assert "1000000000000000" in page.content.decode()
    assert not Project.objects.filter(cost_city__gt=MONEY_MAX).exists()


def upload(client, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return client.post(
        "/import/preview/", {"file": SimpleUploadedFile("f.xlsx", buffer.getvalue())}
    )


def test_the_workbook_and_dashboard_add_up_the_largest_amounts_of_every_project(
    client, coordinator, alice, plan
):
    now = timezone.now()
    stamps = {
        "state": FilingState.APPROVED, "submitted_by": alice, "submitted_at": now,
        "reviewed_by": coordinator, "reviewed_at": now,
    }  # fmt: skip
    running = list(Project.objects.filter(start_year__lte=2026, end_year__gte=2026))
    budgets = {f"budget_{s}": MONEY_MAX for s in SOURCES}
    ImplementationPlan.objects.bulk_create(
        ImplementationPlan(project=p, year=2026, **stamps, **budgets) for p in running
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(project=p, year=2026, quarter=q, progress=50, **stamps,
                       **{f"spent_{s}": MONEY_MAX for s in SOURCES})
        for p in running for q in range(1, 5)
    )  # fmt: skip
    client.force_login(coordinator)
    workbook = client.get("/export/workbook.xlsx?year=2026&quarter=4")
    assert workbook.status_code == 200
    openpyxl.load_workbook(io.BytesIO(workbook.content))  # a real workbook
    assert client.get("/?year=2026&quarter=4").status_code == 200
    assert client.get("/projects/?period=2026-4").status_code == 200
