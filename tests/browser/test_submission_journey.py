"""Staff submit through the confirmation step: an empty plan is blocked with the reasons; a
report with warnings is sent once each is ticked; then it is withdrawn (회수)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.choices import FilingState
from projects.models import ImplementationPlan, ProgressReport, ReportingPeriod
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "/projects/2-2-1/plans/2026/"
REPORT = "/projects/2-2-1/reports/2026/4/"
DEVICES = (("desktop", 1440, 900), ("phone", 390, 844))


def capture(page, base: str, screenshot, name: str) -> None:
    """The page in Korean and English, desktop and phone; then back to Korean on desktop."""
    for language in ("ko", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page.reload()
        for device, width, height in DEVICES:
            page.set_viewport_size({"width": width, "height": height})
            screenshot(page, f"{language}-{name}-{device}")
    page.context.add_cookies([{"name": "django_language", "value": "ko", "url": base}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()


def test_blocked_plan_then_a_report_with_warnings_submitted_and_withdrawn(
    live_server, page, sign_in, screenshot, plan, alice
):
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today - timedelta(days=10), due_on=today + timedelta(days=20)
    )
    base = live_server.url
    sign_in(page, "alice")

    # An empty plan: 제출하기 saves it and shows why it cannot be sent.
    page.goto(f"{base}{PLAN}")
    page.get_by_role("button", name="제출하기").click()
    page.wait_for_url(f"{base}{PLAN}submission/")
    checks = page.locator(".checks")
    assert "추진 목표를 적어 주세요." in checks.inner_text()
    assert "1분기, 2분기, 3분기, 4분기" in checks.inner_text()
    assert "'예산 없음'을 체크하세요" in checks.inner_text()
    assert page.get_by_role("button", name="제출하기").count() == 0
    assert serious(page) == []
    capture(page, base, screenshot, "confirm-blocked")
    page.get_by_role("link", name="작성 화면으로 돌아가 수정하기").click()
    page.wait_for_url(f"{base}{PLAN}")
    assert ImplementationPlan.objects.get().state == FilingState.DRAFT

    # A report with warnings: the confirmation lists them; each must be ticked.
    page.goto(f"{base}{REPORT}")
    page.get_by_label("진척률(%)").fill("35")
    page.get_by_label("추진실적", exact=True).fill("플랫폼 설계 완료")
    page.get_by_label("개방 데이터셋 수 (종)").fill("120")
    page.get_by_role("button", name="제출하기").click()
    page.wait_for_url(f"{base}{REPORT}submission/")
    boxes = page.get_by_role("checkbox")
    assert boxes.count() == 3  # narrative, evidence, the indicator far off its target
    text = page.locator(".checks").inner_text()
    assert "비어 있는 서술 항목: 문제점, 대응방안." in text
    assert "증빙자료가 없습니다." in text
    assert "성과지표 '개방 데이터셋 수'" in text
    assert "플랫폼 설계 완료" in page.locator("#sent-title ~ dl").inner_text()
    assert ProgressReport.objects.get().state == FilingState.DRAFT  # saved, not sent
    assert serious(page) == []
    capture(page, base, screenshot, "confirm-warnings")
    boxes.nth(0).check()  # one box left unticked: the browser itself asks for it first
    page.get_by_role("button", name="제출하기").click()
    assert page.url == f"{base}{REPORT}submission/"
    assert ProgressReport.objects.get().state == FilingState.DRAFT
    for index in range(3):
        boxes.nth(index).check()
    page.get_by_role("button", name="제출하기").click()
    page.wait_for_url(f"{base}{REPORT}")
    expect(page.locator("body")).to_contain_text("제출했습니다")
    expect(page.get_by_text("제출자가 확인하고 제출한 경고")).to_be_visible()
    report = ProgressReport.objects.get()
    assert report.state == FilingState.SUBMITTED
    assert len(report.acknowledged_warnings) == 3

    # 회수: back to 작성중 before the coordinator has looked at it.
    page.get_by_role("button", name="제출 회수").click()
    page.wait_for_url(f"{base}{REPORT}")
    expect(page.locator("body")).to_contain_text("제출을 회수했습니다")
    assert page.get_by_label("진척률(%)").input_value() == "35.0"
    assert "회수" in page.locator("#history-title + .history").inner_text()
    screenshot(page, "ko-report-withdrawn-desktop")
    assert ProgressReport.objects.get().state == FilingState.DRAFT
