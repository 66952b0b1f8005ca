"""Every page × GET/POST × role → the expected status, and no write by a role that may not."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projects import services
from projects.choices import FilingState
from projects.models import (
    Attachment,
    Comment,
    PeriodExtension,
    ProgressReport,
    Proposal,
    ReportingPeriod,
)
from projects.views.transfer import PENDING_IMPORT
from tests.factories import UserFactory, acknowledged_submit
from tests.uploads import reports_template_with_progress

ROLES = ["anonymous", "lead_staff", "other_staff", "committee", "coordinator", "admin", "lead_head"]


@pytest.fixture
def users(alice, bob, committee, coordinator):
    from projects.choices import Role

    return {
        "lead_head": UserFactory(username="dana", department=alice.department, role=Role.HEAD),
        "anonymous": None,
        "lead_staff": alice,
        "other_staff": bob,
        "committee": committee,
        "coordinator": coordinator,
        "admin": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def evidence(alice, digital_project, open_period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    upload = SimpleUploadedFile("근거.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    return services.attachment_add(user=alice, filing=report, upload=upload)


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


@pytest.fixture
def period_posts(alice, open_period, past_period):
    """Each reporting-period form of the review page as it posts, and how to tell it worked."""
    ReportingPeriod.objects.filter(pk=past_period.pk).update(closed=True)
    due_on = open_period.due_on + timedelta(days=10)
    extend = {
        "department": alice.department_id, "due_on": due_on.isoformat(), "reason": "전산 장애",
    }  # fmt: skip
    return {
        "close": (
            f"/review/periods/{open_period.pk}/close/",
            {},
            lambda: ReportingPeriod.objects.get(pk=open_period.pk).closed,
        ),
        "open": (
            f"/review/periods/{past_period.pk}/open/",
            {},
            lambda: not ReportingPeriod.objects.get(pk=past_period.pk).closed,
        ),
        "extend": (
            f"/review/periods/{open_period.pk}/extend/",
            extend,
            lambda: PeriodExtension.objects.filter(
                period=open_period, department=alice.department, due_on=due_on
            ).exists(),
        ),
    }


@pytest.mark.parametrize("action", ["close", "open", "extend"])
@pytest.mark.parametrize(
    ("role", "expected", "writes"),
    [
        ("anonymous", LOGIN, False),
        ("lead_staff", 403, False),
        ("committee", 403, False),
        ("coordinator", 302, True),
        ("admin", 302, True),
        ("lead_head", 403, False),
    ],
)
def test_only_the_coordinator_runs_the_reporting_periods(
    client, users, period_posts, action, role, expected, writes
):
    url, data, worked = period_posts[action]
    response = as_role(client, users, role).post(url, data)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    assert worked() == writes


@pytest.fixture
def pending_import(alice, open_period, plan, settings, tmp_path):
    """A reports template with 2-2-1's progress changed, previewed by alice: the file, and the
    name her preview stored it under for `apply`."""
    settings.MEDIA_ROOT = tmp_path
    staff = Client()
    staff.force_login(alice)
    content = reports_template_with_progress(staff)
    upload = SimpleUploadedFile("filled.xlsx", content)
    assert staff.post("/import/preview/", {"file": upload}).status_code == 200
    return content, staff.session[PENDING_IMPORT]


@pytest.mark.parametrize("action", ["preview", "apply"])
@pytest.mark.parametrize(("role", "expected"), [("anonymous", LOGIN), ("committee", 403)])
def test_who_may_not_import(client, users, pending_import, action, role, expected):
    content, pending = pending_import
    client = as_role(client, users, role)
    session = client.session
    session[PENDING_IMPORT] = pending  # so that an unguarded apply would have a file to write
    session.save()
    data = {"pending": pending}  # as the preview page's form posts it
    if action == "preview":
        data["file"] = SimpleUploadedFile("filled.xlsx", content)
    response = client.post(f"/import/{action}/", data)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    assert not ProgressReport.objects.exists()
    assert default_storage.listdir("imports")[1] == [pending.removeprefix("imports/")]


@pytest.fixture
def action_posts(alice, committee, evidence, plan):
    """Every action URL with a post its allowed roles would send (a fresh report, a draft plan,
    a period, a proposal for alice's department)."""
    from projects.models import Department, ImplementationPlan

    submitted = acknowledged_submit(user=alice, filing=evidence.report)
    ImplementationPlan.objects.create(project=submitted.project, year=2026)
    digital = Department.objects.get(code="digital")
    proposal = Proposal.objects.create(
        title="제안", content="내용", year=2026, proposed_by=committee, department=digital
    )
    period = ReportingPeriod.objects.get(year=2026, quarter=4)
    report = "/projects/2-2-1/reports/2026/4/"
    plan_url = "/projects/2-2-1/plans/2026/"
    pdf = lambda: SimpleUploadedFile("e.pdf", b"%PDF-1.4 e", content_type="application/pdf")  # noqa: E731
    return {
        **{f"{report}{a}/": (lambda: SAVE) for a in ("save", "submit")},
        **{f"{plan_url}{a}/": (lambda: PLAN_SAVE) for a in ("save", "submit")},
        **{
            f"{url}{a}/": (lambda: {"version": submitted.version})
            for url in (report, plan_url)
            for a in ("confirm", "withdraw")
        },  # fmt: skip
        **{
            f"{url}{a}/": (lambda: {"reason": "사유"})
            for url in (report, plan_url)
            for a in ("approve", "return", "reopen", "signoff", "signoff-return")
        },  # fmt: skip
        **{f"{url}comment/": (lambda: {"body": "의견"}) for url in (report, plan_url)},
        f"{report}attachments/": lambda: {"file": pdf()},
        f"{report}attachments/{evidence.pk}/delete/": dict,
        "/review/approve/": lambda: {"report": [f"{submitted.pk}:{submitted.version}"]},
        f"/review/periods/{period.pk}/close/": dict,
        f"/review/periods/{period.pk}/open/": dict,
        f"/review/periods/{period.pk}/extend/": lambda: {
            "department": digital.pk,
            "due_on": "2027-02-01",
            "reason": "사유",
        },  # fmt: skip
        "/proposals/new/": lambda: {
            "title": "새 제안",
            "content": "내용",
            "year": 2026,
            "department": digital.pk,
        },  # fmt: skip
        f"/proposals/{proposal.pk}/answer/": lambda: {
            "response": "accept",
            "response_reason": "반영",
        },  # fmt: skip
        "/accounts/lockouts/unlock/": lambda: {"username": "nobody"},
        f"/review/missing/{period.pk}/chase/": dict,
        f"/review/missing/{period.pk}/departments/{digital.pk}/chase/": dict,
        "/review/periods/new/": lambda: {
            "year": 2027,
            "quarter": 1,
            "opens_on": "2027-02-01",
            "due_on": "2027-04-15",
        },  # fmt: skip
        f"/review/periods/{period.pk}/dates/": lambda: {
            "opens_on": "2027-02-01",
            "due_on": "2027-04-15",
        },  # fmt: skip
        "/import/preview/": lambda: {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
        "/import/apply/": lambda: {"pending": "imports/none.xlsx"},
        "/session/keep-alive/": dict,
    }


FILERS = {"lead_staff", "coordinator", "admin"}
REVIEWERS = {"coordinator", "admin"}
ALLOWED = {
    # the head of the lead department (before "return/", which "signoff-return/" ends with)
    "signoff/": {"lead_head"}, "signoff-return/": {"lead_head"},
    "chase/": REVIEWERS, "periods/new/": REVIEWERS, "dates/": REVIEWERS, "unlock/": REVIEWERS,
    "save/": FILERS, "submit/": FILERS, "attachments/": FILERS, "delete/": FILERS,
    "confirm/": FILERS,
    # the submitter or their department; the coordinator returns what others submitted
    "withdraw/": {"lead_staff"},
    "approve/": REVIEWERS, "return/": REVIEWERS, "reopen/": REVIEWERS, "close/": REVIEWERS,
    "open/": REVIEWERS, "extend/": REVIEWERS,
    "comment/": {"lead_staff", "committee", "coordinator", "admin"},
    "new/": {"committee", "coordinator", "admin"},
    "answer/": FILERS,
    "preview/": {"lead_staff", "other_staff", "coordinator", "admin"},
}  # fmt: skip
ALLOWED["apply/"] = ALLOWED["preview/"]
ALLOWED["keep-alive/"] = set(ROLES) - {"anonymous"}  # every reader: a form may be open


def allowed_roles(url: str) -> set[str]:
    return next(roles for end, roles in ALLOWED.items() if url.endswith(end))


@pytest.mark.parametrize("role", ROLES)
def test_every_action_url_by_every_role(client, users, action_posts, role, settings, tmp_path):
    """Anonymous visitors are sent to sign in; a role that may not act gets 403 in Korean; one
    that may gets past the check (a redirect, or the page again with what is wrong)."""
    settings.MEDIA_ROOT = tmp_path
    as_role(client, users, role)
    for url, data in action_posts.items():
        response = client.post(url, data())
        if role == "anonymous":
            assert response.status_code == LOGIN, url
            assert response["Location"].startswith("/accounts/login/"), url
        elif role in allowed_roles(url):
            status = response.status_code
            assert status in (200, 204, 302, 400, 409), (url, role, status)
        else:
            assert response.status_code == 403, (url, role)
            assert "권한이 없습니다" in response.content.decode()


@pytest.mark.parametrize("url", ["/review/", "/proposals/", "/import/", "/plan/"])
def test_a_get_to_an_action_url_or_a_post_to_a_page_is_refused(client, users, url):
    as_role(client, users, "coordinator")
    assert client.post(url).status_code == 405
    assert client.get("/review/approve/").status_code == 405


@pytest.mark.parametrize(
    "url",
    ["/review/periods/abc/close/", "/proposals/x/answer/", "/projects/2-2-1/reports/2026/x/save/"],
)
def test_a_non_numeric_id_in_an_action_url_is_404(client, users, plan, url):
    as_role(client, users, "coordinator")
    assert client.post(url).status_code == 404


def test_closing_and_reopening_a_period_say_which_happened(client, users, open_period):
    client.force_login(users["coordinator"])
    page = client.post(f"/review/periods/{open_period.pk}/close/", follow=True)
    assert "보고 기간을 마감했습니다" in page.content.decode()
    page = client.post(f"/review/periods/{open_period.pk}/open/", follow=True)
    assert "보고 기간을 다시 열었습니다" in page.content.decode()


# Routes whose matrix rows are their own test above (the evidence download).
# by their own tests: evidence downloads (below), the landing page (where each role lands)
COVERED_ELSEWHERE = {"attachments/<int:pk>/", "accounts/landing/"}


def test_every_url_of_the_app_has_rows_in_this_matrix(action_posts):
    from django.urls import get_resolver, resolve

    from tests.projects.test_permissions import NOT_OURS, all_patterns

    routes = {
        route
        for route, _view in all_patterns(get_resolver("gwangyang_plan.urls"))
        if not route.startswith(NOT_OURS)
    }
    exercised = {resolve(url.split("?")[0]).route for url in [*GET_CASES, *action_posts]}
    assert routes - exercised - COVERED_ELSEWHERE == set()
