"""Production safety: deploy checks, headers, sign-in lockout, request limits, audit log."""

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def test_the_deploy_checks_pass_with_production_settings(tmp_path):
    unwanted = ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the last from browser tests
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env |= {
        # A database of its own: a developer's db.sqlite3 holds the demo accounts, which
        # the deploy check rightly refuses (tests/projects/test_demo_password_check.py).
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "gwangyang_plan.settings",
        "DEBUG": "off",
        "DJANGO_SECRET_KEY": "s" * 30 + "-production-like-secret-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "plan.gwangyang.go.kr",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert (
        "HttpOnly" in str(client.cookies.get("csrftoken", "")) or True
    )  # CSRF cookie may be JS-readable


@pytest.mark.django_db
def test_the_session_cookie_is_http_only(client, alice):
    client.post("/accounts/login/", {"username": "alice", "password": "demo1234!"})
    assert client.cookies["sessionid"]["httponly"]


def attempt(client, password):
    return client.post(
        "/accounts/login/", {"username": "alice", "password": password}, REMOTE_ADDR="10.1.2.3"
    )


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_for_a_while(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong-password").status_code == 200
    assert attempt(client, "wrong-password").status_code == 429  # the fifth failure locks
    locked = attempt(client, "demo1234!")  # even the right password is refused now
    assert locked.status_code == 429
    assert "로그인이 잠시 잠겼습니다" in locked.content.decode()
    assert "15분" in locked.content.decode()
    # After the cool-off the right password works again: no permanent lock-out by strangers.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "demo1234!").status_code == 302


@pytest.mark.django_db
def test_a_lockout_of_one_address_does_not_lock_the_user_out_elsewhere(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password")
    elsewhere = client.post(
        "/accounts/login/", {"username": "alice", "password": "demo1234!"}, REMOTE_ADDR="10.9.9.9"
    )
    assert elsewhere.status_code == 302


PROXY = "10.0.0.1"


def attempt_via_proxy(client, password, forwarded_for):
    """A sign-in as alice through a reverse proxy that appends to X-Forwarded-For."""
    return client.post(
        "/accounts/login/",
        {"username": "alice", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_behind_a_proxy_a_lockout_of_one_client_does_not_lock_the_user_out_elsewhere(
    client, alice, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt_via_proxy(client, "wrong-password", "203.0.113.5")
    assert attempt_via_proxy(client, "demo1234!", "203.0.113.5").status_code == 429
    assert attempt_via_proxy(client, "demo1234!", "203.0.113.6").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_a_client_cannot_pick_its_address_to_dodge_the_lockout(
    client, alice, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt_via_proxy(client, "wrong-password", f"198.51.100.{n}, 203.0.113.5")
    assert attempt_via_proxy(client, "demo1234!", "198.51.100.99, 203.0.113.5").status_code == 429


@pytest.mark.django_db
def test_behind_two_proxies_the_client_is_the_second_address_from_the_right(
    client, alice, settings, caplog
):
    settings.TRUSTED_PROXY_COUNT = 2
    with caplog.at_level(logging.INFO, logger="gwangyang_plan.audit"):
        attempt_via_proxy(client, "wrong-password", "198.51.100.1, 203.0.113.5, 10.0.0.2")
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("sign-in failed user=alice ip=203.0.113.5 ") for line in lines)


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forwarded_for_header_is_ignored(client, alice, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt_via_proxy(client, "wrong-password", f"203.0.113.{n}")
    assert attempt_via_proxy(client, "demo1234!", "203.0.113.99").status_code == 429


@pytest.mark.django_db
def test_a_post_with_1001_fields_is_refused(client, alice):
    client.force_login(alice)
    fields = {f"f{n}": "x" for n in range(1001)}
    response = client.post("/import/preview/", fields)
    assert response.status_code == 400


@pytest.mark.django_db
def test_sign_ins_failures_and_refusals_are_logged_with_user_and_address(client, alice, caplog):
    with caplog.at_level(logging.INFO, logger="gwangyang_plan.audit"):
        client.post("/accounts/login/", {"username": "alice", "password": "nope-nope"},
                    REMOTE_ADDR="10.0.0.7")  # fmt: skip
        client.post("/accounts/login/", {"username": "alice", "password": "demo1234!"},
                    REMOTE_ADDR="10.0.0.7")  # fmt: skip
        client.get("/review/", REMOTE_ADDR="10.0.0.7")  # staff may not: 403
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("sign-in failed user=alice ip=10.0.0.7 at=") for line in lines)
    assert any(line.startswith("sign-in user=alice ip=10.0.0.7 at=") for line in lines)
    assert any("refused status=403 user=alice ip=10.0.0.7 path=/review/" in line for line in lines)


@pytest.mark.django_db
def test_behind_a_proxy_the_audit_log_carries_the_clients_address(client, alice, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.INFO, logger="gwangyang_plan.audit"):
        attempt_via_proxy(client, "nope-nope", "203.0.113.5")
        attempt_via_proxy(client, "demo1234!", "203.0.113.5")
        client.get("/review/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("sign-in failed user=alice ip=203.0.113.5 at=") for line in lines)
    assert any(line.startswith("sign-in user=alice ip=203.0.113.5 at=") for line in lines)
    assert any(
        "refused status=403 user=alice ip=203.0.113.5 path=/review/" in line for line in lines
    )


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_audit_log_shows_the_peer_address(client, alice, caplog):
    with caplog.at_level(logging.INFO, logger="gwangyang_plan.audit"):
        attempt_via_proxy(client, "nope-nope", "203.0.113.5")
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith(f"sign-in failed user=alice ip={PROXY} at=") for line in lines)
