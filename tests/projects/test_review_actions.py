"""Approving and returning: only the version the reviewer was shown, never one's own work, and
a committed approval is never undone by its e-mail."""

import pytest
from django.core import mail
from django.test import Client

from projects import services
from projects.choices import FilingState
from projects.models import ImplementationPlan, ProgressReport
from tests.factories import COMPLETE_PLAN, UserFactory, acknowledged_submit

URL = "/projects/2-2-1/reports/2026/4/"
VALUES = {"progress": 10, "achievements": "처음 쓴 실적"}


def save(user, project, *, version=None, **values):
    return services.report_save(
        user=user, project=project, year=2026, quarter=4,
        values=VALUES | values, results={}, version=version,
    )  # fmt: skip


@pytest.fixture
def submitted(alice, digital_project, open_period):
    return acknowledged_submit(user=alice, filing=save(alice, digital_project))


@pytest.fixture
def reviewer(client, coordinator):
    client.force_login(coordinator)
    return client


def resubmitted_meanwhile(alice, digital_project, report):
    """Another coordinator returns it; the department rewrites and submits it again."""
    other = UserFactory(username="dave", role="coordinator")
    services.filing_return(user=other, filing=report, reason="보완")
    stored = ProgressReport.objects.get()
    rewritten = save(alice, digital_project, version=stored.version, achievements="고쳐 쓴 실적")
    return acknowledged_submit(user=alice, filing=rewritten)


def test_the_page_carries_the_version_the_reviewer_is_shown(reviewer, submitted):
    page = reviewer.get(URL).content.decode()
    assert f'<input type="hidden" name="version" value="{submitted.version}">' in page


@pytest.mark.parametrize("action", ["approve", "return"])
def test_a_review_of_the_version_shown_goes_through(reviewer, submitted, action):
    response = reviewer.post(f"{URL}{action}/", {"version": submitted.version, "reason": "확인"})
    assert response.status_code == 302
    expected = FilingState.APPROVED if action == "approve" else FilingState.RETURNED
    assert ProgressReport.objects.get().state == expected


