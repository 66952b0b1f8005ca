"""The committee dashboard: every figure checked against a small story computed by hand."""

from decimal import Decimal

import pytest
from django.utils import timezone

from projects import briefing, selectors, workbooks
from projects.choices import FilingState, ProjectStatus
from projects.models import (
    ImplementationPlan,
    IndicatorResult,
    IndicatorTarget,
    ProgressReport,
    Project,
)
from strategies.models import Phase, Task
from tests.factories import acknowledged_submit
from tests.projects.test_briefing import pdftotext, require_weasyprint
from tests.projects.test_workbook import load
from tests.projects.test_workbook import rows as sheet_rows

URL = "/?year=2026&quarter=2"


def report(code, user, *, year, quarter, state=FilingState.APPROVED, **fields):
    now = timezone.now()
    stamps = {"submitted_by": user, "submitted_at": now}
    if state == FilingState.APPROVED:
        stamps |= {"reviewed_by": user, "reviewed_at": now}
    if fields.get("status") in (ProjectStatus.DELAYED, ProjectStatus.AT_RISK):
        fields |= {"problems": "문제", "countermeasures": "대책"}
    return ProgressReport.objects.create(
        project=Project.objects.get(code=code), year=year, quarter=quarter, state=state,
        **stamps, **fields,
    )  # fmt: skip


@pytest.fixture
def story(plan, coordinator):
    """2026 Q2, with everything else empty:

    A 2-2-1 (weight 1): approved Q2, 60%, 정상; city 30M and national 60M spent of an
       approved plan of city 100M and national 300M; 개방 데이터셋 수 150 of a 300 target.
    B 2-2-2 (weight 3): approved Q1 at 20% 부진; Q2 submitted at 40%, not yet approved.
    C 2-2-3 (ended 2025): approved 2025 Q4 at 100% 완료.
    D 2-3-3 (weight 1): approved Q2, 30%, 지연; 건물 온실가스 배출량 5000 against 4300
       (lower is better); its plan (city 50M) is only submitted, so not counted.
    """
    user = coordinator
    ImplementationPlan.objects.create(
        project=Project.objects.get(code="2-2-1"), year=2026, state=FilingState.APPROVED,
        budget_city=100_000_000, budget_national=300_000_000, submitted_by=user,
        submitted_at=timezone.now(), reviewed_by=user, reviewed_at=timezone.now(),
    )  # fmt: skip
    ImplementationPlan.objects.create(
        project=Project.objects.get(code="2-3-3"), year=2026, state=FilingState.SUBMITTED,
        budget_city=50_000_000, submitted_by=user, submitted_at=timezone.now(),
    )  # fmt: skip
    report("2-2-1", user, year=2026, quarter=1, progress=50, spent_city=10_000_000)
    a = report("2-2-1", user, year=2026, quarter=2, progress=60, status=ProjectStatus.ON_TRACK,
               spent_city=30_000_000, spent_national=60_000_000)  # fmt: skip
    IndicatorResult.objects.create(
        report=a, indicator=a.project.indicators.get(name="개방 데이터셋 수"), value=150
    )
    Project.objects.filter(code="2-2-2").update(weight=3)
    report("2-2-2", user, year=2026, quarter=1, progress=20, status=ProjectStatus.AT_RISK)
    report("2-2-2", user, year=2026, quarter=2, progress=40, state=FilingState.SUBMITTED)
    report("2-2-3", user, year=2025, quarter=4, progress=100, status=ProjectStatus.COMPLETED)
    d = report("2-3-3", user, year=2026, quarter=2, progress=30, status=ProjectStatus.DELAYED)
    IndicatorResult.objects.create(
        report=d, indicator=d.project.indicators.get(name="건물 온실가스 배출량"), value=5000
    )
    return {"2-2-1": 60, "2-2-2": 20, "2-2-3": 100, "2-3-3": 30}


@pytest.fixture
def reader(client, committee):
    client.force_login(committee)
    return client


def test_progress_rolls_up_by_weight(story):
    d = selectors.dashboard(year=2026, quarter=2)
    direction = d.rollup.children[1]
    tasks = {t.obj.code: t.progress for t in direction.children}
    assert tasks == {"2-1": 0, "2-2": Decimal(60 + 3 * 20 + 100) / 5, "2-3": Decimal(30) / 3}
    assert direction.progress == (Decimal(44) + Decimal(10)) / 3
    assert d.rollup.progress == Decimal(18) / 4


