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
