"""A committee member signs in with the form and reads the plan tree in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_and_reads_the_plan(live_server, page, screenshot, plan, committee):
    page.goto(f"{live_server.url}/plan/")
    assert "/accounts/login/" in page.url
    page.get_by_label("아이디").fill("charlie")
    page.get_by_label("비밀번호").fill("demo1234!")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{live_server.url}/plan/")

    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.get_by_role("heading", level=1).inner_text() == plan.vision
    assert page.locator(".phase").count() == 4
    assert page.locator(".direction").count() == 4
    assert page.locator(".task").count() == 10
    assert page.locator(".badge--sample").count() == 29
    assert screenshot(page, "plan-tree").stat().st_size > 10_000
