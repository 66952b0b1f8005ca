"""The review queue a reviewer works from: its columns, filters and sorting, and bulk approval
only through the page that shows each chosen filing's summary and warnings."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from projects import services
from projects.choices import FilingState, ProjectStatus
from projects.models import ProgressReport, ReportingPeriod
from tests.factories import COMPLETE_PLAN, ProjectFactory, UserFactory, acknowledged_submit

ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r'<td[^>]*data-label="([^"]*)"[^>]*>(.*?)</td>', re.S)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def rows(page: str, section: str) -> list[dict[str, str]]:
    """The rows of one table of the queue ("reports" or "plans"): each cell's text by header."""
    start = page.index(f'id="{section}-title"')
    part = page[start : page.index("</section>", start)]
    found = [dict(CELL.findall(row)) for row in ROW.findall(part)]
    return [{label: text(cell) for label, cell in row.items()} for row in found if row]


def codes(page: str, section: str = "reports") -> list[str]:
    return [row["사업"].split()[0] for row in rows(page, section)]


@pytest.fixture
def late_report(alice, digital_project):
    """2-2-1's Q3 report, submitted six days after its deadline and waiting four days since,
    with the warnings its submitter acknowledged (no evidence, empty narrative fields)."""
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=3, opens_on=today - timedelta(days=60), due_on=today - timedelta(10)
    )
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=3,
        values={"progress": 35, "achievements": "스마트 공장 3곳 구축\n둘째 줄"},
        results={}, version=None,
    )  # fmt: skip
    report = acknowledged_submit(user=alice, filing=report)
    ProgressReport.objects.filter(pk=report.pk).update(
        submitted_at=timezone.now() - timedelta(days=4)
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def other_report(bob):
    """Another department's report, submitted on time today, delayed, with no warnings."""
    project = ProjectFactory(code="9-9-1", name="기후 사업", lead_department=bob.department)
    return ProgressReport.objects.create(
        project=project, year=2026, quarter=4, progress=50, status=ProjectStatus.DELAYED,
        problems="자재 수급 지연", countermeasures="대체 공급처 확보",
        state=FilingState.SUBMITTED, submitted_by=bob, submitted_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def reviewer(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_queue_shows_each_reports_columns(reviewer, late_report, other_report):
    row = next(r for r in rows(reviewer.get("/review/").content.decode(), "reports")
               if "2-2-1" in r["사업"])  # fmt: skip
    assert row["주관부서"] == "디지털산업과"
    assert row["기간"] == "2026년 3분기"
    assert row["처리 상태"] == "제출"
    assert row["진척률(%)"] == "35.0"
    assert row["추진상태"] == "정상"
    assert row["지연"] == "지연제출 6일 늦음"
    assert row["대기 일수"] == "4일"
    assert row["제출 일시"].startswith(
        timezone.localtime(late_report.submitted_at).strftime("%Y-%m-%d %H:%M")
    )
    warnings = len(late_report.acknowledged_warnings)
    assert warnings and row["확인한 경고"].startswith(f"경고 {warnings}건")
    assert "증빙자료가 없습니다." in row["확인한 경고"]  # in the details, not a colour
    other = next(r for r in rows(reviewer.get("/review/").content.decode(), "reports")
                 if "9-9-1" in r["사업"])  # fmt: skip
    assert (other["지연"], other["확인한 경고"], other["추진상태"]) == ("—", "—", "지연")


def test_a_plan_shows_its_year_and_no_progress_or_status(reviewer, alice, digital_project):
    plan = services.plan_save(
        user=alice, project=digital_project, year=2026, values=COMPLETE_PLAN, version=None
    )
    acknowledged_submit(user=alice, filing=plan)
    [row] = rows(reviewer.get("/review/").content.decode(), "plans")
    assert row["기간"] == "2026년"
    assert "진척률(%)" not in row and "추진상태" not in row
    assert row["대기 일수"] == "0일"


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", ["2-2-1", "9-9-1"]),
        ("late=on", ["2-2-1"]),
        ("warned=on", ["2-2-1"]),
        ("status=delayed", ["9-9-1"]),
        ("quarter=3", ["2-2-1"]),
        ("year=2025", []),
        ("kind=plan", []),
        ("state=approved", []),
    ],
)
def test_the_filters_narrow_the_queue(reviewer, late_report, other_report, query, shown):
    assert codes(reviewer.get(f"/review/?{query}").content.decode()) == shown


def test_the_department_filter_and_the_state_filter(reviewer, bob, late_report, other_report):
    department = bob.department.pk
    assert codes(reviewer.get(f"/review/?department={department}").content.decode()) == ["9-9-1"]
    services.filings_approve(user=reviewer_user(reviewer), filings=[(other_report, 1)])
    assert codes(reviewer.get("/review/?state=approved").content.decode()) == ["9-9-1"]
    assert codes(reviewer.get("/review/").content.decode()) == ["2-2-1"]


def reviewer_user(client):
    from projects.models import User

    return User.objects.get(pk=client.session["_auth_user_id"])


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", ["2-2-1", "9-9-1"]),  # oldest submission first
        ("waiting", ["9-9-1", "2-2-1"]),  # the shortest wait first
        ("-waiting", ["2-2-1", "9-9-1"]),
        ("department", ["9-9-1", "2-2-1"]),  # 기후환경과 before 디지털산업과
        ("-progress", ["9-9-1", "2-2-1"]),
        ("project", ["2-2-1", "9-9-1"]),
    ],
)
def test_the_queue_sorts_by_its_columns(reviewer, late_report, other_report, sort, order):
    assert codes(reviewer.get(f"/review/?reports_sort={sort}").content.decode()) == order


