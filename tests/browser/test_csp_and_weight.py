"""Every main page keeps to the Content-Security-Policy (no inline style or script anywhere,
KRDS included), on a desktop and a phone; and the heaviest of them, with its fonts and
stylesheets, stays within 400 KB transferred on a first visit."""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect
from whitenoise.compress import Compressor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    None: ["/accounts/login/", "/public/"],
    "coordinator": [
        "/", "/plan/", "/projects/", "/projects/2-2-1/", "/projects/2-2-1/plans/2026/",
        "/projects/2-2-1/reports/2026/3/", "/review/", "/proposals/", "/import/",
        "/dashboard/grid/",
    ],
    "staff-digital": ["/my/", "/projects/2-2-1/reports/2026/4/"],
}  # fmt: skip
MAX_FIRST_VISIT_BYTES = 400 * 1024
# What the browser reports when the policy refuses something.
VIOLATION = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def listening_page(browser, width: int):
    """A page that records every policy violation: the event and the console's message."""
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 800 else 900})
    page.add_init_script(LISTEN)
    page.messages = []
    page.on(
        "console",
        lambda m: page.messages.append(m.text) if VIOLATION.search(m.text) else None,
    )
    return page


def violations(page) -> list[str]:
    found = [f"{page.url} {v}" for v in page.evaluate("window.__violations")]
    found += [f"{page.url} console: {m}" for m in page.messages]
    page.messages.clear()
    return found


def visit_every_main_page(page, live_server, sign_in, on_page) -> None:
    for username, urls in PAGES.items():
        if username:
            sign_in(page, username)
        else:
            page.context.clear_cookies()
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("load")
            on_page(page, url)


@pytest.fixture
def demo(plan):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


@override_settings(PUBLIC_PAGE=True)
@pytest.mark.parametrize("width", [1440, 390])
def test_no_page_breaks_the_content_security_policy(live_server, browser, sign_in, demo, width):
    page = listening_page(browser, width)
    found = []
    visit_every_main_page(page, live_server, sign_in, lambda p, url: found.extend(violations(p)))
    if width < 800:  # the phone's menu opens, without script
        page.get_by_text("메뉴", exact=True).click()
        expect(page.get_by_role("link", name="대시보드")).to_be_visible()
        found += violations(page)
    page.close()
    assert found == []


def test_the_listener_hears_an_inline_style(live_server, browser, sign_in, demo):
    """The check itself works: a style attribute put into a page is refused, and heard."""
    page = listening_page(browser, 1440)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color:red">x</p>')""")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in violations(page))
    page.close()


@override_settings(PUBLIC_PAGE=True)
def test_a_printed_page_shows_no_menu_and_no_button(live_server, browser, sign_in, demo):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    shown = []

    def look(page, url):
        page.emulate_media(media="print")  # only while looking: signing in needs the screen
        controls = page.locator("button, .krds-btn, .site-nav, .site-menu, .krds-pagination")
        shown.extend(f"{url} {c.evaluate('e => e.outerHTML')[:80]}" for c in controls.all()
                     if c.is_visible())  # fmt: skip
        page.emulate_media(media="screen")

    visit_every_main_page(page, live_server, sign_in, look)
    page.close()
    assert shown == []


def transferred(url: str) -> int:
    """Bytes on the wire for a static file, as whitenoise serves it in production: its gzip
    copy when that is smaller (woff2 is sent as it is)."""
    name = urlparse(url).path.removeprefix("/" + settings.STATIC_URL.lstrip("/"))
    data = Path(finders.find(name)).read_bytes()
    if Compressor().should_compress(name):
        return min(len(data), len(Compressor.compress_gzip(data)))
    return len(data)


# The page's own bytes (the app does not compress pages) and every file it loaded.
LOADED = """() => [performance.getEntriesByType("navigation")[0].decodedBodySize,
                   performance.getEntriesByType("resource").map((e) => e.name)]"""


@override_settings(PUBLIC_PAGE=True)
def test_the_heaviest_main_page_is_light_on_a_first_visit(live_server, browser, sign_in, demo):
    weights, fonts = {}, {}

    def weigh(page, url):
        page.wait_for_load_state("networkidle")
        html, files = page.evaluate(LOADED)
        weights[url] = html + sum(transferred(f) for f in files if "/static/" in f)
        fonts[url] = sorted(Path(f).name for f in files if f.endswith(".woff2"))

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    visit_every_main_page(page, live_server, sign_in, weigh)
    page.close()
    heaviest = max(weights, key=weights.get)
    kilobytes = weights[heaviest] / 1024
    print(f"heaviest main page: {heaviest} {kilobytes:.0f} KB, fonts {fonts[heaviest]}")
    assert weights[heaviest] <= MAX_FIRST_VISIT_BYTES, weights
    # The fonts are counted: every page draws its text in PretendardGOV.
    assert all(any(name.startswith("PretendardGOV") for name in f) for f in fonts.values()), fonts
