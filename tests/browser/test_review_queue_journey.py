"""The coordinator approves from the review queue only through the page that shows what they
chose: tick, check, approve; both pages pass axe-core."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from projects.choices import FilingState
from projects.models import ProgressReport
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_ticks_checks_and_approves_exactly_those(live_server, page, sign_in, plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    # The demo's heads signed off what waits for them: the coordinator's queue has them all.
    ProgressReport.objects.filter(state=FilingState.SIGNOFF).update(state=FilingState.SUBMITTED)
    waiting = ProgressReport.objects.filter(state=FilingState.SUBMITTED).count()
    sign_in(page, "coordinator")
    page.goto(f"{live_server.url}/review/?reports_sort=-waiting")
    assert serious(page) == []
    boxes = page.locator("input[type=checkbox][name=report]")
    assert boxes.count() == waiting >= 2
    chosen = [boxes.nth(i).get_attribute("value") for i in range(2)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="고른 문서 승인 전 확인").click()
    page.wait_for_url("**/review/approve/confirm/**")
    assert page.locator(".approval").count() == 2
    assert "제출자가 확인한 경고" in page.locator(".approval").first.inner_text()
    assert serious(page) == []
    assert ProgressReport.objects.filter(state=FilingState.APPROVED, pk__in=[
        int(value.split(":")[0]) for value in chosen
    ]).count() == 0  # fmt: skip
    page.get_by_role("button", name="2건 승인").click()
    page.wait_for_url("**/review/")
    assert "2건을 승인했습니다" in page.locator("main").inner_text()
    approved = ProgressReport.objects.filter(pk__in=[int(v.split(":")[0]) for v in chosen])
    assert {r.state for r in approved} == {FilingState.APPROVED}
    left = ProgressReport.objects.filter(state=FilingState.SUBMITTED).count()
    assert left == waiting - 2
