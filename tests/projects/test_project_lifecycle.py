"""Projects over the plan's life: an ended project counts up to the quarter it ended in and in
no quarter after; a project added from a committee proposal counts from its start year."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import briefing, selectors, services, workbooks
from projects.choices import FilingState, Origin, ProjectEnd, ProjectStatus, ProposalResponse
from projects.models import ProgressReport, Project, Proposal, ReportingPeriod
from strategies.models import Task

HEADER_ROW = 3


def sheet_codes(content: bytes, name: str) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[name]
    return [row[0].value for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]


def approved(project, user, *, year, quarter, progress=50):
    now = timezone.now()
    return ProgressReport.objects.create(
        project=project, year=year, quarter=quarter, state=FilingState.APPROVED,
        progress=progress, status=ProjectStatus.ON_TRACK, submitted_by=user, submitted_at=now,
        reviewed_by=user, reviewed_at=now,
    )  # fmt: skip


@pytest.fixture
def ended(digital_project, coordinator):
    """2-2-1 (runs 2023–2026), suspended on 2026-06-30 after an approved Q2 report."""
    approved(digital_project, coordinator, year=2026, quarter=2, progress=40)
    return services.project_end(
        user=coordinator, project=digital_project, kind=ProjectEnd.SUSPENDED,
        ended_on=date(2026, 6, 30), reason="국비 공모 탈락",
    )  # fmt: skip


def running_codes(year, quarter):
    plan = selectors.active_plan()
    return set(selectors.running_projects(plan=plan, year=year, quarter=quarter).values_list(
        "code", flat=True
    ))  # fmt: skip


# --- The rule -----------------------------------------------------------------------------------


def test_an_ended_project_counts_in_the_quarter_it_ended_in_and_not_after(ended):
    assert "2-2-1" in running_codes(2026, 2)
    assert "2-2-1" not in running_codes(2026, 3)
    assert ended.counts_in(2026, 2) and not ended.counts_in(2026, 3)


def test_a_project_ended_on_the_first_day_of_a_quarter_does_not_count_in_it(
    digital_project, coordinator
):
    services.project_end(
        user=coordinator, project=digital_project, kind=ProjectEnd.ABOLISHED,
        ended_on=date(2026, 7, 1), reason="폐지",
    )  # fmt: skip
    assert "2-2-1" in running_codes(2026, 2)
    assert "2-2-1" not in running_codes(2026, 3)


def test_the_dashboard_counts_it_before_its_end_and_not_after(ended):
    before = selectors.dashboard(year=2026, quarter=2)
    after = selectors.dashboard(year=2026, quarter=3)
    assert before.running - after.running == 1
    assert before.filed == 1 and before.submission_rate == selectors.rate(1, before.running)
    assert after.filed == 0
    assert "2-2-1" not in {p.code for p in after.not_filed}
    on_track = {value: n for value, _label, n in before.status_counts}[ProjectStatus.ON_TRACK]
    assert on_track == 1


def test_the_progress_rollup_leaves_it_out_after_its_end(ended):
    plan = selectors.active_plan()
    before = selectors.progress_rollup(plan=plan, year=2026, quarter=2)
    after = selectors.progress_rollup(plan=plan, year=2026, quarter=3)
    assert before.projects - after.projects == 1
    assert before.progress > 0 and after.progress == 0


def test_the_status_grid_greys_the_quarters_after_its_end(client, ended, committee):
    client.force_login(committee)
    page = client.get("/dashboard/grid/").content.decode()
    row = page.split('<span class="code">2-2-1</span>', 1)[1].split("</tr>", 1)[0]
    cells = row.split("<td")[1:]
    assert len(cells) == 20  # 2023 Q1 … 2027 Q4
    ended_cells = [n for n, cell in enumerate(cells) if "ended-cell" in cell]
    assert ended_cells == [14, 15]  # 2026 Q3 and Q4: 2-2-1 runs to 2026, ended 2026-06-30
    assert "중단 이후" in cells[14]
    assert "cell--on_track" in cells[13]  # 2026 Q2: its approved report
    other = page.split('<span class="code">1-1-1</span>', 1)[1].split("</tr>", 1)[0]
    assert "ended-cell" not in other
    assert "회색 칸(—)은 사업이 중단·폐지·통합된 뒤의 분기입니다." in page


def test_the_workbook_lists_it_before_its_end_and_not_after(ended):
    before = workbooks.meeting_workbook(year=2026, quarter=2)
    after = workbooks.meeting_workbook(year=2026, quarter=3)
    assert "2-2-1" in sheet_codes(before, "사업현황")
    assert "2-2-1" not in sheet_codes(after, "사업현황")
    assert "2-2-1" not in sheet_codes(before, "미제출")  # filed (approved) for Q2
    assert "2-2-1" not in sheet_codes(after, "미제출")
    assert "2-3-1" in sheet_codes(after, "미제출")


def test_the_pdf_lists_it_before_its_end_and_not_after(ended):
    before = briefing.briefing_context(year=2026, quarter=2)
    after = briefing.briefing_context(year=2026, quarter=3)
    assert "2-2-1" in {p.code for p in before["projects"]}
    assert "2-2-1" not in {p.code for p in after["projects"]}
    assert before["running"] - after["running"] == 1
    assert "2-2-1" not in {p.code for p, _deadline, _late in after["not_filed"]}


def test_earlier_quarters_figures_are_unchanged_by_the_end(digital_project, coordinator):
    approved(digital_project, coordinator, year=2026, quarter=1, progress=30)
    before = selectors.dashboard(year=2026, quarter=1)
    services.project_end(
        user=coordinator, project=digital_project, kind=ProjectEnd.SUSPENDED,
        ended_on=date(2026, 5, 15), reason="중단",
    )  # fmt: skip
    after = selectors.dashboard(year=2026, quarter=1)
    assert (after.running, after.filed, after.rollup.progress) == (
        before.running, before.filed, before.rollup.progress,
    )  # fmt: skip


# --- Filing after the end -----------------------------------------------------------------------


def test_a_report_for_a_quarter_after_the_end_is_refused_in_korean(ended, alice):
    ReportingPeriod.objects.create(
        year=2026, quarter=3, opens_on=date(2026, 7, 1), due_on=date(2099, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.report_save(
            user=alice, project=ended, year=2026, quarter=3, values={"progress": 50},
            results={}, version=None,
        )  # fmt: skip
    assert "2026-06-30에 중단되어 2026년 3분기 실적을 작성할 수 없습니다" in str(refused.value)
    assert not ProgressReport.objects.filter(project=ended, quarter=3).exists()


def test_the_report_of_the_quarter_it_ended_in_stays_readable(client, ended, alice):
    client.force_login(alice)
    page = client.get("/projects/2-2-1/reports/2026/2/")
    assert page.status_code == 200
    after = client.get("/projects/2-2-1/reports/2026/3/")
    assert after.status_code == 200
    assert "중단되어 2026년 3분기 실적을 작성할 수 없습니다" in after.content.decode()
    assert 'name="progress"' not in after.content.decode()


def test_a_plan_for_a_year_after_the_end_is_refused(coordinator, digital_project, alice):
    ended = services.project_end(
        user=coordinator, project=digital_project, kind=ProjectEnd.ABOLISHED,
        ended_on=date(2025, 12, 31), reason="폐지",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="2026년 시행계획을 작성할 수 없습니다"):
        services.plan_save(
            user=alice, project=ended, year=2026, values={"goal": "목표"}, version=None
        )


# --- 내 업무 and /review/missing/ ------------------------------------------------------------


def test_my_work_asks_nothing_for_the_quarters_after_the_end(ended, alice):
    today = timezone.localdate()
    for quarter, opened in ((2, today - timedelta(days=60)), (3, today - timedelta(days=30))):
        ReportingPeriod.objects.create(
            year=2026, quarter=quarter, opens_on=opened, due_on=opened + timedelta(days=20)
        )
    owed = selectors.department_owed(department_id=alice.department_id)
    asked = {(o.code, o.year, o.quarter) for o in owed}
    assert ("2-2-1", 2026, 3) not in asked
    assert not any(code == "2-2-1" and year > 2026 for code, year, _q in asked)


def test_the_missing_page_stops_chasing_an_ended_project(client, ended, coordinator, alice):
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=3, opens_on=today - timedelta(days=30), due_on=today - timedelta(1)
    )
    client.force_login(coordinator)
    page = client.get("/review/missing/").content.decode()
    assert "2-2-1" not in page


# --- Added from a committee proposal ------------------------------------------------------------


@pytest.fixture
def proposal(committee, alice):
    return Proposal.objects.create(
        title="스마트 주차 안내", content="주차장 빈자리 안내", year=2024, proposed_by=committee,
        department=alice.department, response=ProposalResponse.ACCEPT, response_reason="수용",
    )  # fmt: skip


def new_project_values(alice, **changes):
    return {
        "task": Task.objects.get(code="3-2"),
        "code": "3-2-9",
        "name": "스마트 주차 안내",
        "summary": "",
        "lead_department": alice.department,
        "start_year": 2025,
        "end_year": 2027,
        "cost_city": 500_000_000,
    } | changes


def test_a_project_added_from_a_proposal_counts_from_its_start(plan, proposal, coordinator, alice):
    project = services.project_from_proposal(
        user=coordinator, proposal=proposal, values=new_project_values(alice)
    )
    assert project.origin == Origin.PROPOSAL
    proposal.refresh_from_db()
    assert proposal.project == project
    assert "3-2-9" not in running_codes(2024, 4)
    assert "3-2-9" in running_codes(2025, 1)
    before = selectors.progress_rollup(plan=plan, year=2024, quarter=4)
    after = selectors.progress_rollup(plan=plan, year=2025, quarter=1)
    assert "3-2-9" not in {
        p.code for p in briefing.briefing_context(year=2024, quarter=4)["projects"]
    }
    assert after.projects - before.projects >= 1


def test_only_an_accepted_proposal_becomes_a_project(plan, proposal, coordinator, alice):
    proposal.response = ProposalResponse.DECLINE
    proposal.save()
    with pytest.raises(ValidationError, match="수용 또는 부분수용한 제안만"):
        services.project_from_proposal(
            user=coordinator, proposal=proposal, values=new_project_values(alice)
        )
    assert not Project.objects.filter(code="3-2-9").exists()


def test_a_proposal_becomes_one_project_only(plan, proposal, coordinator, alice):
    services.project_from_proposal(
        user=coordinator, proposal=proposal, values=new_project_values(alice)
    )
    with pytest.raises(ValidationError, match="이미 사업으로 반영된 제안입니다"):
        services.project_from_proposal(
            user=coordinator, proposal=proposal, values=new_project_values(alice, code="3-2-8")
        )


def test_only_the_coordinator_adds_or_ends_projects(plan, proposal, alice, digital_project):
    with pytest.raises(PermissionDenied):
        services.project_from_proposal(
            user=alice, proposal=proposal, values=new_project_values(alice)
        )
    with pytest.raises(PermissionDenied):
        services.project_end(
            user=alice, project=digital_project, kind=ProjectEnd.SUSPENDED,
            ended_on=date(2026, 6, 30), reason="중단",
        )  # fmt: skip


# --- Ending: what is refused --------------------------------------------------------------------


def test_an_end_needs_kind_date_and_reason(coordinator, digital_project):
    with pytest.raises(ValidationError) as refused:
        services.project_end(
            user=coordinator, project=digital_project, kind="", ended_on=None, reason=" "
        )
    assert set(refused.value.message_dict) == {"kind", "ended_on", "reason"}
    digital_project.refresh_from_db()
    assert not digital_project.is_ended


def test_a_merge_names_another_running_project(coordinator, digital_project):
    with pytest.raises(ValidationError) as refused:
        services.project_end(
            user=coordinator, project=digital_project, kind=ProjectEnd.MERGED,
            ended_on=date(2026, 6, 30), reason="통합", merged_into=digital_project,
        )  # fmt: skip
    assert "자기 자신" in str(refused.value)
    target = Project.objects.get(code="2-2-2")
    merged = services.project_end(
        user=coordinator, project=digital_project, kind=ProjectEnd.MERGED,
        ended_on=date(2026, 6, 30), reason="유사 사업 통합", merged_into=target,
    )  # fmt: skip
    assert merged.merged_into == target


def test_a_project_is_not_merged_into_one_whose_years_are_over(
    client, coordinator, digital_project
):
    """The 통합된 사업 list offered 3-2-4, which ran to 2024, and finished projects."""
    over = Project.objects.filter(end_year__lt=2025, ended_on__isnull=True).first()
    assert over is not None
    with pytest.raises(ValidationError, match=f"{over.code} 사업은 {over.end_year}년에 끝나"):
        services.project_end(
            user=coordinator, project=digital_project, kind=ProjectEnd.MERGED,
            ended_on=date(2026, 6, 30), reason="통합", merged_into=over,
        )  # fmt: skip
    client.force_login(coordinator)
    page = client.get(f"/projects/{digital_project.code}/end/").content.decode()
    assert f'value="{over.pk}"' not in page
    other = Project.objects.get(code="2-2-2")
    assert f"{other.code} {other.name} ({other.start_year}–{other.end_year})" in page


def test_a_project_stored_before_the_code_rule_can_still_be_ended(coordinator, digital_project):
    """The code rule checks a code when it is given: a project saved with '<x>' before it came
    (the proposal form took any code) is not locked out of being ended."""
    Project.objects.filter(pk=digital_project.pk).update(code="<x>")
    digital_project.refresh_from_db()
    ended = services.project_end(
        user=coordinator, project=digital_project, kind=ProjectEnd.SUSPENDED,
        ended_on=date(2026, 6, 30), reason="중단",
    )  # fmt: skip
    assert ended.is_ended


def test_an_end_outside_the_projects_years_is_refused(coordinator, digital_project):
    with pytest.raises(ValidationError, match="사업 기간"):
        services.project_end(
            user=coordinator, project=digital_project, kind=ProjectEnd.SUSPENDED,
            ended_on=date(2030, 1, 1), reason="중단",
        )  # fmt: skip


def test_an_end_entered_by_mistake_can_be_undone_and_history_keeps_both(ended, coordinator):
    services.project_end_undo(user=coordinator, project=ended)
    ended.refresh_from_db()
    assert not ended.is_ended and ended.counts_in(2026, 3)
    kinds = list(ended.history.order_by("-history_date").values_list("end_kind", flat=True)[:2])
    assert kinds == ["", ProjectEnd.SUSPENDED]
    assert ended.history.first().history_user == coordinator


def test_the_list_finds_a_suspended_project_under_중단_and_its_export_says_so(
    client, ended, committee
):
    """1-2-2, suspended after a 정상 report, was listed under 정상 and not under 중단, and the
    list's Excel said 정상."""
    client.force_login(committee)
    codes = lambda status: [  # noqa: E731
        p.code for p in client.get(f"/projects/?status={status}").context["table"].data
    ]
    assert "2-2-1" in codes(ProjectStatus.DROPPED)
    assert "2-2-1" not in codes(ProjectStatus.ON_TRACK)
    content = client.get(f"/projects/?status={ProjectStatus.DROPPED}&export=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["사업"]
    [row] = [
        r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] == "2-2-1"
    ]
    assert "중단 (2026-06-30)" in row
