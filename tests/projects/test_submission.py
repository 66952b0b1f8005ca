"""제출 with its confirmation step, and 회수 (withdraw), as people use the pages."""

from decimal import Decimal

import pytest
from django.test import Client

from projects import selectors, services
from projects.choices import FilingState
from projects.models import ImplementationPlan, ProgressReport
from tests.factories import COMPLETE_PLAN, UserFactory, acknowledged_submit

REPORT = "/projects/2-2-1/reports/2026/4/"
PLAN = "/projects/2-2-1/plans/2026/"
MONEY = {f"spent_{s}": "0" for s in ("national", "provincial", "city", "private", "other")}
BUDGET = {f"budget_{s}": "0" for s in ("national", "provincial", "city", "private", "other")}


@pytest.fixture
def staff(client, alice, digital_project, open_period):
    client.force_login(alice)
    return client


def report_form(**fields):
    return {"progress": "30", "status": "on_track", **MONEY, **fields}


def warned_report(staff) -> ProgressReport:
    """A report with warnings (no narrative, no evidence), saved through 제출."""
    response = staff.post(f"{REPORT}submit/", report_form(achievements="착수"))
    assert response["Location"] == f"{REPORT}submission/"
    return ProgressReport.objects.get()


def test_an_empty_plan_is_blocked_with_the_reasons_and_a_way_back(staff):
    response = staff.post(f"{PLAN}submit/", BUDGET, follow=True)
    page = response.content.decode()
    assert "추진 목표를 적어 주세요" in page
    assert "분기별 계획이 비어 있습니다: 1분기, 2분기, 3분기, 4분기" in page
    assert "예산 없음" in page
    assert f'href="{PLAN}#id_goal"' in page  # each reason links to its field
    assert f'href="{PLAN}"' in page
    assert f'action="{PLAN}confirm/"' not in page
    crafted = staff.post(f"{PLAN}confirm/", {"version": 1})  # a POST without the page
    assert crafted.status_code == 400
    assert "추진 목표를 적어 주세요" in crafted.content.decode()
    assert ImplementationPlan.objects.get().state == FilingState.DRAFT


def test_the_plan_form_offers_no_budget_and_a_plan_without_money_submits(staff):
    assert 'name="no_budget"' in staff.get(PLAN).content.decode()
    values = {k: v for k, v in COMPLETE_PLAN.items() if k != "budget_city"}
    staff.post(f"{PLAN}submit/", {**BUDGET, **values, "no_budget": "on"})
    plan = ImplementationPlan.objects.get()
    assert plan.no_budget
    page = staff.get(f"{PLAN}submission/").content.decode()
    assert "확인할 문제가 없습니다" in page
    assert staff.post(f"{PLAN}confirm/", {"version": plan.version}).status_code == 302
    assert ImplementationPlan.objects.get().state == FilingState.SUBMITTED


def test_the_confirmation_lists_what_is_sent_and_each_warning_with_a_box(staff):
    report = warned_report(staff)
    page = staff.get(f"{REPORT}submission/").content.decode()
    assert "아직 제출되지 않았습니다" in page
    assert "30.0%" in page and "착수" in page  # the key values that will be sent
    for check in selectors.submission_checks(report):
        assert f'value="{check.key}"' in page
        assert check.message in page
    assert f'name="version" value="{report.version}"' in page
    assert report.state == FilingState.DRAFT


def test_unticked_warnings_are_refused_and_ticked_ones_submit(staff, alice, coordinator):
    report = warned_report(staff)
    keys = [c.key for c in selectors.submission_checks(report)]
    refused = staff.post(f"{REPORT}confirm/", {"version": report.version, "acknowledge": keys[:1]})
    assert refused.status_code == 400
    assert "확인하지 않은 경고가 있어 제출하지 않았습니다" in refused.content.decode()
    assert f'value="{keys[0]}" id="ack-1" required checked' in refused.content.decode()
    assert ProgressReport.objects.get().state == FilingState.DRAFT
    done = staff.post(f"{REPORT}confirm/", {"version": report.version, "acknowledge": keys})
    assert done.status_code == 302
    assert "제출했습니다" in staff.get(REPORT).content.decode()
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED
    reviewer = Client()
    reviewer.force_login(coordinator)
    page = reviewer.get(REPORT).content.decode()
    assert "제출자가 확인하고 제출한 경고" in page
    assert "증빙자료가 없습니다." in page


def test_a_record_changed_after_the_confirmation_is_not_submitted(staff, alice, digital_project):
    report = warned_report(staff)
    keys = [c.key for c in selectors.submission_checks(report)]
    shown = report.version
    services.report_save(
        user=alice,
        project=digital_project,
        year=2026,
        quarter=4,
        values={"progress": Decimal(80)},
        results={},
        version=shown,
    )  # fmt: skip — another tab saved meanwhile
    response = staff.post(f"{REPORT}confirm/", {"version": shown, "acknowledge": keys})
    assert response.status_code == 409
    page = response.content.decode()
    assert "확인 화면을 연 뒤 이 문서가 바뀌었습니다. 제출하지 않았습니다." in page
    assert "80.0%" in page
    assert f'name="version" value="{shown + 1}"' in page
    assert ProgressReport.objects.get().state == FilingState.DRAFT


