"""The interface is Korean unless the user picks English with the language switch."""

import pytest


@pytest.mark.django_db
def test_an_english_browser_still_gets_the_korean_interface(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko">' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "ko", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "ko"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_korean(client):
    client.cookies["django_language"] = "xx"
    assert client.get("/accounts/login/")["Content-Language"] == "ko"


def test_a_refused_form_switches_language_back_to_the_page_it_was_sent_from(
    client, coordinator, plan, past_period
):
    """A refused extension is shown at its action's address, which only takes a POST: the
    language switch went there and the browser showed an empty English 405."""
    client.force_login(coordinator)
    response = client.post(
        f"/review/periods/{past_period.pk}/extend/",
        {"department": "", "due_on": "", "reason": "", "back": "periods"},  # from the calendar
        HTTP_REFERER="http://testserver/review/periods/",
    )
    assert response.status_code == 400
    switch = response.content.decode().split('class="language-switch"')[1].split("</form>")[0]
    assert 'name="next" type="hidden" value="http://testserver/review/periods/"' in switch
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "http://testserver/review/periods/"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/review/periods/")


def test_an_actions_address_opened_directly_says_so_in_korean(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get("/review/periods/new/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "이 주소는 직접 열 수 없습니다" in response.content.decode()
