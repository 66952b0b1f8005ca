"""Staff file a report; the coordinator returns it; staff fix and resubmit; it is approved."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.choices import FilingState
from projects.models import ProgressReport, ReportingPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/projects/2-2-1/reports/2026/4/"


def submit_confirmed(page) -> None:
    """제출하기 on the form, then on the confirmation step with every warning ticked."""
    page.get_by_role("button", name="제출하기").click()
    page.wait_for_url("**/submission/")
    boxes = page.get_by_role("checkbox")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.get_by_role("button", name="제출하기").click()


def test_a_report_goes_through_return_and_approval(
    live_server, page, sign_in, screenshot, plan, alice, coordinator, committee, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today - timedelta(days=10), due_on=today + timedelta(days=20)
    )
    base = live_server.url

    sign_in(page, "alice")
    page.get_by_role("link", name="내 업무").click()
    page.locator(f'a[href="{REPORT}"]').first.click()
    page.get_by_label("진척률(%)").fill("35")
    page.get_by_label("추진실적", exact=True).fill("플랫폼 설계 완료")
    page.get_by_label("개방 데이터셋 수 (종)").fill("120")
    evidence = tmp_path / "결과보고서.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    page.get_by_label("증빙자료 추가").set_input_files(str(evidence))  # in the same form
    page.get_by_role("button", name="임시 저장").click()
    expect(page.locator("body")).to_contain_text("임시 저장했습니다")
    expect(page.get_by_role("link", name="결과보고서.pdf")).to_be_visible()  # both kept
    assert page.get_by_label("추진실적", exact=True).input_value() == "플랫폼 설계 완료"
    submit_confirmed(page)
    page.wait_for_url(f"{base}{REPORT}")
    expect(page.locator("body")).to_contain_text("제출했습니다")
    screenshot(page, "report-submitted")

    sign_in(page, "carol")
    page.get_by_role("link", name="검토").click()
    expect(page.get_by_text("2-2-1").first).to_be_visible()
    page.goto(f"{base}{REPORT}")
    page.get_by_label("검토 의견 (보완요청에는 꼭 적어 주세요)").fill("집행액을 채워 주세요")
    page.get_by_role("button", name="보완요청").click()
    expect(page.locator("body")).to_contain_text("보완요청했습니다")

    sign_in(page, "alice")
    page.goto(f"{base}{REPORT}")
    expect(page.get_by_text("집행액을 채워 주세요").first).to_be_visible()
    screenshot(page, "report-returned")
    page.get_by_label("집행액 시비(원)").fill("30000000")
    submit_confirmed(page)
    expect(page.locator("body")).to_contain_text("제출했습니다")

    sign_in(page, "carol")
    page.goto(f"{base}{REPORT}")
    page.get_by_role("button", name="승인").click()
    expect(page.locator("body")).to_contain_text("승인했습니다")
    screenshot(page, "report-approved")

    report = ProgressReport.objects.get()
    assert report.state == FilingState.APPROVED
    assert (report.progress, report.spent_city) == (35, 30_000_000)
    assert report.results.get().value == 120
    assert report.attachments.get().original_name == "결과보고서.pdf"
    assert [c.kind for c in report.comments.order_by("created_at", "pk")] == ["return", "approval"]
