"""Malformed addresses, parameters and posted ids get a 400 or 404 with a message, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # beyond any integer column


@pytest.fixture
def coordinator_client(client, coordinator, plan, open_period):
    client.force_login(coordinator)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "url",
    ["/projects/%00/", "/projects/%00/plans/2026/", "/projects/%00/reports/2026/4/"],
)
def test_a_nul_in_a_project_code_is_404(coordinator_client, url):
    assert coordinator_client.get(url).status_code == 404


@pytest.mark.parametrize("per_page", ["-1", "0", "100000", "abc"])
def test_any_page_size_shows_the_project_list(coordinator_client, per_page):
    response = coordinator_client.get(f"/projects/?per_page={per_page}")
    assert response.status_code == 200
    assert "2-2-1" in response.content.decode()


@pytest.mark.parametrize("year", ["²", "٢٠٢٦", "-1", HUGE])
def test_a_strange_year_on_the_dashboard_shows_the_default_period(coordinator_client, year):
    assert coordinator_client.get(f"/?year={year}").status_code == 200


@pytest.mark.parametrize("value", ["²", "abc", HUGE, f"{HUGE}:1", "1:²", ":"])
def test_a_malformed_ticked_id_in_bulk_approval_approves_nothing(coordinator_client, value):
    response = coordinator_client.post("/review/approve/", {"plan": [value]}, follow=True)
    assert response.status_code == 200
    assert "아무것도 승인하지 않았습니다" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/projects/2-2-1/reports/2026/4/attachments/abc/delete/",
        f"/projects/2-2-1/reports/2026/4/attachments/{HUGE}/delete/",
        "/review/periods/abc/close/",
        "/review/periods/abc/open/",
        "/review/periods/abc/extend/",
        f"/review/periods/{HUGE}/close/",
        f"/review/periods/{HUGE}/extend/",
        "/proposals/abc/answer/",
        f"/proposals/{HUGE}/answer/",
        f"/projects/2-2-1/plans/{HUGE}/save/",
        f"/projects/2-2-1/reports/2026/{HUGE}/approve/",
    ],
)
def test_an_id_that_is_no_number_or_too_big_is_404(coordinator_client, url):
    assert coordinator_client.post(url, {"reason": "사유"}).status_code == 404


def test_the_committee_answering_a_proposal_by_a_bad_id_is_refused_not_an_error(
    client, committee, plan
):
    client.force_login(committee)
    client.raise_request_exception = False
    assert client.post("/proposals/abc/answer/").status_code in (403, 404)
    assert client.post(f"/proposals/{HUGE}/answer/").status_code in (403, 404)


def test_a_bad_department_in_an_extension_is_a_400_with_a_message(coordinator_client, open_period):
    response = coordinator_client.post(
        f"/review/periods/{open_period.pk}/extend/",
        {"department": HUGE, "due_on": "2099-01-01", "reason": "사유"},
    )
    assert response.status_code == 400
    assert "모두 적어 주세요" in response.content.decode()
