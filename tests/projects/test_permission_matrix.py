"""Every page × GET/POST × role → the expected status, and no write by a role that may not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projects import services
from projects.choices import FilingState
from projects.models import (
    Attachment,
    Comment,
    ProgressReport,
    Proposal,
    ReportingPeriod,
)
from tests.factories import UserFactory, acknowledged_submit

ROLES = ["anonymous", "lead_staff", "other_staff", "committee", "coordinator", "admin", "lead_head"]


def as_role(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


READ = 200
LOGIN = 302
GET_CASES = {
    "/projects/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/projects/?export=xlsx": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/projects/2-2-1/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/projects/2-2-1/plans/2026/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/projects/2-2-1/reports/2026/4/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/projects/2-2-1/reports/2026/4/submission/": [LOGIN, READ, 403, 403, READ, READ, 403],
    "/projects/2-2-1/plans/2026/submission/": [LOGIN, READ, 403, 403, READ, READ, 403],
    "/my/": [LOGIN, READ, READ, 403, 403, 403, READ],
    "/review/": [LOGIN, 403, 403, READ, READ, READ, 403],
    "/review/?export=xlsx": [LOGIN, 403, 403, READ, READ, READ, 403],
    "/review/?state=approved&late=on&warned=on&reports_sort=-waiting": [
        LOGIN,
        403,
        403,
        READ,
        READ,
        READ,
        403,
    ],
    "/review/approve/confirm/": [LOGIN, 403, 403, 403, READ, READ, 403],
    "/proposals/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/plan/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/plan/2/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/plan/2-2/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/projects/2-2-1/plans/2026/versions/": [LOGIN, 403, 403, 403, READ, READ, 403],
    "/projects/2-2-1/reports/2026/4/versions/": [LOGIN, 403, 403, 403, READ, READ, 403],
    "/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/dashboard/grid/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/export/workbook.xlsx?year=2026&quarter=4": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/export/briefing.pdf?year=2026&quarter=4": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/import/": [LOGIN, READ, READ, 403, READ, READ, 403],
    "/import/template/reports.xlsx": [LOGIN, READ, READ, 403, READ, READ, 403],
    "/import/template/plan.xlsx": [LOGIN, 403, 403, 403, READ, READ, 403],
    "/public/": [404, 404, 404, 404, 404, 404, 404],
    "/accounts/lockouts/": [LOGIN, 403, 403, 403, READ, READ, 403],
    "/review/missing/": [LOGIN, 403, 403, 403, READ, READ, 403],
    "/review/missing/?log=2&projects=3": [LOGIN, 403, 403, 403, READ, READ, 403],
    "/review/periods/": [LOGIN, 403, 403, 403, READ, READ, 403],
    "/projects/2-2-1/evaluations/2026/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/evaluations/": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/evaluations/?year=2025&sort=-grade": [LOGIN, READ, READ, READ, READ, READ, READ],
    "/projects/2-2-1/end/": [LOGIN, 403, 403, 403, READ, READ, 403],
}


@pytest.mark.parametrize("url", GET_CASES)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_page(client, users, open_period, url, role):
    response = as_role(client, users, role).get(url)
    expected = GET_CASES[url][ROLES.index(role)]
    assert response.status_code == expected, (url, role)
    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/")
    if expected == 403:
        assert "권한이 없습니다" in response.content.decode()
    if expected != READ:
        assert not response.has_header("Content-Disposition"), (url, role)  # no file


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        ("anonymous", "/accounts/login/?next=/accounts/landing/"),
        ("lead_staff", "/my/"),
        ("other_staff", "/my/"),
        ("committee", "/"),
        ("coordinator", "/"),
        ("admin", "/"),
        ("lead_head", "/my/"),  # their queue of filings waiting for sign-off is at its top
    ],
)
def test_where_the_landing_page_after_sign_in_sends_each_role(client, users, role, lands_on):
    response = as_role(client, users, role).get("/accounts/landing/")
    assert (response.status_code, response["Location"]) == (302, lands_on)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_download_evidence(client, users, evidence, role):
    response = as_role(client, users, role).get(f"/attachments/{evidence.pk}/")
    assert response.status_code == (LOGIN if role == "anonymous" else READ)
    if role != "anonymous":
        assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"


SAVE = {"progress": "30", "status": "on_track", **{
    f"spent_{s}": "0" for s in ("national", "provincial", "city", "private", "other")
}}  # fmt: skip


@pytest.mark.parametrize(
    ("role", "expected", "writes"),
    [
        ("anonymous", LOGIN, False),
        ("lead_staff", 302, True),
        ("other_staff", 403, False),
        ("committee", 403, False),
        ("coordinator", 302, True),
        ("admin", 302, True),
        ("lead_head", 403, False),
    ],
)
def test_who_may_save_a_report(client, users, digital_project, open_period, role, expected, writes):
    response = as_role(client, users, role).post("/projects/2-2-1/reports/2026/4/save/", SAVE)
    assert response.status_code == expected
    assert ProgressReport.objects.exists() == writes


PLAN_SAVE = {"goal": "목표", **{
    f"budget_{s}": "0" for s in ("national", "provincial", "city", "private", "other")
}}  # fmt: skip


@pytest.mark.parametrize(
    ("role", "expected", "writes"),
    [
        ("anonymous", LOGIN, False),
        ("lead_staff", 302, True),
        ("other_staff", 403, False),
        ("committee", 403, False),
        ("coordinator", 302, True),
        ("lead_head", 403, False),
    ],
)
def test_who_may_save_a_plan(client, users, digital_project, role, expected, writes):
    response = as_role(client, users, role).post("/projects/2-2-1/plans/2026/save/", PLAN_SAVE)
    assert response.status_code == expected
    from projects.models import ImplementationPlan

    assert ImplementationPlan.objects.exists() == writes


@pytest.fixture
def submitted(alice, digital_project, open_period):
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    return acknowledged_submit(user=alice, filing=report)


@pytest.mark.parametrize("action", ["approve", "return", "reopen"])
@pytest.mark.parametrize("role", ["lead_staff", "other_staff", "committee", "lead_head"])
def test_only_the_coordinator_reviews(client, users, submitted, action, role):
    response = as_role(client, users, role).post(
        f"/projects/2-2-1/reports/2026/4/{action}/", {"reason": "사유"}
    )
    assert response.status_code == 403
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


@pytest.mark.parametrize("action", ["signoff", "signoff-return"])
@pytest.mark.parametrize("role", ROLES)
def test_only_the_lead_departments_head_signs_off(users, alice, digital_project, action, role):
    """With sign-off on, a submission waits for the head: only they sign it off or return it
    (not staff, the committee, the coordinator, an administrator or another head)."""
    alice.department.signoff_required = True
    alice.department.save()
    ReportingPeriod.objects.create(year=2026, quarter=4, opens_on="2026-10-01", due_on="2099-01-15")
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    waiting = acknowledged_submit(user=alice, filing=report)
    users["other_head"] = UserFactory(username="otto", department=users["other_staff"].department,
                                      role="head")  # fmt: skip
    for who in ["other_head", role]:
        response = as_role(Client(), users, who).post(
            f"/projects/2-2-1/reports/2026/4/{action}/",
            {"version": waiting.version, "reason": "사유"},
        )
        state = ProgressReport.objects.get().state
        if who == "lead_head":
            assert response.status_code == 302
            assert state == (FilingState.SUBMITTED if action == "signoff" else FilingState.RETURNED)
        else:
            assert response.status_code == (LOGIN if who == "anonymous" else 403), (who, action)
            assert state == FilingState.SIGNOFF


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_coordinator_approves_from_the_page(client, users, submitted, role):
    response = as_role(client, users, role).post(
        "/projects/2-2-1/reports/2026/4/approve/", {"version": submitted.version}
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().state == FilingState.APPROVED


@pytest.mark.parametrize(
    ("role", "expected"),
    [("lead_staff", 302), ("other_staff", 403), ("committee", 302), ("coordinator", 302),
     ("lead_head", 403)],
)  # fmt: skip
def test_who_may_comment(client, users, submitted, role, expected):
    response = as_role(client, users, role).post(
        "/projects/2-2-1/reports/2026/4/comment/", {"body": "의견입니다"}
    )
    assert response.status_code == expected
    assert Comment.objects.filter(body="의견입니다").exists() == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("lead_staff", 403), ("other_staff", 403), ("committee", 403), ("coordinator", 200),
     ("admin", 200), ("lead_head", 403)],
)  # fmt: skip
def test_who_may_open_the_page_before_a_bulk_approval(client, users, submitted, role, expected):
    response = as_role(client, users, role).get(
        "/review/approve/confirm/", {"report": f"{submitted.pk}:{submitted.version}"}
    )
    assert response.status_code == expected
    if expected == 200:
        assert "1건 승인" in response.content.decode()
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED  # a look approves nothing


@pytest.mark.parametrize(
    ("role", "expected"),
    [("lead_staff", 403), ("committee", 403), ("coordinator", 302), ("admin", 302),
     ("lead_head", 403)],
)  # fmt: skip
def test_who_may_bulk_approve(client, users, submitted, role, expected):
    response = as_role(client, users, role).post(
        "/review/approve/", {"report": [f"{submitted.pk}:{submitted.version}"]}
    )
    assert response.status_code == expected
    approved = ProgressReport.objects.get().state == FilingState.APPROVED
    assert approved == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("lead_staff", 403), ("other_staff", 403), ("committee", 302), ("coordinator", 302)],
)
def test_who_may_propose(client, users, plan, role, expected):
    from projects.models import Department

    response = as_role(client, users, role).post(
        "/proposals/new/",
        {
            "title": "새 제안",
            "content": "내용",
            "year": 2026,
            "department": Department.objects.get(code="digital").pk,
        },
    )
    assert response.status_code == expected
    assert Proposal.objects.filter(title="새 제안").exists() == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("lead_staff", 302), ("other_staff", 403), ("committee", 403), ("coordinator", 302)],
)
def test_only_the_assigned_department_answers_a_proposal(client, users, committee, role, expected):
    from projects.models import Department

    proposal = Proposal.objects.create(
        title="제안", content="내용", year=2026, proposed_by=committee,
        department=Department.objects.get(code="digital"),
    )  # fmt: skip
    response = as_role(client, users, role).post(
        f"/proposals/{proposal.pk}/answer/",
        {"response": "accept", "response_reason": "반영하겠습니다"},
    )  # fmt: skip
    assert response.status_code == expected
    proposal.refresh_from_db()
    assert (proposal.response == "accept") == (expected == 302)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_form_that_makes_a_proposal_a_project(client, users, committee, role):
    from projects.models import Department

    proposal = Proposal.objects.create(
        title="제안", content="내용", year=2026, proposed_by=committee, response="accept",
        response_reason="수용", department=Department.objects.get(code="digital"),
    )  # fmt: skip
    response = as_role(client, users, role).get(f"/proposals/{proposal.pk}/project/")
    expected = [LOGIN, 403, 403, 403, READ, READ, 403][ROLES.index(role)]
    assert response.status_code == expected
    if expected == 403:
        assert "권한이 없습니다" in response.content.decode()


def test_an_upload_by_another_department_is_refused(client, bob, evidence):
    client.force_login(bob)
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post("/projects/2-2-1/reports/2026/4/attachments/", {"file": upload})
    assert response.status_code == 403
    assert Attachment.objects.count() == 1


def test_a_detach_by_another_department_is_refused(client, bob, evidence):
    client.force_login(bob)
    response = client.post(f"/projects/2-2-1/reports/2026/4/attachments/{evidence.pk}/delete/")
    assert response.status_code == 403
    assert Attachment.objects.filter(pk=evidence.pk).exists()


def test_a_bulk_approval_with_one_stale_item_approves_nothing(client, users, submitted, plan):
    from projects.models import ImplementationPlan

    draft = ImplementationPlan.objects.create(project=submitted.project, year=2026)
    client.force_login(users["coordinator"])
    response = client.post(
        "/review/approve/",
        {"report": [f"{submitted.pk}:{submitted.version}"], "plan": [f"{draft.pk}:1"]},
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED
    assert "아무것도 승인하지 않았습니다" in client.get("/review/").content.decode()


def test_a_bulk_approval_with_nothing_ticked_asks_to_choose(client, users, submitted):
    client.force_login(users["coordinator"])
    response = client.post("/review/approve/", {}, follow=True)
    page = response.content.decode()
    assert "승인할 문서를 하나 이상 고르세요" in page
    assert "0건을 승인했습니다" not in page
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


# A plan change's pages (변경계획): with an approved 2026 plan of 2-2-1 and a request for it.
PLAN_CHANGE_PAGES = {
    "/projects/2-2-1/plans/2026/changes/new/": [LOGIN, READ, 403, 403, 403, 403, 403],
    "/projects/2-2-1/plans/2026/changes/{pk}/": [LOGIN, READ, READ, READ, READ, READ, READ],
}


@pytest.mark.parametrize("page", PLAN_CHANGE_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_plan_change_pages(client, users, approved_plan, page, role):
    from projects.models import PlanChange

    returned = PlanChange.objects.create(
        plan=approved_plan, reason="추경", budget_city=1, state=FilingState.RETURNED,
        submitted_by=users["lead_staff"], submitted_at="2026-01-02T00:00+09:00",
        reviewed_by=users["coordinator"], reviewed_at="2026-01-03T00:00+09:00",
        review_comment="보완",
    )  # fmt: skip
    response = as_role(client, users, role).get(page.format(pk=returned.pk))
    expected = PLAN_CHANGE_PAGES[page][ROLES.index(role)]
    assert response.status_code == expected, (page, role)
    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/")
    if expected == 403:
        assert "권한이 없습니다" in response.content.decode()