def test_the_list_no_longer_approves_it_leads_to_the_approval_page(reviewer, late_report):
    page = reviewer.get("/review/").content.decode()
    assert 'action="/review/approve/"' not in page
    assert '<form method="get" action="/review/approve/confirm/">' in page
    assert f'name="report" value="{late_report.pk}:{late_report.version}"' in page


def confirm(client, *ticked: ProgressReport):
    return client.get(
        "/review/approve/confirm/", {"report": [f"{r.pk}:{r.version}" for r in ticked]}
    )


def test_the_approval_page_lists_the_chosen_ones_with_summary_and_warnings(
    reviewer, late_report, other_report
):
    response = confirm(reviewer, late_report)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2-2-1" in page and "9-9-1" not in page
    assert "스마트 공장 3곳 구축" in page and "둘째 줄" not in page  # the first line
    assert "35.0" in page and "정상" in page and "6일 늦음" in page
    assert "증빙자료가 없습니다." in page
    assert "1건 승인" in page
    assert f'name="report" value="{late_report.pk}:{late_report.version}"' in page
    assert ProgressReport.objects.get(pk=late_report.pk).state == FilingState.SUBMITTED


def posted_values(page: str) -> dict[str, list[str]]:
    """What the approval page's form posts."""
    values: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="(plan|report)" value="([^"]+)"', page
    ):
        values.setdefault(name, []).append(value)
    return values


def test_approving_from_the_page_approves_exactly_the_ones_shown(
    reviewer, late_report, other_report
):
    values = posted_values(confirm(reviewer, late_report).content.decode())
    assert values == {"report": [f"{late_report.pk}:{late_report.version}"]}
    page = reviewer.post("/review/approve/", values, follow=True).content.decode()
    assert "1건을 승인했습니다" in page
    states = dict(ProgressReport.objects.values_list("project__code", "state"))
    assert states == {"2-2-1": FilingState.APPROVED, "9-9-1": FilingState.SUBMITTED}


def test_one_changed_since_the_approval_page_refuses_them_all(
    reviewer, alice, late_report, other_report
):
    values = posted_values(confirm(reviewer, late_report, other_report).content.decode())
    other = UserFactory(username="dave", role="coordinator")
    services.filing_return(user=other, filing=other_report, reason="보완")
    page = reviewer.post("/review/approve/", values, follow=True).content.decode()
    assert "아무것도 승인하지 않았습니다" in page
    assert set(ProgressReport.objects.values_list("state", flat=True)) == {
        FilingState.SUBMITTED, FilingState.RETURNED,
    }  # fmt: skip


def test_the_approval_page_of_a_changed_one_says_so_and_offers_no_button(
    reviewer, late_report, other_report
):
    stale = f"{late_report.pk}:{late_report.version - 1}"
    response = reviewer.get("/review/approve/confirm/", {"report": [stale]})
    page = response.content.decode()
    assert response.status_code == 409
    assert "아무것도 승인하지 않았습니다" in page and "건 승인</button>" not in page


def test_the_committee_reads_the_queue_but_does_not_approve(client, committee, late_report):
    client.force_login(committee)
    page = client.get("/review/").content.decode()
    assert "2-2-1" in page and "경고" in page
    assert 'type="checkbox" name="report"' not in page and "승인 전 확인" not in page
    assert confirm(client, late_report).status_code == 403
    values = {"report": [f"{late_report.pk}:{late_report.version}"]}
    assert client.post("/review/approve/", values).status_code == 403
    assert ProgressReport.objects.get(pk=late_report.pk).state == FilingState.SUBMITTED


def test_the_export_has_the_filtered_list(reviewer, late_report, other_report):
    import io

    import openpyxl

    response = reviewer.get("/review/?late=on&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    header = next(n for n, row in enumerate(table) if "코드" in row)
    found = [dict(zip(table[header], row, strict=True)) for row in table[header + 1 :]]
    assert [row["코드"] for row in found] == ["2-2-1"]
    row = found[0]
    assert (row["처리 상태"], row["추진상태"], row["지연 일수"], row["대기 일수"]) == (
        "제출", "정상", 6, 4,
    )  # fmt: skip
    assert "증빙자료가 없습니다." in row["확인한 경고"]


def test_a_bad_filter_value_is_named_and_the_rest_still_applies(reviewer, late_report):
    response = reviewer.get("/review/?year=abc&quarter=9&late=on&reports_sort=nope")
    page = response.content.decode()
    assert response.status_code == 200
    assert codes(page) == ["2-2-1"]
    assert page.count('class="field__errors"') == 2  # the year and the quarter
