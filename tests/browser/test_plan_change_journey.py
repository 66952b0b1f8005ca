"""A plan change (변경계획) as people make it: staff request a budget change of an approved plan
(추경, with a reason) → the coordinator approves it from the review queue → the project page
shows 당초 → 변경, the dashboard's budget total follows, the plan's history lists the change."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.choices import FilingState
from projects.models import ImplementationPlan, PlanChange, ReportingPeriod
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "/projects/2-2-1/plans/2026/"
DEVICES = (("desktop", 1280, 900), ("phone", 390, 844))


def shoot(page, screenshot, name: str) -> None:
    for device, width, height in DEVICES:
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"ko-{name}-{device}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_staff_request_a_supplementary_budget_and_the_coordinator_approves_it(
    live_server, page, sign_in, screenshot, plan, alice, coordinator, digital_project
):
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today - timedelta(days=10), due_on=today + timedelta(days=20)
    )
    now = timezone.now()
    ImplementationPlan.objects.create(
        project=digital_project, year=2026, goal="플랫폼 구축",
        **{f"q{q}_plan": f"{q}분기 추진" for q in range(1, 5)},
        budget_city=100_000_000, state=FilingState.APPROVED,
        submitted_by=alice, submitted_at=now, reviewed_by=coordinator, reviewed_at=now,
    )  # fmt: skip
    base = live_server.url

    # Staff find the button on their approved plan and request the change.
    sign_in(page, "alice")
    page.goto(f"{base}{PLAN}")
    page.get_by_role("link", name="변경 요청").click()
    page.wait_for_url(f"{base}{PLAN}changes/new/")
    assert "현재 100.0" in page.locator("main").inner_text()  # the 시비 now, beside its input
    assert serious(page) == []
    shoot(page, screenshot, "plan-change-new")
    page.get_by_label("변경 유형").select_option(label="추경")
    page.get_by_label("변경 사유").fill("제1회 추경으로 시비 5천만 원 추가 확보")
    page.get_by_label("예산 시비(원)").fill("150,000,000")
    page.get_by_role("button", name="제출하기").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())  # the change's page
    change = PlanChange.objects.get()
    assert page.url == f"{base}{PLAN}changes/{change.pk}/"
    expect(page.locator("body")).to_contain_text("총괄 관리자가 검토합니다")

    # The coordinator finds it in the review queue and approves it.
    sign_in(page, "carol")
    page.goto(f"{base}/review/")
    queue = page.locator("#changes-title + .table-scroll")
    assert "추경" in queue.inner_text()
    queue.get_by_role("link").first.click()
    page.wait_for_url(f"{base}{PLAN}changes/{change.pk}/")
    assert serious(page) == []
    shoot(page, screenshot, "plan-change-review")
    page.get_by_role("button", name="승인하고 반영").click()
    page.wait_for_url(f"{base}{PLAN}changes/{change.pk}/")
    expect(page.locator("body")).to_contain_text("시행계획에 변경 내용을 반영했습니다")
    assert ImplementationPlan.objects.get().budget_city == 150_000_000

    # The project page shows 당초 → 변경.
    page.goto(f"{base}/projects/2-2-1/")
    changed = page.locator("#plan-changes").locator("xpath=..")
    text = " ".join(changed.inner_text().split())
    assert "시비 100.0 150.0 +50.0" in text and "합계 100.0 150.0 +50.0" in text
    shoot(page, screenshot, "plan-change-project")

    # The dashboard's budget total follows, and names 당초.
    page.goto(f"{base}/?year=2026&quarter=4")
    budget = " ".join(page.locator("#budget-title").locator("xpath=..").inner_text().split())
    assert "합계 150.0" in budget
    assert "당초 예산 100.0 → 변경 150.0" in budget

    # The plan's history lists the changed field with the reason.
    page.goto(f"{base}{PLAN}")
    latest = page.locator("#history-title + .history .history__entry").first.inner_text()
    latest = " ".join(latest.split())
    assert "변경계획 승인(추경): 제1회 추경으로 시비 5천만 원 추가 확보" in latest
    assert "예산 시비: 100.0 백만원 → 바뀐 값: 150.0 백만원" in latest
    shoot(page, screenshot, "plan-change-plan")
