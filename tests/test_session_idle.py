"""The idle timeout: a session's expiry moves on with use, written at most once a minute (not on
every request, which cost every page a database write)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gwangyang_plan.middleware import SessionIdleMiddleware


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


@pytest.fixture
def signed_in(client, committee):
    client.force_login(committee)
    client.get("/proposals/")  # the first use after sign-in stamps the session
    return client


def test_pages_read_within_a_minute_write_nothing_to_the_session(signed_in):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert signed_in.get("/proposals/").status_code == 200
    assert session_writes(queries) == []


def test_a_use_after_a_minute_moves_the_expiry_on(signed_in):
    session = signed_in.session
    session[SessionIdleMiddleware.KEY] -= SessionIdleMiddleware.TOUCH_EVERY_S + 1
    session.save()
    # As if it had been idle for 25 minutes: 5 minutes left.
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    before = stored_expiry(signed_in)

    assert signed_in.get("/proposals/").status_code == 200

    after = stored_expiry(signed_in)
    assert after > before
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert after > timezone.now() + idle - timedelta(minutes=1)


def test_an_idle_session_has_ended(signed_in):
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = signed_in.get("/proposals/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_anonymous_visitor_gets_no_session(client, db):
    client.cookies["sessionid"] = "not-a-session-anyone-has"
    client.get("/accounts/login/")
    assert not Session.objects.exists()
