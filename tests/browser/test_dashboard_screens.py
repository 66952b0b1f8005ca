"""Screenshots of the dashboard for a reviewer: desktop, and as printed (A4 landscape)."""

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.template.defaultfilters import floatformat
from django.test import override_settings
from playwright.sync_api import expect

from projects import selectors
from projects.models import Project

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
    expect(page.get_by_role("button", name="인쇄")).to_be_visible()  # shown by static/js/print.js
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert screenshot(page, "dashboard-print").stat().st_size > 50_000
    page.pdf(path=str(screenshot.directory / "dashboard.pdf"), format="A4", landscape=True)
    printed = printed_pages(screenshot.directory / "dashboard.pdf")
    # Page 1 is the summary: the key figures, the status bar and every direction's progress.
    assert "계획전체진척률" in printed[0] and "전략방향·전략과제별진척률" in printed[0]
    year, quarter = selectors.dashboard_period(None, None)
    for direction in selectors.dashboard(year=year, quarter=quarter).rollup.children:
        for task in direction.children:  # each task's line of the direction cards
            assert f"{task.obj.number}." in printed[0]
            assert f"{floatformat(task.progress, 1)}%" in printed[0]
    # The status grid is whole on one page: its title and its first and last rows.
    codes = list(Project.objects.order_by("code").values_list("code", flat=True))
    grid = [page for page in printed if "사업×분기추진상태" in page]
    assert len(grid) == 1 and codes[0] in grid[0] and codes[-1] in grid[0]


def printed_pages(pdf) -> list[str]:
    """The text of each printed page, without blanks or line breaks (pdftotext; the test is
    skipped without it)."""
    tool = shutil.which("pdftotext")
    if not tool:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([tool, str(pdf), "-"], check=True, capture_output=True, text=True)
    return [re.sub(r"\s+", "", page) for page in text.stdout.split("\f")]
