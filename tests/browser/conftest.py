"""Real-browser tests: Playwright driving Debian's Chromium against a live server.

Without /usr/bin/chromium they are skipped with a one-line notice, unless REQUIRE_BROWSER=1
(set by CI), which makes a missing browser a failure.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} 없음: 브라우저 테스트를 건너뜁니다 (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM in the test is
    # still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
            browser.close()
        finally:
            # While an event loop runs in a thread (Playwright's, from here on), asgiref's Local
            # gives Django a separate store of that thread's connections: the tests since have
            # opened one of their own, which pytest-django, dropping the test database after
            # this, would not see nor close (the drop then fails and leaves the database
            # behind). Closed here, inside the `with`, while that store is the one in use.
            connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # not for the rest of the suite


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, username): through the sign-in form, from no session, as a person would;
    ends where a sign-in lands (staff: 내 업무, others: the dashboard). By field ids, so it
    works in either language."""

    def sign_in(page, username: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill("demo1234!")
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/" not in url)

    return sign_in


class Screenshots:
    """Saves full-page PNGs under build/screenshots/ for a reviewer to look at."""

    directory = SCREENSHOTS

    def __call__(self, page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screenshot():
    return Screenshots()
