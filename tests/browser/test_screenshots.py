"""Screenshots of the main pages, Korean and English, under build/screenshots/."""

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "dashboard": "/",
    "plan": "/plan/",
    "projects": "/projects/",
    "project": "/projects/2-2-1/",
    "report": "/projects/2-2-1/reports/2026/3/",
    "direction": "/plan/2/",
    "versions": "/projects/2-2-1/plans/2025/versions/",
    "review": "/review/",
    "missing": "/review/missing/",
    "periods": "/review/periods/",
    "proposals": "/proposals/",
    "import": "/import/",
    "grid": "/dashboard/grid/",
    "plan-form": "/projects/2-2-1/plans/2026/",
}
STAFF_PAGES = {"my": "/my/", "report-form": "/projects/2-2-1/reports/2026/3/"}


DEVICES = (("desktop", 1440, 900), ("phone", 390, 844))


@override_settings(PUBLIC_PAGE=True)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_main_pages_are_captured(live_server, browser, sign_in, screenshot, plan, language):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    for device, width, height in DEVICES:  # the pages of people not signed in
        page.set_viewport_size({"width": width, "height": height})
        for name, url in (("login", "/accounts/login/"), ("public", "/public/")):
            page.goto(f"{live_server.url}{url}")
            assert screenshot(page, f"{language}-{name}-{device}").stat().st_size > 10_000
    for username, pages in (("coordinator", PAGES), ("staff-digital", STAFF_PAGES)):
        sign_in(page, username)  # starts from no cookies: the language is chosen after it
        cookie = {"name": "django_language", "value": language, "url": live_server.url}
        context.add_cookies([cookie])
        for device, width, height in DEVICES:
            page.set_viewport_size({"width": width, "height": height})
            for name, url in pages.items():
                page.goto(f"{live_server.url}{url}")
                assert page.locator("html").get_attribute("lang") == language
                assert screenshot(page, f"{language}-{name}-{device}").stat().st_size > 10_000
    page.goto(f"{live_server.url}/")  # the phone's menu, opened
    page.locator(".site-menu > summary").click()
    screenshot(page, f"{language}-menu-phone")
    context.close()
