"""The plan change pages: requesting a change of an approved plan, reviewing it, and 당초 → 변경
on the plan and project pages."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects import services
from projects.choices import FilingState
from projects.models import ImplementationPlan, PlanChange, ProgressReport
from tests.projects.test_plan_changes import proposed, request

PLAN_URL = "/projects/2-2-1/plans/2026/"
NEW_URL = f"{PLAN_URL}changes/new/"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(plan, **values) -> dict:
    data = {name: "" if value is None else value for name, value in proposed(plan).items()}
    data.update(values)
    return data


def test_the_lead_departments_staff_find_the_button_on_an_approved_plan(alice, bob, approved_plan):
    assert "변경 요청" in client_of(alice).get(PLAN_URL).content.decode()
    assert NEW_URL not in client_of(bob).get(PLAN_URL).content.decode()


def test_a_plan_of_a_year_that_is_over_offers_no_change_and_refuses_one(alice, approved_plan):
    last_year = timezone.localdate().year - 1
    approved_plan.year = last_year
    approved_plan.save()
    url = f"/projects/2-2-1/plans/{last_year}/"
    page = client_of(alice).get(url).content.decode()
    assert f"{last_year}년은 지났습니다" in page and f"{url}changes/new/" not in page
    assert "시행계획이 승인되면 변경을 요청할 수 있습니다" not in page  # it is approved
    form = client_of(alice).get(f"{url}changes/new/").content.decode()
    assert f"{last_year}년은 지났습니다" in form and 'name="reason"' not in form


def test_the_form_starts_from_the_current_values_and_shows_them(alice, approved_plan):
    page = client_of(alice).get(NEW_URL).content.decode()
    assert 'value="100,000,000"' in page
    assert "현재 100.0" in page  # 시비 now, in 백만원, beside its input


def test_staff_request_and_the_coordinator_approves_from_the_pages(
    alice, coordinator, approved_plan
):
    staff = client_of(alice)
    data = form_data(approved_plan, budget_city="150,000,000", reason="추경 확보", submit="1")
    response = staff.post(f"{PLAN_URL}changes/create/", data)
    change = PlanChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PLAN_URL}changes/{change.pk}/"
    assert change.state == FilingState.SUBMITTED
    reviewer = client_of(coordinator)
    page = reviewer.get(response["Location"]).content.decode()
    assert "승인하고 반영" in page
    response = reviewer.post(f"{PLAN_URL}changes/{change.pk}/approve/", {"version": change.version})
    assert response.status_code == 302
    approved_plan.refresh_from_db()
    assert approved_plan.budget_city == 150_000_000
    plan_page = staff.get(PLAN_URL).content.decode()
    assert "당초 → 변경" in plan_page and "+50.0" in plan_page
    project_page = staff.get("/projects/2-2-1/").content.decode()
    assert "변경계획: 당초 → 변경" in project_page
    assert "당초 <del>100.0</del>" in project_page


def test_a_returned_request_leaves_the_plan_untouched_on_its_page(
    alice, coordinator, approved_plan
):
    change = request(alice, approved_plan, budget_city=150_000_000)
    response = client_of(coordinator).post(
        f"{PLAN_URL}changes/{change.pk}/return/", {"version": change.version, "reason": "근거 부족"}
    )
    assert response.status_code == 302
    approved_plan.refresh_from_db()
    assert approved_plan.budget_city == 100_000_000
    page = client_of(alice).get(f"{PLAN_URL}changes/{change.pk}/").content.decode()
    assert "근거 부족" in page and "시행계획은 바뀌지 않았습니다" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reason": ""}, "변경 사유를 적어 주세요"),
        ({"budget_city": "-5"}, "시비 금액은 0원 이상이어야 합니다"),
        ({"budget_city": "많이"}, "원 단위 숫자로 적어 주세요"),
    ],
)
def test_bad_input_comes_back_in_korean_with_nothing_written(alice, approved_plan, values, message):
    data = form_data(approved_plan, **values)
    response = client_of(alice).post(f"{PLAN_URL}changes/create/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlanChange.objects.exists()


def test_an_approval_of_a_version_not_shown_is_refused_with_409(alice, coordinator, approved_plan):
    change = request(alice, approved_plan, budget_city=150_000_000)
    response = client_of(coordinator).post(
        f"{PLAN_URL}changes/{change.pk}/approve/", {"version": change.version - 1}
    )
    assert response.status_code == 409
    assert "아무것도 하지 않았습니다" in response.content.decode()
    assert ImplementationPlan.objects.get().budget_city == 100_000_000


def test_the_coordinator_does_not_approve_a_request_they_last_edited(
    alice, coordinator, approved_plan
):
    change = request(alice, approved_plan, budget_city=150_000_000)
    PlanChange.objects.filter(pk=change.pk).update(edited_by=coordinator)
    page = client_of(coordinator).get(f"{PLAN_URL}changes/{change.pk}/").content.decode()
    assert "승인하고 반영" not in page
    assert "다른 총괄 관리자에게 맡겨 주세요" in page


def test_the_review_queue_lists_requests_waiting_for_review(alice, coordinator, approved_plan):
    change = request(alice, approved_plan, budget_city=150_000_000)
    page = client_of(coordinator).get("/review/").content.decode()
    assert f"{PLAN_URL}changes/{change.pk}/" in page
    assert "변경계획 검토 대기" in page


def test_the_head_sees_a_request_waiting_for_sign_off_in_their_work(alice, approved_plan):
    from projects.choices import Role
    from tests.factories import UserFactory

    department = approved_plan.project.lead_department
    department.signoff_required = True
    department.save()
    head = UserFactory(username="dana", department=department, role=Role.HEAD)
    change = request(alice, approved_plan, budget_city=150_000_000)
    assert f"{PLAN_URL}changes/{change.pk}/" in client_of(head).get("/my/").content.decode()
    response = client_of(head).post(
        f"{PLAN_URL}changes/{change.pk}/signoff/", {"version": change.version}
    )
    assert response.status_code == 302
    assert PlanChange.objects.get().state == FilingState.SUBMITTED


def test_a_budget_cut_below_what_was_spent_is_pointed_out_on_the_request(
    alice, coordinator, approved_plan
):
    """국비 400 → 100 with 185.2 already spent went through sign-off and approval unremarked,
    and the workbook then showed 185.2% for that quarter."""
    now = timezone.now()
    ProgressReport.objects.create(
        project=approved_plan.project, year=2026, quarter=2, state=FilingState.APPROVED,
        progress=30, spent_city=80_000_000, submitted_by=alice, submitted_at=now,
        reviewed_by=coordinator, reviewed_at=now,
    )  # fmt: skip
    cut = request(alice, approved_plan, budget_city=50_000_000)
    page = client_of(coordinator).get(f"{PLAN_URL}changes/{cut.pk}/").content.decode()
    assert "변경 예산이 올해 이미 집행된 금액보다 적습니다" in page
    assert "시비: 변경 예산 50.0 &lt; 집행 80.0 (백만원)" in page
    services.plan_change_return(user=coordinator, change=cut, reason="재검토", version=cut.version)
    enough = request(alice, approved_plan, budget_city=90_000_000)
    page = client_of(alice).get(f"{PLAN_URL}changes/{enough.pk}/").content.decode()
    assert "이미 집행된 금액보다 적습니다" not in page


def _queries(client, url) -> int:
    client.get(url)  # the session and the cached parts of the page, read once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_make_as_many_queries_whatever_the_number_of_changes(
    alice, coordinator, approved_plan
):
    """The plan page, a request's page and the project page, with one approved change and
    then with three more (one left open)."""
    reviewer = client_of(coordinator)
    change = request(alice, approved_plan, budget_city=150_000_000)
    services.plan_change_approve(user=coordinator, change=change, version=change.version)
    urls = [PLAN_URL, f"{PLAN_URL}changes/{change.pk}/", "/projects/2-2-1/"]
    before = [_queries(reviewer, url) for url in urls]
    for amount in (160_000_000, 170_000_000, 180_000_000):
        approved_plan.refresh_from_db()
        more = request(alice, approved_plan, budget_city=amount)
        if amount < 180_000_000:
            services.plan_change_approve(user=coordinator, change=more, version=more.version)
    assert [_queries(reviewer, url) for url in urls] == before
    assert before == [PINNED_PLAN_PAGE, PINNED_CHANGE_PAGE, PINNED_PROJECT_PAGE]


PINNED_PLAN_PAGE = 8
PINNED_CHANGE_PAGE = 9
PINNED_PROJECT_PAGE = 24  # + its evaluations by year, the projects merged into it


def test_staff_take_back_a_submitted_change_and_only_they_do(
    alice, bob, coordinator, approved_plan
):
    """There was no 회수 for a change: a regretted request stood until the coordinator acted."""
    change = request(alice, approved_plan, budget_city=120_000_000)
    url = f"{PLAN_URL}changes/{change.pk}/"
    assert f'action="{url}withdraw/"' in client_of(alice).get(url).content.decode()
    assert f"{url}withdraw/" not in client_of(coordinator).get(url).content.decode()
    assert client_of(bob).post(f"{url}withdraw/", {"version": change.version}).status_code == 403
    response = client_of(alice).post(f"{url}withdraw/", {"version": change.version})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.state == FilingState.DRAFT
    assert 'name="reason"' in client_of(alice).get(url).content.decode()  # editable again
