"""Every action URL × role → the expected status (the action URLs walked from the URL conf),
and the periods', imports' and actions' refusals; the pages are in test_permission_matrix."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from projects.choices import FilingState
from projects.models import (
    PeriodExtension,
    ProgressReport,
    Proposal,
    ReportingPeriod,
)
from projects.views.transfer import PENDING_IMPORT
from tests.factories import acknowledged_submit
from tests.projects.test_permission_matrix import (
    GET_CASES,
    LOGIN,
    PLAN_CHANGE_PAGES,
    PLAN_SAVE,
    ROLES,
    SAVE,
    as_role,
)
from tests.uploads import reports_template_with_progress


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


def _plan_change_posts(plan_url: str, plan, staff) -> dict:
    """A change request of the (draft) plan, and each of its actions with a post its allowed
    roles would send: each is refused by its service (400), the plan not being approved."""
    from projects.models import PlanChange

    change = PlanChange.objects.create(
        plan=plan, reason="추경", budget_city=1, state=FilingState.SUBMITTED,
        submitted_by=staff, submitted_at=timezone.now(),
    )  # fmt: skip
    url = f"{plan_url}changes/{change.pk}/"
    form = {"kind": "supplementary", "reason": "추경", **PLAN_SAVE}
    return {
        f"{plan_url}changes/create/": lambda: form,
        **{f"{url}{a}/": (lambda: form) for a in ("save", "submit")},
        **{
            f"{url}{a}/": (lambda: {"version": change.version, "reason": "사유"})
            for a in ("approve", "return", "signoff", "signoff-return")
        },  # fmt: skip
        f"{url}comment/": lambda: {"body": "의견"},
        f"{url}withdraw/": lambda: {"version": change.version},  # last: it takes it back
    }


@pytest.fixture
def action_posts(alice, committee, evidence, plan):
    """Every action URL with a post its allowed roles would send (a fresh report, a draft plan,
    a period, a proposal for alice's department)."""
    from projects.models import Department, ImplementationPlan

    submitted = acknowledged_submit(user=alice, filing=evidence.report)
    draft_plan = ImplementationPlan.objects.create(project=submitted.project, year=2026)
    digital = Department.objects.get(code="digital")
    proposal = Proposal.objects.create(
        title="제안", content="내용", year=2026, proposed_by=committee, department=digital
    )
    accepted = Proposal.objects.create(
        title="수용한 제안", content="내용", year=2026, proposed_by=committee, department=digital,
        response="accept", response_reason="수용",
    )  # fmt: skip
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
        **{
            f"/projects/2-2-1/evaluations/2026/{a}/": (
                lambda: {"achievement": "실적", "narrative": "의견", "proposed_grade": "fair"}
            )
            for a in ("save", "submit")
        },
        "/projects/2-2-1/evaluations/2026/return/": lambda: {"reason": "사유"},
        "/projects/2-2-1/evaluations/2026/grade/": lambda: {
            "grade": "fair",
            "grade_comment": "의견",
            "version": 1,
        },
        **_plan_change_posts(plan_url, draft_plan, alice),
        # last: the end makes the report and plan above refuse edits, and the undo takes it back
        "/projects/2-2-1/end/apply/": lambda: {
            "kind": "suspended",
            "ended_on": "2026-06-30",
            "reason": "사유",
        },  # fmt: skip
        "/projects/2-2-1/end/undo/": dict,
        f"/proposals/{accepted.pk}/project/create/": lambda: {
            "code": "3-2-9",
            "name": "새 사업",
            "task": _task_pk("3-2"),
            "lead_department": digital.pk,
            "start_year": 2026,
            "end_year": 2027,
            **{f"cost_{s}": 0 for s in ("national", "provincial", "city", "private", "other")},
        },  # fmt: skip
    }


def _task_pk(code: str) -> int:
    from strategies.models import Task

    return Task.objects.get(code=code).pk


FILERS = {"lead_staff", "coordinator", "admin"}
REVIEWERS = {"coordinator", "admin"}
ALLOWED = {
    # the year-end evaluation (before "return/"): the lead department writes it, the
    # coordinator returns it, the coordinator or the committee grades it
    "evaluations/2026/save/": {"lead_staff"}, "evaluations/2026/submit/": {"lead_staff"},
    "evaluations/2026/return/": REVIEWERS,
    "evaluations/2026/grade/": {"committee", "coordinator", "admin"},
    # the coordinator ends projects and adds them from proposals (before "apply/")
    "end/apply/": REVIEWERS, "end/undo/": REVIEWERS, "project/create/": REVIEWERS,
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


# A plan change's actions: requested by the lead department's staff only (not the
# coordinator, who reviews them).
CHANGE_ALLOWED = {
    "signoff/": {"lead_head"}, "signoff-return/": {"lead_head"},
    "create/": {"lead_staff"}, "save/": {"lead_staff"}, "submit/": {"lead_staff"},
    "withdraw/": {"lead_staff"},
    "approve/": REVIEWERS, "return/": REVIEWERS,
    "comment/": {"lead_staff", "committee", "coordinator", "admin"},
}  # fmt: skip


def allowed_roles(url: str) -> set[str]:
    allowed = CHANGE_ALLOWED if "/changes/" in url else ALLOWED
    return next(roles for end, roles in allowed.items() if url.endswith(end))


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
# by their own tests: evidence downloads (below), the landing page (where each role lands), the
# form that makes a proposal a project (test_permission_matrix: its URL names a proposal)
COVERED_ELSEWHERE = {"attachments/<int:pk>/", "accounts/landing/", "proposals/<int:pk>/project/"}


def test_every_url_of_the_app_has_rows_in_this_matrix(action_posts):
    from django.urls import get_resolver, resolve

    from tests.projects.test_permissions import NOT_OURS, all_patterns

    routes = {
        route
        for route, _view in all_patterns(get_resolver("gwangyang_plan.urls"))
        if not route.startswith(NOT_OURS)
    }
    pages = [*GET_CASES, *(page.format(pk=1) for page in PLAN_CHANGE_PAGES)]
    exercised = {resolve(url.split("?")[0]).route for url in [*pages, *action_posts]}
    assert routes - exercised - COVERED_ELSEWHERE == set()
