"""The department sign-off (결재선) as people use it: staff submit → the head returns it with a
reason → staff fix it and submit again → the head signs it off → the coordinator approves;
every step in the page's history with who and when."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.choices import FilingState, Role
from projects.models import ProgressReport, ReportingPeriod
from tests.browser.test_accessibility import serious
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/projects/2-2-1/reports/2026/4/"
DEVICES = (("desktop", 1440, 900), ("phone", 390, 844))


def submit(page, base: str, achievements: str) -> None:
    """Fill the report and send it through the confirmation step, every warning ticked."""
    page.goto(f"{base}{REPORT}")
    page.get_by_label("진척률(%)").fill("35")
    page.get_by_label("추진실적", exact=True).fill(achievements)
    page.get_by_role("button", name="제출하기").click()
    page.wait_for_url(f"{base}{REPORT}submission/")
    boxes = page.get_by_role("checkbox")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.get_by_role("button", name="제출하기").click()
    page.wait_for_url(f"{base}{REPORT}")
    expect(page.locator("body")).to_contain_text("부서장의 확인을 기다립니다")


def shoot(page, screenshot, name: str) -> None:
    for device, width, height in DEVICES:
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"ko-{name}-{device}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_staff_head_returns_staff_fix_head_signs_off_coordinator_approves(
    live_server, page, sign_in, screenshot, plan, alice, coordinator
):
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today - timedelta(days=10), due_on=today + timedelta(days=20)
    )
    department = alice.department
    department.signoff_required = True
    department.save()
    UserFactory(username="hana", first_name="하나", last_name="김", department=department,
                role=Role.HEAD)  # fmt: skip
    base = live_server.url

    sign_in(page, "alice")
    submit(page, base, "플랫폼 설계 착수")
    assert page.locator(".filing-steps .active").inner_text().endswith("부서장 확인")
    assert ProgressReport.objects.get().state == FilingState.SIGNOFF

    # The head finds it on 내 업무 and returns it with a reason.
    sign_in(page, "hana")
    page.goto(f"{base}/my/")
    queue = page.locator(".signoff-queue")
    assert "2026년 4분기 실적" in queue.inner_text()
    assert serious(page) == []
    shoot(page, screenshot, "head-queue")
    queue.get_by_role("link").first.click()
    page.wait_for_url(f"{base}{REPORT}")
    assert page.get_by_role("button", name="임시 저장").count() == 0  # the head edits nothing
    assert serious(page) == []
    shoot(page, screenshot, "filing-waiting-for-head")
    page.get_by_label("반려 사유").fill("증빙 공문을 첨부해 주세요.")
    page.get_by_role("button", name="반려").click()
    page.wait_for_url(f"{base}{REPORT}")
    expect(page.locator("body")).to_contain_text("담당자에게 돌려보냈습니다")

    # Staff see the reason, fix it and submit again.
    sign_in(page, "alice")
    page.goto(f"{base}{REPORT}")
    reason = page.locator(".callout--returned[role=note]").inner_text()
    assert "증빙 공문을 첨부해 주세요." in reason
    submit(page, base, "플랫폼 설계 완료, 공문 첨부")

    # The head signs it off.
    sign_in(page, "hana")
    page.goto(f"{base}{REPORT}")
    page.get_by_role("button", name="확인하고 총괄 관리자에게 보내기").click()
    page.wait_for_url(f"{base}{REPORT}")
    expect(page.locator("body")).to_contain_text("총괄 관리자에게 보냈습니다")

    # The coordinator sees the head's sign-off and approves.
    sign_in(page, "carol")
    page.goto(f"{base}{REPORT}")
    report = ProgressReport.objects.get()
    stamp = timezone.localtime(report.signed_off_at).strftime("%Y-%m-%d %H:%M")
    assert f"부서장 확인: 김하나 (hana) · {stamp}" in page.locator(".page-head").inner_text()
    page.locator(".review-panel").get_by_role("button", name="승인").click()
    page.wait_for_url(f"{base}{REPORT}")
    assert ProgressReport.objects.get().state == FilingState.APPROVED

    # Every step in the history, with who and when.
    history = page.locator("#history-title + .history .history__head").all_inner_texts()
    steps = [" ".join(text.split()) for text in reversed(history)]
    expected = [
        ("부서 확인 대기", "alice"),
        ("보완요청 · 부서장 반려", "김하나"),
        ("부서 확인 대기", "alice"),
        ("제출 · 부서장 확인", "김하나"),
        ("승인", "carol"),
    ]
    found = iter(steps)
    for label, who in expected:
        assert any(label in step and who in step for step in found), (label, who, steps)
    assert all(step[:4].isdigit() for step in steps)  # each with its date and time
    screenshot(page, "ko-signoff-history-desktop")