def test_task_weights_change_the_roll_up(story):
    Task.objects.filter(code="2-2").update(weight=2)
    d = selectors.dashboard(year=2026, quarter=2)
    assert d.rollup.children[1].progress == (2 * Decimal(44) + 10) / 4
    assert d.rollup.progress == Decimal("24.5") / 4


def test_the_page_shows_the_roll_up(reader, story):
    page = reader.get(URL).content.decode()
    assert "2026년 2분기 추진현황" in page
    assert ">4.5%</text>" in page  # the plan's gauge
    assert ">18.0%</text>" in page  # direction 2
    assert '<td class="num">44.0%</td>' in page  # task 2-2
    assert '<td class="num">10.0%</td>' in page  # task 2-3


def test_status_counts_and_their_links(reader, story):
    d = selectors.dashboard(year=2026, quarter=2)
    counts = {key: n for key, _label, n in d.status_counts}
    assert d.running == 23
    assert counts == {
        "not_started": 0, "on_track": 1, "delayed": 1, "at_risk": 0, "completed": 0,
        "on_hold": 0, "dropped": 0, "": 21,
    }  # fmt: skip
    page = reader.get(URL).content.decode()
    assert 'status=on_track">정상 <strong>1</strong>' in page
    assert 'status=none">승인된 실적 없음 <strong>21</strong>' in page
    listed = reader.get("/projects/?period=2026-2&status=delayed").content.decode()
    assert "사업 1건" in listed and ">2-3-3</a>" in listed
    assert "사업 21건" in reader.get("/projects/?period=2026-2&status=none").content.decode()


def test_submission_rate_and_who_has_not_submitted(reader, story):
    d = selectors.dashboard(year=2026, quarter=2)
    assert (d.filed, d.running) == (3, 23)
    assert d.submission_rate == Decimal(300) / 23
    digital = next(row for row in d.departments if row["name"] == "디지털산업과")
    assert (digital["running"], digital["filed"], digital["missing"]) == (6, 2, 4)
    assert d.not_filed_total == 20
    assert "2-2-1" not in {p.code for p in d.not_filed}
    page = reader.get(URL).content.decode()
    assert "(3/23)" in page and "미제출 사업 20건" in page
    listed = reader.get("/projects/?period=2026-2&filed=no").content.decode()
    assert "사업 20건" in listed


def test_budget_execution_by_source_counts_approved_plans_only(reader, story):
    d = selectors.dashboard(year=2026, quarter=2)
    rows = {key: (budget, spent, rate) for key, _l, budget, spent, rate in d.budget}
    assert rows["national"] == (300_000_000, 60_000_000, Decimal(20))
    assert rows["city"] == (100_000_000, 30_000_000, Decimal(30))
    assert rows["provincial"] == (0, 0, None)
    assert rows["total"] == (400_000_000, 90_000_000, Decimal("22.5"))
    page = reader.get(URL).content.decode()
    assert '<td class="num">300.0</td>' in page and '<td class="num">22.5%</td>' in page


def test_spending_without_an_approved_plan_is_shown_but_not_counted_in_any_rate(story):
    """2-3-3's plan is only submitted: its approved report's 40M spent stood against no
    budget, and made a task's 집행률 287% on the committee's handout."""
    ProgressReport.objects.filter(project__code="2-3-3").update(spent_city=40_000_000)
    d = selectors.dashboard(year=2026, quarter=2)
    rows = {key: (budget, spent) for key, _l, budget, spent, _rate in d.budget}
    assert rows["city"] == (100_000_000, 30_000_000)  # 2-2-1's alone
    task = Task.objects.get(code="2-3")
    assert selectors.task_totals(plan=task.direction.plan, year=2026, quarter=2)[task.pk][
        "spent"
    ] == 0  # fmt: skip
    direction = task.direction  # 2: 2-2-1's 90M of 400M, and 2-3-3's 40M of no budget
    scope = Project.objects.filter(task__direction=direction)
    points = selectors.trend(
        plan=direction.plan, projects=scope, rollup=("direction", direction.pk)
    )
    [point] = [p for p in points if (p.year, p.quarter) == (2026, 2)]
    assert point.execution == Decimal("22.5")
    budget = sheet_rows(load(workbooks.meeting_workbook(year=2026, quarter=2))["예산"])
    shown = [r for r in budget if r["코드"] == "2-3-3"]
    assert [(r["재원"], r["집행 (백만원)"]) for r in shown] == [("시비 (계획 미승인)", 40_000_000)]
    assert budget[-1]["재원"] == "합계 (계획 미승인 제외)"
    assert budget[-1]["집행 (백만원)"] == 90_000_000


