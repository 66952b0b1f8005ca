"""The coordinator's pages that end a project and add one from a proposal, and where the
project's life shows: its page, the project list, the plan tree, the proposals."""

import re
from datetime import date

import pytest

from projects import services
from projects.choices import Origin, ProjectEnd, ProposalResponse
from projects.models import Project, Proposal
from strategies.models import Task


def text(response) -> str:
    """The page's text as a reader sees it: tags out, blanks collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


END = {"kind": "suspended", "ended_on": "2026-06-30", "reason": "국비 공모 탈락"}


@pytest.fixture
def desk(client, coordinator, plan):
    client.force_login(coordinator)
    return client


def test_the_coordinator_ends_a_project_and_its_page_says_when_and_why(desk, coordinator):
    form = desk.get("/projects/2-2-1/end/").content.decode()
    assert 'name="kind"' in form and 'name="merged_into"' in form
    response = desk.post("/projects/2-2-1/end/apply/", END)
    assert response.status_code == 302
    project = Project.objects.get(code="2-2-1")
    assert (project.end_kind, project.ended_on) == (ProjectEnd.SUSPENDED, date(2026, 6, 30))
    assert project.history.first().history_user == coordinator
    page = text(desk.get("/projects/2-2-1/"))
    assert "2026-06-30 중단: 국비 공모 탈락" in page
    assert "중단 이후" in page  # the quarters after it in the timeline


def test_an_incomplete_end_is_shown_again_with_korean_errors_and_nothing_saved(desk):
    response = desk.post("/projects/2-2-1/end/apply/", {"kind": "merged", "reason": "통합"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "종료일을 입력하세요" in page or "필수 항목" in page
    assert 'value="merged" selected' in page  # what was entered stays
    assert not Project.objects.get(code="2-2-1").is_ended


def test_a_merge_without_a_target_is_refused_in_korean(desk):
    response = desk.post("/projects/2-2-1/end/apply/", END | {"kind": "merged"})
    assert response.status_code == 400
    assert "통합된 사업을 고르세요" in response.content.decode()


def test_a_merged_project_links_to_the_project_it_joined_and_back(desk):
    target = Project.objects.get(code="2-2-2")
    desk.post("/projects/2-2-1/end/apply/", END | {"kind": "merged", "merged_into": target.pk})
    page = text(desk.get("/projects/2-2-1/"))
    assert "통합 → [2-2-2] 산업 데이터 공유·활용 센터 운영" in page
    assert "통합 ← [2-2-1] 광양시 빅데이터 통합 플랫폼 구축 (2026-06-30)" in text(
        desk.get("/projects/2-2-2/")
    )


def test_an_end_entered_by_mistake_is_undone(desk):
    desk.post("/projects/2-2-1/end/apply/", END)
    assert "종료 취소" in desk.get("/projects/2-2-1/end/").content.decode()
    assert desk.post("/projects/2-2-1/end/undo/").status_code == 302
    assert not Project.objects.get(code="2-2-1").is_ended


def test_staff_see_no_end_button(client, alice, plan):
    client.force_login(alice)
    assert "/projects/2-2-1/end/" not in client.get("/projects/2-2-1/").content.decode()


def test_the_project_list_marks_ended_projects_and_filters_them(desk, coordinator):
    services.project_end(
        user=coordinator, project=Project.objects.get(code="2-2-1"),
        kind=ProjectEnd.ABOLISHED, ended_on=date(2025, 12, 31), reason="폐지",
    )  # fmt: skip
    ended = desk.get("/projects/?change=ended").content.decode()
    assert "2-2-1" in ended and "2-2-2" not in ended and "badge--ended" in ended
    assert "2-2-1" not in desk.get("/projects/?change=active").content.decode()
    assert "2-2-1" not in desk.get("/projects/?year=2026").content.decode()
    assert "2-2-1" in desk.get("/projects/?year=2025").content.decode()
    assert "badge--ended" in desk.get("/plan/").content.decode()


@pytest.fixture
def accepted(committee, alice):
    return Proposal.objects.create(
        title="스마트 주차 안내", content="주차장 빈자리 안내", year=2024, proposed_by=committee,
        department=alice.department, response=ProposalResponse.PARTIAL, response_reason="일부 수용",
    )  # fmt: skip


def project_form(alice, **changes):
    return {
        "code": "3-2-9", "name": "스마트 주차 안내", "task": Task.objects.get(code="3-2").pk,
        "lead_department": alice.department.pk, "start_year": 2025, "end_year": 2027,
        "summary": "", "cost_national": 0, "cost_provincial": 0, "cost_city": 300_000_000,
        "cost_private": 0, "cost_other": 0,
    } | changes  # fmt: skip


def test_the_proposals_list_offers_to_add_an_accepted_proposal_as_a_project(desk, accepted):
    page = desk.get("/proposals/").content.decode()
    assert f"/proposals/{accepted.pk}/project/" in page
    form = desk.get(f"/proposals/{accepted.pk}/project/").content.decode()
    assert 'value="스마트 주차 안내"' in form  # the proposal's title is proposed as the name


def test_the_coordinator_adds_a_project_from_a_proposal(desk, accepted, alice):
    response = desk.post(f"/proposals/{accepted.pk}/project/create/", project_form(alice))
    assert response.status_code == 302
    project = Project.objects.get(code="3-2-9")
    assert project.origin == Origin.PROPOSAL and project.proposal == accepted
    page = text(desk.get("/projects/3-2-9/"))
    assert "위원회 제안 ‘스마트 주차 안내’에서 2025년 추가" in page
    proposals = desk.get("/proposals/").content.decode()
    assert 'href="/projects/3-2-9/"' in proposals
    assert f"/proposals/{accepted.pk}/project/" not in proposals
    assert desk.get(f"/proposals/{accepted.pk}/project/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "3-2-1"}, "이 사업 코드는 이미 쓰이고 있습니다"),  # taken
        # A code that is not its task's code and a number (seen saved: "<x>", "2 1 6", and
        # 1-1-9 filed under task 3-2).
        ({"code": "<x>"}, "3-2-1, 3-2-2"),
        ({"code": "2 1 6"}, "전략과제 코드 뒤에 번호를"),
        ({"code": "1-1-9"}, "3-2-1, 3-2-2"),
        ({"code": "3-2-0"}, "3-2-1, 3-2-2"),
        ({"code": "3-2-09"}, "3-2-1, 3-2-2"),  # beside 3-2-9, in a list sorted by code
        ({"code": "3-2-"}, "3-2-1, 3-2-2"),
        ({"start_year": 2030}, "2023"),  # outside the plan's years
        ({"start_year": 2027, "end_year": 2025}, "종료 연도는 시작 연도와 같거나 뒤여야"),
        ({"name": ""}, "필수"),
    ],
)
def test_a_bad_project_is_refused_in_korean_and_nothing_is_saved(
    desk, accepted, alice, changes, message
):
    response = desk.post(
        f"/proposals/{accepted.pk}/project/create/", project_form(alice, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.project is None
    assert not Project.objects.filter(origin=Origin.PROPOSAL).exists()


def test_a_declined_proposal_cannot_become_a_project(desk, accepted, alice):
    accepted.response = ProposalResponse.DECLINE
    accepted.save()
    assert (
        "수용 또는 부분수용한 제안만"
        in desk.get(f"/proposals/{accepted.pk}/project/").content.decode()
    )
    response = desk.post(f"/proposals/{accepted.pk}/project/create/", project_form(alice))
    assert response.status_code == 400
    assert not Project.objects.filter(code="3-2-9").exists()
