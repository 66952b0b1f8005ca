"""A phone (390 × 844) and paper: no page scrolls sideways, the header takes at most a fifth
of the first screen, tables become labelled cards, the status grid opens at its latest
quarter; printed, a page shows its content without menus, buttons or forms to fill in."""

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PAGES = {
    "coordinator": [
        "/", "/plan/", "/projects/", "/projects/2-2-1/", "/projects/2-2-1/plans/2026/",
        "/projects/2-2-1/reports/2026/3/", "/review/", "/proposals/", "/import/",
        "/dashboard/grid/", "/accounts/lockouts/", "/review/missing/", "/review/periods/",
        "/plan/2/", "/projects/2-2-1/plans/2025/versions/",
        # the plan's life: an ended project, its end, a changed plan, the evaluations
        "/projects/1-2-2/", "/projects/1-2-2/end/", "/projects/1-1-1/plans/2026/",
        "/evaluations/", "/projects/1-1-1/evaluations/2025/",
    ],
    "staff-digital": ["/my/", "/projects/2-2-1/reports/2026/4/", "/projects/2-2-2/plans/2027/"],
}  # fmt: skip
PRINTED = {
    "coordinator": ["/projects/", "/projects/2-2-1/", "/review/", "/plan/"],
    "staff-digital": ["/my/", "/projects/2-2-1/reports/2026/3/"],
}

OVERFLOW = "document.documentElement.scrollWidth"
HEADER = "document.querySelector('.site-header').getBoundingClientRect().height"
OFF_SCREEN = """() => [...document.querySelectorAll('main button, main .krds-btn, main input')]
    .filter(e => e.getClientRects().length && e.type !== 'hidden')
    .filter(e => { const r = e.getBoundingClientRect();
      return r.left < 0 || r.right > innerWidth; })
    .map(e => e.outerHTML.slice(0, 80))"""
SHOWN_IN_PRINT = """() => [...document.querySelectorAll(
    'nav, button, .krds-btn, #krds-skip-link, .site-header, .site-footer, form:not(.card)')]
    .filter(e => e.getClientRects().length).map(e => e.outerHTML.slice(0, 80))"""
LINKS_AS_TEXT = """() => [...document.querySelectorAll('main a')]
    .filter(a => a.getClientRects().length)
    .filter(a => { const s = getComputedStyle(a);
      return s.color !== getComputedStyle(a.parentElement).color
        || s.textDecorationLine !== 'none'; })
    .map(a => a.outerHTML.slice(0, 80))"""
ROWS_SPLIT = """() => [...document.querySelectorAll('tbody tr')]
    .filter(tr => getComputedStyle(tr).breakInside !== 'avoid').length"""


@pytest.fixture
def demo(plan):
    with override_settings(DEBUG=True, PUBLIC_PAGE=True):
        call_command("seed_demo", verbosity=0)


@override_settings(PUBLIC_PAGE=True)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_on_a_phone_no_page_scrolls_sideways_and_the_header_is_a_fifth_at_most(
    live_server, browser, sign_in, demo, language
):
    page = browser.new_page(viewport=PHONE)
    cookie = {"name": "django_language", "value": language, "url": live_server.url}
    page.context.add_cookies([cookie])
    found = []
    for url in ("/accounts/login/", "/public/"):
        page.goto(f"{live_server.url}{url}")
        found += [(url, "sideways")] if page.evaluate(OVERFLOW) > PHONE["width"] else []
    for username, urls in PAGES.items():
        sign_in(page, username)  # from no cookies: the language is chosen after it
        page.context.add_cookies([cookie])
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            if page.evaluate(OVERFLOW) > PHONE["width"]:
                found.append((url, "sideways", page.evaluate(OVERFLOW)))
            if page.evaluate(HEADER) > PHONE["height"] / 5:
                found.append((url, "header", page.evaluate(HEADER)))
            found += [(url, "off screen", html) for html in page.evaluate(OFF_SCREEN)]
    page.close()
    assert found == []


def test_on_a_phone_a_table_row_is_a_card_with_each_value_labelled(
    live_server, browser, sign_in, demo
):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, "coordinator")
    page.goto(f"{live_server.url}/projects/")
    cell = page.locator("tbody tr").first.locator("td").nth(3)
    assert cell.get_attribute("data-label") == "주관부서"
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"주관부서"'
    row = page.locator("tbody tr").first.bounding_box()
    assert row["width"] <= PHONE["width"] and row["height"] > 200  # one value a line
    page.close()


def test_on_a_phone_the_status_grid_opens_at_its_latest_quarter(
    live_server, browser, sign_in, demo
):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, "committee")
    page.goto(f"{live_server.url}/dashboard/grid/")
    latest = page.locator('thead abbr[title="2026년 3분기"]').bounding_box()
    first = page.locator('thead abbr[title="2023년 1분기"]').bounding_box()
    name = page.locator("tbody th").first.bounding_box()
    assert name["x"] + name["width"] <= latest["x"] and latest["x"] + latest["width"] <= 390
    assert first["x"] + first["width"] <= name["x"] + name["width"]  # scrolled under the names
    assert page.locator('thead abbr[title="2027년 4분기"]').is_hidden()  # nothing filed yet
    # Each cell's letter in its status's ink: link blue vanished on 완료's blue.
    assert page.locator(".status-grid td.cell--completed a").count()
    unreadable = page.evaluate(
        """() => [...document.querySelectorAll('.status-grid td.q a')].filter(
            a => getComputedStyle(a).color !== getComputedStyle(a.closest('td')).color).length"""
    )
    assert unreadable == 0
    page.close()


def test_a_printed_page_shows_its_content_without_menus_buttons_or_forms(
    live_server, browser, sign_in, demo
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = []
    for username, urls in PRINTED.items():
        sign_in(page, username)
        page.emulate_media(media="print")
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            assert page.locator("main h1").is_visible(), url
            found += [(url, "shown", html) for html in page.evaluate(SHOWN_IN_PRINT)]
            found += [(url, "a link looks like one", html) for html in page.evaluate(LINKS_AS_TEXT)]
            found += [(url, "rows may split")] if page.evaluate(ROWS_SPLIT) else []
        page.emulate_media(media="screen")
    page.close()
    assert found == []


def test_a_printed_filing_names_its_project_and_a_project_prints_its_numbers_open(
    live_server, browser, sign_in, demo
):
    """On paper the breadcrumb is gone: a report or plan printed as "2026년 3분기 추진실적"
    alone could not be filed. A project's 분기별 수치 표, folded on screen, printed folded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, "staff-digital")
    page.emulate_media(media="print")
    for url in ("/projects/2-2-1/reports/2026/3/", "/projects/2-2-1/plans/2026/"):
        page.goto(f"{live_server.url}{url}")
        subject = page.locator(".print-subject")
        assert subject.is_visible(), url
        assert "2-2-1" in subject.inner_text() and "빅데이터" in subject.inner_text()
    page.emulate_media(media="screen")
    assert not page.locator(".print-subject").is_visible()  # on screen the breadcrumb says it
    page.goto(f"{live_server.url}/projects/2-2-1/")
    numbers = page.locator("details.trends__numbers")
    assert numbers.get_attribute("open") is None
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert numbers.get_attribute("open") is not None
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert numbers.get_attribute("open") is None  # folded again on screen
    page.close()