@pytest.mark.parametrize("action", ["approve", "return"])
def test_a_review_of_a_version_changed_since_it_was_shown_is_a_409_with_what_changed(
    reviewer, alice, digital_project, submitted, action
):
    shown = submitted.version
    resubmitted_meanwhile(alice, digital_project, submitted)
    response = reviewer.post(f"{URL}{action}/", {"version": shown, "reason": "확인"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "보고 계시던 뒤에 이 문서가 바뀌었습니다" in page
    assert "처음 쓴 실적" in page and "고쳐 쓴 실적" in page  # what changed, old and new
    report = ProgressReport.objects.get()
    assert report.state == FilingState.SUBMITTED
    assert report.achievements == "고쳐 쓴 실적"
    # The page shows the new version, ready to review as it is now.
    assert f'name="version" value="{report.version}"' in page


def test_a_review_that_says_no_version_is_refused(reviewer, submitted):
    response = reviewer.post(f"{URL}approve/", {"reason": "확인"})
    assert response.status_code == 400
    assert "검토한 문서의 버전이 없습니다" in response.content.decode()
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_bulk_approval_approves_each_filing_at_the_version_shown_or_nothing(
    reviewer, alice, digital_project, submitted, coordinator
):
    plan = services.plan_save(
        user=alice, project=digital_project, year=2026, values=COMPLETE_PLAN, version=None
    )
    plan = acknowledged_submit(user=alice, filing=plan)
    ticked = {
        "plan": [f"{plan.pk}:{plan.version}"],
        "report": [f"{submitted.pk}:{submitted.version}"],
    }
    resubmitted_meanwhile(alice, digital_project, submitted)
    page = reviewer.post("/review/approve/", ticked, follow=True).content.decode()
    assert "아무것도 승인하지 않았습니다" in page
    assert str(ProgressReport.objects.get()) in page  # names the one that changed
    assert ImplementationPlan.objects.get().state == FilingState.SUBMITTED
    report = ProgressReport.objects.get()
    ticked["report"] = [f"{report.pk}:{report.version}"]
    assert (
        "2건을 승인했습니다"
        in reviewer.post("/review/approve/", ticked, follow=True).content.decode()
    )
    assert ProgressReport.objects.get().state == FilingState.APPROVED


# --- Nobody reviews their own work ----------------------------------------------------------


@pytest.fixture
def own_submission(coordinator, digital_project, open_period):
    """A report the coordinator wrote and submitted themselves."""
    return acknowledged_submit(user=coordinator, filing=save(coordinator, digital_project))


@pytest.mark.parametrize("action", ["approve", "return"])
def test_the_coordinator_may_not_review_what_they_submitted(reviewer, own_submission, action):
    response = reviewer.post(f"{URL}{action}/", {"version": own_submission.version, "reason": "r"})
    assert response.status_code == 403
    assert "자신이 제출했거나 마지막으로 수정한 문서는" in response.content.decode()
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_the_coordinator_may_not_review_what_they_last_edited(
    reviewer, coordinator, alice, digital_project, open_period
):
    draft = save(alice, digital_project)
    edited = save(coordinator, digital_project, version=draft.version, achievements="총괄이 고침")
    report = acknowledged_submit(user=alice, filing=edited)
    page = reviewer.get(URL).content.decode()
    assert 'action="/projects/2-2-1/reports/2026/4/approve/"' not in page  # no buttons
    assert "자신이 제출했거나 마지막으로 수정한 문서는" in page
    response = reviewer.post(f"{URL}approve/", {"version": report.version})
    assert response.status_code == 403
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED
    other = Client()
    other.force_login(UserFactory(username="dave", role="coordinator"))
    assert other.post(f"{URL}approve/", {"version": report.version}).status_code == 302


def test_the_service_refuses_a_review_of_ones_own_work(coordinator, own_submission):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.filing_approve(user=coordinator, filing=own_submission)
    with pytest.raises(PermissionDenied):
        services.filing_return(user=coordinator, filing=own_submission, reason="r")


def test_bulk_approval_with_ones_own_filing_approves_nothing_and_says_which(
    reviewer, alice, digital_project, own_submission
):
    plan = services.plan_save(
        user=alice, project=digital_project, year=2026, values=COMPLETE_PLAN, version=None
    )
    plan = acknowledged_submit(user=alice, filing=plan)
    queue = reviewer.get("/review/").content.decode()
    assert f'name="plan" value="{plan.pk}:{plan.version}"' in queue
    assert f'name="report" value="{own_submission.pk}:' not in queue  # no box to tick for one's own
    ticked = {
        "plan": [f"{plan.pk}:{plan.version}"],
        "report": [f"{own_submission.pk}:{own_submission.version}"],
    }
    page = reviewer.post("/review/approve/", ticked, follow=True).content.decode()
    assert "직접 제출했거나 마지막으로 수정한 문서가 있어 아무것도 승인하지 않았습니다" in page
    assert str(own_submission) in page
    assert ImplementationPlan.objects.get().state == FilingState.SUBMITTED
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


# --- The approval e-mail --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_project_name_with_a_line_break_is_approved_and_mailed_in_one_subject_line(
    client, alice, coordinator, digital_project, open_period
):
    digital_project.name = "스마트 항만\n물류 플랫폼"
    digital_project.save()
    report = acknowledged_submit(user=alice, filing=save(alice, digital_project))
    client.force_login(coordinator)
    client.raise_request_exception = False
    response = client.post(f"{URL}approve/", {"version": report.version})
    assert response.status_code == 302
    assert ProgressReport.objects.get().state == FilingState.APPROVED
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert "스마트 항만 물류 플랫폼" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_a_mail_that_fails_does_not_turn_a_committed_approval_into_an_error(
    client, alice, coordinator, digital_project, open_period, monkeypatch
):
    report = acknowledged_submit(user=alice, filing=save(alice, digital_project))

    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError("smtp")

    monkeypatch.setattr("projects.notify.send_mail", mail_server_down)
    client.force_login(coordinator)
    client.raise_request_exception = False
    response = client.post(f"{URL}approve/", {"version": report.version})
    assert response.status_code == 302
    assert ProgressReport.objects.get().state == FilingState.APPROVED