def test_the_confirmation_of_a_submitted_record_says_why_not(staff, alice):
    report = warned_report(staff)
    acknowledged_submit(user=alice, filing=report)
    page = staff.get(f"{REPORT}submission/").content.decode()
    assert "검토가 끝날 때까지 수정할 수 없습니다" in page
    assert f'action="{REPORT}confirm/"' not in page


def test_the_confirmation_is_not_for_other_departments_or_the_committee(
    client, bob, committee, staff
):
    warned_report(staff)
    for user in (bob, committee):
        client.force_login(user)
        assert client.get(f"{REPORT}submission/").status_code == 403
        assert client.post(f"{REPORT}confirm/", {"version": 1}).status_code == 403
    assert ProgressReport.objects.get().state == FilingState.DRAFT


# --- 회수 --------------------------------------------------------------------------------------


@pytest.fixture
def submitted(staff, alice):
    return acknowledged_submit(user=alice, filing=warned_report(staff))


def withdraw(client, version):
    return client.post(f"{REPORT}withdraw/", {"version": version})


def test_the_submitter_withdraws_before_review_and_history_says_so(staff, submitted):
    page = staff.get(REPORT).content.decode()
    assert f'action="{REPORT}withdraw/"' in page
    response = withdraw(staff, submitted.version)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.state, report.submitted_by, report.acknowledged_warnings) == (
        FilingState.DRAFT,
        None,
        [],
    )
    page = staff.get(REPORT).content.decode()
    assert "제출을 회수했습니다" in page
    assert "회수" in page.split('id="history-title"')[1]
    assert 'name="progress"' in page  # editable again
    assert report.history.first().history_change_reason == "withdrawn"


def test_a_colleague_of_the_same_department_may_withdraw(client, submitted, alice):
    colleague = UserFactory(username="alice2", department=alice.department, role="staff")
    client.force_login(colleague)
    assert withdraw(client, submitted.version).status_code == 302
    assert ProgressReport.objects.get().state == FilingState.DRAFT


def test_no_withdrawal_once_the_coordinator_commented(staff, submitted, coordinator):
    services.comment_add(user=coordinator, filing=submitted, body="보고 있습니다")
    assert f'action="{REPORT}withdraw/"' not in staff.get(REPORT).content.decode()
    response = withdraw(staff, submitted.version)
    assert response.status_code == 400
    assert "검토가 이미 시작되어 회수할 수 없습니다" in response.content.decode()
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_the_departments_own_comment_does_not_start_review(staff, submitted, alice):
    services.comment_add(user=alice, filing=submitted, body="참고")
    assert withdraw(staff, submitted.version).status_code == 302


def test_no_withdrawal_after_approval_or_of_a_draft(staff, submitted, coordinator):
    services.filing_approve(user=coordinator, filing=submitted)
    response = withdraw(staff, ProgressReport.objects.get().version)
    assert response.status_code == 400
    assert ProgressReport.objects.get().state == FilingState.APPROVED


def test_a_stale_withdrawal_is_a_409(staff, submitted):
    assert withdraw(staff, submitted.version - 1).status_code == 409
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


@pytest.mark.parametrize("who", ["bob", "committee", "coordinator"])
def test_others_may_not_withdraw(client, submitted, who, bob, committee, coordinator):
    client.force_login({"bob": bob, "committee": committee, "coordinator": coordinator}[who])
    response = withdraw(client, submitted.version)
    assert response.status_code == 403
    assert "회수할 수 있습니다" in response.content.decode()
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_anonymous_visitors_are_sent_to_sign_in(submitted):
    response = withdraw(Client(), submitted.version)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_no_withdrawal_once_the_period_is_closed_since_it_could_not_be_sent_again(
    staff, submitted, open_period
):
    open_period.closed = True
    open_period.save()
    assert f'action="{REPORT}withdraw/"' not in staff.get(REPORT).content.decode()
    response = withdraw(staff, submitted.version)
    assert response.status_code == 400
    assert "회수하면 다시 제출할 수 없어 회수하지 않았습니다" in response.content.decode()
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_acknowledged_warnings_are_shown_while_submitted_not_once_returned(
    staff, submitted, coordinator
):
    assert "제출자가 확인하고 제출한 경고" in staff.get(REPORT).content.decode()
    services.filing_return(user=coordinator, filing=submitted, reason="보완")
    assert "제출자가 확인하고 제출한 경고" not in staff.get(REPORT).content.decode()
