"""The department sign-off (결재선): when a department has it switched on, a staff member's
submission waits for the department head, who signs it off (→ the coordinator) or returns it
with a reason (→ back to staff). Services and pages, each transition and each refusal."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils.timezone import localtime

from projects import selectors, services
from projects.choices import FilingState, Role
from projects.models import Notification, ProgressReport
from tests.factories import DepartmentFactory, UserFactory, acknowledged_submit

URL = "/projects/2-2-1/reports/2026/4/"
VALUES = {"progress": 10, "achievements": "처음 쓴 실적"}


def save(user, project, *, version=None, **values):
    return services.report_save(
        user=user, project=project, year=2026, quarter=4,
        values=VALUES | values, results={}, version=version,
    )  # fmt: skip


@pytest.fixture
def signoff_on(alice):
    department = alice.department
    department.signoff_required = True
    department.save()
    return department


@pytest.fixture
def head(alice):
    return UserFactory(
        username="hana",
        first_name="하나",
        last_name="김",
        department=alice.department,
        role=Role.HEAD,
        email="hana@example.org",
    )


@pytest.fixture
def waiting(alice, head, signoff_on, digital_project, open_period, coordinator):
    return acknowledged_submit(user=alice, filing=save(alice, digital_project))


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Services ------------------------------------------------------------------------------


def test_without_the_setting_a_submission_goes_straight_to_the_coordinator(
    alice, head, digital_project, open_period
):
    report = acknowledged_submit(user=alice, filing=save(alice, digital_project))
    assert report.state == FilingState.SUBMITTED
    assert not Notification.objects.filter(kind=Notification.Kind.SIGNOFF).exists()


def test_with_the_setting_a_submission_waits_for_the_head_who_is_mailed(
    alice, head, signoff_on, digital_project, open_period, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        waiting = acknowledged_submit(user=alice, filing=save(alice, digital_project))
    assert ProgressReport.objects.get().state == FilingState.SIGNOFF
    assert waiting.get_state_display() == "부서 확인 대기"
    [message] = [m for m in mail.outbox if "hana@example.org" in m.to]
    assert "부서장 확인 요청" in message.subject
    assert URL in message.body


def test_the_head_signs_off_stamped_and_the_coordinator_is_mailed(
    waiting, head, coordinator, django_capture_on_commit_callbacks
):
    coordinator.email = "carol@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_sign_off(user=head, filing=waiting)
    report = ProgressReport.objects.get()
    assert report.state == FilingState.SUBMITTED
    assert report.signed_off_by == head and report.signed_off_at is not None
    [message] = mail.outbox
    assert message.to == ["carol@example.org"] and URL in message.body
    assert "부서장 확인" in message.subject
    assert report.history.first().history_change_reason == "signed_off"


def test_the_head_returns_with_a_reason_back_to_staff_who_is_mailed(
    waiting, head, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_sign_off_return(user=head, filing=waiting, reason="예산 다시 확인")
    report = ProgressReport.objects.get()
    assert report.state == FilingState.RETURNED
    assert report.review_comment == "예산 다시 확인" and report.reviewed_by == head
    assert [c.body for c in report.comments.all()] == ["예산 다시 확인"]
    [message] = mail.outbox
    assert message.to == ["alice@example.org"] and "예산 다시 확인" in message.body
    assert report.history.first().history_change_reason == "signoff_returned"
    # staff fix it and submit again: it waits for the head again
    fixed = save(alice, report.project, version=report.version, achievements="고친 실적")
    assert acknowledged_submit(user=alice, filing=fixed).state == FilingState.SIGNOFF


def test_a_return_is_not_shown_as_the_review_of_the_next_submission(waiting, head, alice):
    """The page said "검토: (the head)" on a report signed off again and waiting for the
    coordinator: the stamp of the earlier return stayed."""
    services.filing_sign_off_return(user=head, filing=waiting, reason="예산 다시 확인")
    report = ProgressReport.objects.get()
    fixed = save(alice, report.project, version=report.version, achievements="고친 실적")
    services.filing_sign_off(user=head, filing=acknowledged_submit(user=alice, filing=fixed))
    report = ProgressReport.objects.get()
    assert report.state == FilingState.SUBMITTED and report.reviewed_by is None
    page = client_of(alice).get(URL).content.decode()
    assert "부서장 확인" in page and "검토</span>" not in page and "· 검토:" not in page
    assert "예산 다시 확인" in page  # the return stays in the thread


def test_a_return_needs_a_reason(waiting, head):
    with pytest.raises(ValidationError, match="반려 사유"):
        services.filing_sign_off_return(user=head, filing=waiting, reason="  ")
    assert ProgressReport.objects.get().state == FilingState.SIGNOFF


def test_only_a_head_of_the_lead_department_signs_off(waiting, alice, coordinator, bob):
    other_head = UserFactory(username="otto", department=bob.department, role=Role.HEAD)
    for user in (alice, coordinator, other_head, bob):
        for act in (services.filing_sign_off, services.filing_sign_off_return):
            with pytest.raises(PermissionDenied):
                act(
                    user=user,
                    filing=waiting,
                    **({"reason": "x"} if "return" in act.__name__ else {}),
                )
    assert ProgressReport.objects.get().state == FilingState.SIGNOFF


def test_the_coordinator_cannot_review_a_filing_waiting_for_the_head(waiting, coordinator):
    with pytest.raises(ValidationError, match="부서장 확인을 기다리는"):
        services.filing_approve(user=coordinator, filing=waiting)
    with pytest.raises(ValidationError, match="부서장 확인을 기다리는"):
        services.filing_return(user=coordinator, filing=waiting, reason="x")
    assert ProgressReport.objects.get().state == FilingState.SIGNOFF


def test_nobody_edits_a_filing_waiting_for_the_head(waiting, alice, head):
    with pytest.raises(ValidationError, match="부서장 확인을 기다리는 문서는 수정할 수 없습니다"):
        save(alice, waiting.project, version=waiting.version, achievements="몰래 고침")
    with pytest.raises(PermissionDenied):
        save(head, waiting.project, version=waiting.version, achievements="부서장이 고침")


def test_only_a_filing_waiting_for_the_head_is_signed_off(alice, head, signoff_on, digital_project,
                                                          open_period):  # fmt: skip
    draft = save(alice, digital_project)
    with pytest.raises(ValidationError, match="부서장 확인을 기다리는 문서만"):
        services.filing_sign_off(user=head, filing=draft)


def test_a_head_files_nothing_and_cannot_approve(waiting, head):
    services.filing_sign_off(user=head, filing=waiting)
    report = ProgressReport.objects.get()
    with pytest.raises(PermissionDenied):
        services.filing_approve(user=head, filing=report)


def test_the_heads_queue_lists_their_departments_filings_waiting(waiting, head, bob):
    [item] = selectors.awaiting_signoff(department_id=head.department_id)
    assert item.filing == waiting and item.url == URL
    assert selectors.awaiting_signoff(department_id=bob.department_id) == []


def test_a_filing_waiting_for_the_head_counts_as_filed_and_not_as_staff_work(waiting, alice):
    assert FilingState.SIGNOFF in selectors.FILED_STATES
    owed = selectors.department_owed(department_id=alice.department_id)
    assert not [o for o in owed if o.quarter == 4 and o.year == 2026 and o.code == "2-2-1"]


# --- Pages ---------------------------------------------------------------------------------


def test_staff_confirming_see_it_goes_to_the_head_and_cannot_skip_it(
    alice, head, signoff_on, digital_project, open_period
):
    report = save(alice, digital_project)
    staff = client_of(alice)
    keys = [c.key for c in selectors.submission_checks(report) if not c.is_error]
    response = staff.post(
        f"{URL}confirm/", {"version": report.version, "acknowledge": keys}, follow=True
    )
    assert "부서장의 확인을 기다립니다" in response.content.decode()
    report = ProgressReport.objects.get()
    assert report.state == FilingState.SIGNOFF
    # crafted POSTs to skip the head: its own sign-off, the coordinator's approval
    for action in ("signoff", "approve"):
        crafted = staff.post(f"{URL}{action}/", {"version": report.version})
        assert crafted.status_code == 403
    assert ProgressReport.objects.get().state == FilingState.SIGNOFF


def test_the_head_sees_the_queue_on_my_work_and_signs_off_from_the_page(waiting, head):
    browser = client_of(head)
    my = browser.get("/my/").content.decode()
    assert "부서장 확인을 기다리는 문서" in my and f'href="{URL}"' in my
    page = browser.get(URL).content.decode()
    assert f'action="{URL}signoff/"' in page and f'formaction="{URL}signoff-return/"' in page
    assert 'action="/projects/2-2-1/reports/2026/4/save/"' not in page  # no editing
    response = browser.post(f"{URL}signoff/", {"version": waiting.version}, follow=True)
    assert "총괄 관리자에게 보냈습니다" in response.content.decode()
    report = ProgressReport.objects.get()
    assert report.state == FilingState.SUBMITTED
    assert "확인을 기다리는 문서가 없습니다" in browser.get("/my/").content.decode()


def test_the_head_returns_from_the_page_and_staff_see_the_reason(waiting, head, alice):
    browser = client_of(head)
    empty = browser.post(f"{URL}signoff-return/", {"version": waiting.version, "reason": ""})
    assert empty.status_code == 400 and "반려 사유를 적어 주세요" in empty.content.decode()
    browser.post(f"{URL}signoff-return/", {"version": waiting.version, "reason": "근거 첨부"})
    assert ProgressReport.objects.get().state == FilingState.RETURNED
    page = client_of(alice).get(URL).content.decode()
    assert "보완요청 사유" in page and "근거 첨부" in page and "김하나" in page


def test_a_sign_off_of_a_version_changed_since_it_was_shown_is_a_409(waiting, head):
    browser = client_of(head)
    response = browser.post(f"{URL}signoff/", {"version": waiting.version - 1})
    assert response.status_code == 409
    assert ProgressReport.objects.get().state == FilingState.SIGNOFF


def test_another_departments_head_is_refused_on_the_page(waiting, bob):
    other_head = UserFactory(username="otto", department=bob.department, role=Role.HEAD)
    response = client_of(other_head).post(f"{URL}signoff/", {"version": waiting.version})
    assert response.status_code == 403
    assert "주관부서의 부서장만" in response.content.decode()
    assert ProgressReport.objects.get().state == FilingState.SIGNOFF


def test_the_coordinator_sees_it_waiting_then_the_heads_name_and_time(waiting, head, coordinator):
    browser = client_of(coordinator)
    page = browser.get(URL).content.decode()
    assert "부서장 확인을 기다리는 문서입니다" in page
    assert f'action="{URL}approve/"' not in page
    refused = browser.post(f"{URL}approve/", {"version": waiting.version})
    assert refused.status_code == 400
    services.filing_sign_off(user=head, filing=waiting)
    report = ProgressReport.objects.get()
    page = browser.get(URL).content.decode()
    assert f"부서장 확인: 김하나 (hana) · {localtime(report.signed_off_at):%Y-%m-%d %H:%M}" in page
    assert f'action="{URL}approve/"' in page
    history = page.split('id="history-title"')[1]
    assert "부서장 확인" in history and "김하나" in history


def test_the_department_setting_is_in_admin(admin_client, db):
    department = DepartmentFactory(code="sign", name="결재과")
    page = admin_client.get(f"/admin/projects/department/{department.pk}/change/")
    assert 'name="signoff_required"' in page.content.decode()


def test_a_withdrawal_after_sign_off_clears_the_stamp_and_the_next_submission_waits_again(
    waiting, head, alice
):
    services.filing_sign_off(user=head, filing=waiting)
    withdrawn = services.filing_withdraw(user=alice, filing=ProgressReport.objects.get())
    assert withdrawn.state == FilingState.DRAFT and withdrawn.signed_off_by is None
    assert acknowledged_submit(user=alice, filing=withdrawn).state == FilingState.SIGNOFF


def test_staff_take_back_what_waits_for_their_head_before_the_head_acts(waiting, alice, head):
    """Waiting for the head, staff found no 회수 button, and a replayed POST was refused
    ("제출된 문서만 회수할 수 있습니다")."""
    page = client_of(alice).get(URL).content.decode()
    assert f'action="{URL}withdraw/"' in page and "부서장이 확인하기 전에는" in page
    response = client_of(alice).post(f"{URL}withdraw/", {"version": waiting.version})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.state == FilingState.DRAFT and report.submitted_by is None
    assert not selectors.awaiting_signoff(department_id=head.department_id)


def test_the_steps_show_the_heads_step_only_where_sign_off_is_on(waiting, head, bob):
    page = client_of(head).get(URL).content.decode()
    steps = page.split('class="krds-step-wrap')[1].split("</ol>")[0]
    assert steps.count("<li") == 4 and "부서장 확인" in steps
    waiting.project.lead_department.signoff_required = False
    waiting.project.lead_department.save()
    other = client_of(bob).get("/projects/2-2-1/plans/2026/").content.decode()
    steps = other.split('class="krds-step-wrap')[1].split("</ol>")[0]
    assert steps.count("<li") == 3 and "부서장 확인" not in steps


def test_each_mail_from_the_pages_links_to_the_filing(
    alice, head, signoff_on, digital_project, open_period, django_capture_on_commit_callbacks
):
    report = save(alice, digital_project)
    keys = [c.key for c in selectors.submission_checks(report) if not c.is_error]
    with django_capture_on_commit_callbacks(execute=True):
        client_of(alice).post(f"{URL}confirm/", {"version": report.version, "acknowledge": keys})
    with django_capture_on_commit_callbacks(execute=True):
        client_of(head).post(
            f"{URL}signoff-return/", {"version": report.version + 1, "reason": "수치 확인"}
        )
    to_head, to_staff = mail.outbox
    assert to_head.to == ["hana@example.org"] and to_staff.to == ["alice@example.org"]
    for message in (to_head, to_staff):
        assert f"http://testserver{URL}" in message.body
