"""The frame around the cached pages (dashboard, plan, project list) is rendered once per kind
of reader and filled in per request (projects.frames): each reader must still get exactly the
page a plain render would give them."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import Client

from projects import views

PAGES = ["/", "/plan/", "/projects/", '/projects/?q="><script>alert(1)</script>&page=1']
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def signed_in(user, language="ko") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def plain(request, title, body):
    return render(request, "projects/page.html", {"title": title, "body": body})


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_framed_page_is_the_plain_render_for_every_kind_of_reader(
    plan, alice, coordinator, committee, admin_user, language, monkeypatch
):
    admin_user.groups.add(*coordinator.groups.all())
    for user in (alice, coordinator, committee, admin_user, alice):
        client = signed_in(user, language)
        for url in PAGES:
            framed = client.get(url).content.decode()
            with monkeypatch.context() as m:
                m.setattr(views, "framed_page", plain)
                rendered = client.get(url).content.decode()
            assert TOKEN.sub("token", framed) == TOKEN.sub("token", rendered), (user, url)


def test_each_reader_sees_their_own_name_and_menu(plan, alice, committee):
    alice.first_name = "<앨리스>"
    alice.save()
    for _round in range(2):
        staff_page = signed_in(alice).get("/").content.decode()
        committee_page = signed_in(committee).get("/").content.decode()
        assert "&lt;앨리스&gt; (alice)" in staff_page
        assert "charlie" in committee_page and "alice" not in committee_page
        assert 'href="/import/"' in staff_page and 'href="/review/"' not in staff_page
        assert 'href="/review/"' in committee_page and 'href="/import/"' not in committee_page


def test_the_frame_is_rendered_once_per_kind_of_reader(plan, committee):
    client = signed_in(committee)
    client.get("/plan/")
    again = client.get("/plan/?direction=1")
    assert "base.html" not in [t.name for t in again.templates]
    assert 'value="/plan/?direction=1"' in again.content.decode()  # the language switch's path


def test_the_language_switch_returns_to_the_page_with_its_filters(plan, committee):
    page = signed_in(committee).get("/projects/?q=<b>&status=delayed").content.decode()
    assert 'name="next" type="hidden" value="/projects/?q=%3Cb%3E&amp;status=delayed"' in page


def test_the_token_on_a_framed_page_signs_the_reader_out(plan, committee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(committee)
    page = client.get("/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/").status_code == 302  # signed out: back to the sign-in page


def test_a_waiting_message_is_shown_on_a_framed_page(plan, committee):
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, "보고서를 저장했습니다.")
    carrier = HttpResponse()
    storage.update(carrier)
    client = signed_in(committee)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    page = client.get("/").content.decode()
    assert '<li class="message message--success">보고서를 저장했습니다.</li>' in page
    assert "보고서를 저장했습니다." not in client.get("/").content.decode()  # shown once


def test_two_readers_with_the_same_menu_each_get_their_own_name_and_token(plan, alice, bob):
    """alice and bob (staff of two departments) share a frame: only the frame, not its fill."""
    first = Client(enforce_csrf_checks=True)
    first.force_login(alice)
    alice_page = first.get("/").content.decode()
    second = Client(enforce_csrf_checks=True)
    second.force_login(bob)
    bob_page = second.get("/").content.decode()
    assert "base.html" not in [t.name for t in second.get("/").templates]  # the shared frame
    assert 'class="account__name">bob<' in bob_page and "alice" not in bob_page
    tokens = [TOKEN.search(page)[0] for page in (alice_page, bob_page)]
    assert tokens[0] != tokens[1]
    token = re.search(r'value="([^"]+)"', tokens[1])[1]
    assert second.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert second.get("/").status_code == 302  # bob is signed out
    assert first.get("/").status_code == 200  # alice is not