def test_spending_left_out_of_the_rate_is_named_with_its_amount_everywhere(reader, story, tmp_path):
    """The dashboard, the PDF and the workbook's 요약 say which projects' spending 집행률 leaves
    out, and how much: a reader adding up the projects' spending otherwise finds a gap."""
    ProgressReport.objects.filter(project__code="2-3-3").update(spent_city=40_000_000)
    note = "2026년 시행계획이 승인되지 않은 사업 1개(2-3-3)의 집행 40.0백만원은"
    assert note in reader.get(URL).content.decode()
    summary = load(workbooks.meeting_workbook(year=2026, quarter=2))["요약"]
    assert any(note in str(cell.value) for row in summary.iter_rows() for cell in row if cell.value)
    require_weasyprint()
    text = pdftotext(briefing.briefing_pdf(year=2026, quarter=2), tmp_path, "-raw")
    assert note.replace(" ", "") in text.replace(" ", "").replace("\n", "")


def test_nothing_is_said_when_every_project_spending_has_its_budget(reader, story):
    assert "견줄 예산이 없어" not in reader.get(URL).content.decode()


def test_indicator_achievement_respects_lower_is_better(reader, story):
    d = selectors.dashboard(year=2026, quarter=2)
    with_target = IndicatorTarget.objects.filter(year=2026).count()
    assert d.indicators["with_target"] == with_target
    assert d.indicators["reported"] == 2
    assert d.indicators["average"] == pytest.approx(Decimal(68))  # (150/300 + 4300/5000) / 2
    assert (d.indicators["met"], d.indicators["fair"], d.indicators["short"]) == (0, 1, 1)
    assert [(i.name, round(i.rate, 1)) for i in d.weakest] == [
        ("개방 데이터셋 수", Decimal("50.0")),
        ("건물 온실가스 배출량", Decimal("86.0")),
    ]
    page = reader.get(URL).content.decode()
    assert ">68.0%</text>" in page


def test_phases_roll_up_their_projects(story):
    d = selectors.dashboard(year=2026, quarter=2)
    for row in d.phases:
        projects = list(Project.objects.filter(phases=row["phase"]))
        weight = sum(p.weight for p in projects)
        expected = sum(p.weight * story.get(p.code, 0) for p in projects) / weight
        assert row["progress"] == pytest.approx(expected), row["phase"]
        assert row["projects"] == len(projects)
    assert len(d.phases) == Phase.objects.count()


def test_the_grid_shows_each_projects_quarters(reader, story):
    d = selectors.dashboard(year=2026, quarter=2)
    assert not d.grid.by_task
    assert len(d.grid.quarters) == 20  # 2023 Q1 … 2027 Q4
    row = next(cells for _name, code, cells in d.grid.rows if code == "2-2-2")
    q1, q2 = row[d.grid.quarters.index((2026, 1))], row[d.grid.quarters.index((2026, 2))]
    assert (q1.state, q1.status) == (FilingState.APPROVED, ProjectStatus.AT_RISK)
    assert q2.state == FilingState.SUBMITTED


def test_each_grid_cell_opens_the_projects_report_of_that_quarter(reader, story):
    page = reader.get(URL).content.decode()
    approved = f"{ProjectStatus.AT_RISK.label} · {FilingState.APPROVED.label}"
    assert f'<a href="/projects/2-2-2/reports/2026/1/" title="{approved}">' in page
    assert '<a href="/projects/2-2-1/reports/2026/2/"' in page
    assert reader.get("/projects/2-2-2/reports/2026/1/").status_code == 200


def test_the_meeting_pdf_and_a_print_button_sit_beside_the_workbook(reader, plan):
    page = reader.get(URL).content.decode()
    link = '<a class="krds-btn secondary medium" href="/export/briefing.pdf?year=2026&amp;'
    assert f'{link}quarter=2">회의자료 PDF</a>' in page
    # The print button works through static/js/print.js (no inline script), and is hidden
    # until that script shows it: without script the browser's own print command remains.
    assert "data-print hidden>인쇄</button>" in page
    assert '<script src="/static/js/print.js" defer></script>' in page


def test_a_period_without_reports_shows_zeros_not_errors(reader, plan):
    response = reader.get("/?year=2027&quarter=4")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027년 4분기 추진현황" in page
    assert ">0.0%</text>" in page
    assert "승인된 지표 실적이 없습니다" in page
    # No budget and no indicator result: a dash, not a bare "%" with no number in front.
    assert ">—</text>" in page
    assert ">%</text>" not in page
    # The picker shows the quarter on the page, not the first of the calendar's
    picker = page.split('id="period"')[1].split("</select>")[0]
    assert '<option value="2027-4" selected>2027년 4분기</option>' in picker
    assert picker.count(" selected") == 1


