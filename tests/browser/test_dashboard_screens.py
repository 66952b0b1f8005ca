"""Screenshots of the dashboard for a reviewer: desktop, and as printed (A4 landscape)."""

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_renders_for_the_screen_and_for_print(
    live_server, page, sign_in, screenshot, plan
):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    sign_in(page, "committee")
    assert page.get_by_role("heading", level=1).inner_text().endswith("추진현황")
    assert page.locator("svg.gauge").count() >= 8
    # Every chart has a text alternative.
    for chart in page.locator("svg[role=img]").all():
        assert chart.get_attribute("aria-label") or chart.get_attribute("aria-labelledby")
    assert screenshot(page, "dashboard").stat().st_size > 50_000
    assert page.get_by_role("button", name="인쇄").is_visible()  # shown by static/js/print.js
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert screenshot(page, "dashboard-print").stat().st_size > 50_000
    page.pdf(path=str(screenshot.directory / "dashboard.pdf"), format="A4", landscape=True)
