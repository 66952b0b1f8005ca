"""Every main page passes axe-core with no serious or critical violation (WCAG 2.1 AA rules)."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "coordinator": [
        "/", "/plan/", "/projects/", "/projects/2-2-1/", "/projects/2-2-1/plans/2026/",
        "/projects/2-2-1/reports/2026/3/", "/review/", "/proposals/", "/import/",
        "/dashboard/grid/", "/review/missing/", "/review/periods/",
        "/plan/2/", "/plan/2-2/", "/projects/2-2-1/plans/2025/versions/",
    ],
    "staff-digital": [
        "/my/", "/projects/2-2-1/reports/2026/4/", "/projects/2-2-1/reports/2026/3/submission/",
    ],
    "head-digital": ["/my/"],
}  # fmt: skip
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def serious(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_main_pages_have_no_serious_accessibility_violations(
    live_server, browser, sign_in, plan
):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    call_command("send_reminders", stdout=io.StringIO())  # rows in the 미제출·독촉 page's log
    found = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    found += serious(page)
    for username, urls in PAGES.items():
        sign_in(page, username)
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            found += serious(page)
    page.close()
    assert found == []


def test_a_form_error_is_tied_to_its_field(live_server, page, sign_in, plan, alice, open_period):
    sign_in(page, "alice")
    page.goto(f"{live_server.url}/projects/2-2-1/reports/2026/4/")
    page.get_by_label("진척률(%)").fill("150")
    page.get_by_role("button", name="임시 저장").click()
    field = page.get_by_label("진척률(%)")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby") or ""
    assert "id_progress_error" in described.split()
    assert "0~100" in page.locator("#id_progress_error").inner_text()


def test_the_report_form_works_with_the_keyboard_alone(live_server, page, plan, alice, open_period):
    page.goto(f"{live_server.url}/accounts/login/")
    # Focused on arrival. Chromium applies autofocus at its next rendering step, which can come
    # after "load" on a busy machine: wait for it (5 s) rather than read it at once.
    expect(page.locator("#id_username")).to_be_focused(timeout=5000)
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    page.keyboard.type("demo1234!")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/my/")
    page.goto(f"{live_server.url}/projects/2-2-1/reports/2026/4/")
    page.get_by_label("진척률(%)").focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("25")
    page.get_by_role("button", name="임시 저장").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("임시 저장했습니다")