def test_the_default_period_is_the_latest_one_already_due(reader, open_period, past_period):
    assert "2026년 3분기 추진현황" in reader.get("/").content.decode()


@pytest.mark.parametrize("query", ["year=abcd&quarter=9", "period=2026-7", "year=99999&quarter=1"])
def test_a_bad_period_in_the_address_falls_back_instead_of_failing(reader, plan, query):
    assert reader.get(f"/?{query}").status_code == 200


def test_definitions_are_on_the_page(reader, plan):
    page = reader.get("/").content.decode()
    for term in ("진척률", "집행률", "달성률", "제출률"):
        assert f"<dt>{term}</dt>" in page


def test_achievement_is_capped_at_999_and_unreported_indicators_stay_unscored(story):
    project = Project.objects.get(code="2-2-2")
    indicator = project.indicators.get()
    target = indicator.targets.get(year=2026).value
    approved_q1 = ProgressReport.objects.get(project=project, year=2026, quarter=1)
    IndicatorResult.objects.create(report=approved_q1, indicator=indicator, value=target * 20)
    d = selectors.dashboard(year=2026, quarter=2)
    rates = {i.name: i.rate for i in d.weakest}
    assert rates["데이터 활용 기업 수"] == 999
    assert d.indicators["reported"] == 3  # the others, with no value, are not scored at all


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): write()`: what the write's commit runs (it moves the data version)
    runs at the end of the block; a test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_dashboard_is_cached_until_something_changes(reader, story, committed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        reader.get(URL)
    with CaptureQueriesContext(connection) as second:
        page = reader.get(URL).content.decode()
    assert len(second) < len(first) - 10  # served from the cache
    assert 'status=delayed">지연 <strong>1</strong>' in page
    report = ProgressReport.objects.get(project__code="2-3-3", year=2026, quarter=2)
    report.status = ProjectStatus.AT_RISK
    with committed():
        report.save()  # any committed change moves the data version: the figures are new
    page = reader.get(URL).content.decode()
    assert 'status=delayed">지연 <strong>0</strong>' in page
    assert 'status=at_risk">부진 <strong>1</strong>' in page


def test_a_new_draft_and_its_submission_show_on_the_cached_dashboard_at_once(
    reader, alice, digital_project, open_period, committed
):
    from projects import services

    url = "/?year=2026&quarter=4"

    def not_filed(page):
        return page.split("미제출 사업")[1].split("</ul>")[0]

    assert "2-2-1 " in not_filed(reader.get(url).content.decode())
    with committed():
        report = services.report_save(
            user=alice, project=digital_project, year=2026, quarter=4, version=None,
            values={"progress": 10, "status": ProjectStatus.ON_TRACK}, results={},
        )  # fmt: skip
    assert "작성중" in reader.get(url).content.decode()  # 미작성 → 작성중
    with committed():
        acknowledged_submit(user=alice, filing=report, version=report.version)
    assert "2-2-1 " not in not_filed(reader.get(url).content.decode())


def test_a_deadline_extension_shows_on_the_cached_dashboard_at_once(
    reader, coordinator, alice, past_period, committed
):
    from datetime import timedelta

    from projects import services

    url = "/?year=2026&quarter=3"
    late = reader.get(url).content.decode().count("badge badge--late")
    assert late >= 1  # the period was due yesterday: every department is late
    with committed():
        services.extension_grant(
            user=coordinator, period=past_period, department=alice.department,
            due_on=timezone.localdate() + timedelta(days=7), reason="시스템 교체",
        )  # fmt: skip
    assert reader.get(url).content.decode().count("badge badge--late") == late - 1


def test_a_report_not_yet_approved_shows_its_state_but_not_its_status(reader, story):
    """The dashboard shows approved content only; a draft's status may still change."""
    ProgressReport.objects.filter(project__code="2-2-2", year=2026, quarter=2).update(
        status=ProjectStatus.DELAYED, problems="문제", countermeasures="대책"
    )
    page = reader.get(URL).content.decode()
    submitted = FilingState.SUBMITTED.label
    cell = f'cell--submitted"><a href="/projects/2-2-2/reports/2026/2/" title="{submitted}">'
    assert cell in page
    assert f"{ProjectStatus.DELAYED.label} · {submitted}" not in page
