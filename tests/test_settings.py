"""Settings come from the environment; a bad value stops start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gwangyang_plan.env import ConfigError, parse_database_url

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "gwangyang_plan.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"DEBUG": "on", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "off"}, "DJANGO_SECRET_KEY"),
        ({"DEBUG": "off", "DJANGO_SECRET_KEY": "x" * 60}, "DJANGO_ALLOWED_HOSTS"),
        ({"DEBUG": "on", "SESSION_IDLE_MINUTES": "soon"}, "SESSION_IDLE_MINUTES"),
        ({"DEBUG": "on", "EMAIL_PORT": "99999"}, "EMAIL_PORT"),
        ({"DEBUG": "on", "LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"DEBUG": "on", "TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),
        ({"DEBUG": "on", "TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line(env, names):
    result = manage("check", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("설정 오류: ")
    assert names in lines[0]
    assert "Traceback" not in result.stderr


def test_good_production_settings_start():
    result = manage(
        "check",
        DEBUG="off",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="plan.gwangyang.go.kr",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://plan:s%40cret@db.local:5433/tracker",
            {"NAME": "tracker", "USER": "plan", "PASSWORD": "s@cret", "HOST": "db.local",
             "PORT": "5433"},
        ),
        ("postgresql://postgres@127.0.0.1/postgres", {"NAME": "postgres", "HOST": "127.0.0.1"}),
        ("sqlite:////var/lib/plan.db", {"NAME": "/var/lib/plan.db"}),
        ("sqlite:///db.sqlite3", {"NAME": "/srv/app/db.sqlite3"}),
    ],
)  # fmt: skip
def test_database_urls_are_read(url, expected):
    config = parse_database_url(url, base_dir="/srv/app")
    assert {key: config[key] for key in expected} == expected


@pytest.mark.parametrize("url", ["nonsense", "mysql://x@y/z", "sqlite://", "postgres://h:port/x"])
def test_bad_database_urls_are_refused(url):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        parse_database_url(url, base_dir="/srv/app")


PRODUCTION = {
    "DEBUG": "off",
    "DJANGO_SECRET_KEY": "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "plan.gwangyang.go.kr",
}


def test_in_production_the_language_cookie_is_secure_http_only_and_same_site():
    choose_english = (
        "from django.test import Client; "
        "r = Client().post('/i18n/setlang/', {'language': 'en', 'next': '/'}, secure=True, "
        "HTTP_HOST='plan.gwangyang.go.kr'); "
        "print(r.cookies['django_language'].output())"
    )
    result = manage("shell", "--no-imports", "-c", choose_english, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    cookie = result.stdout.strip()
    assert cookie.startswith("Set-Cookie: django_language=en;")
    assert "; Secure" in cookie
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie
