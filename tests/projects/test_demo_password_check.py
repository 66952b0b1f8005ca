"""`manage.py check --deploy` fails, and `make serve` refuses to start, while a demo account
still signs in with the demo password (seed_demo once run against the database)."""

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from projects.demo import DEMO_PASSWORD
from projects.models import User
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "gwangyang_plan.settings",
    "DEBUG": "off",
    "DJANGO_SECRET_KEY": "s" * 30 + "-production-like-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "plan.gwangyang.go.kr",
}


def deploy_check():
    call_command("check", "--deploy", "--fail-level", "ERROR", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "coordinator", "staff-digital", "head-digital"])
def test_a_demo_account_with_the_demo_password_fails_the_deploy_check(username):
    UserFactory(username=username, password=DEMO_PASSWORD)
    with pytest.raises(
        SystemCheckError, match=f"데모 비밀번호로 로그인할 수 있는 계정.*{username}"
    ):
        deploy_check()


@pytest.mark.django_db
def test_a_demo_account_with_a_changed_password_or_deactivated_passes():
    UserFactory(username="admin", password="a-new-long-password-7")
    UserFactory(username="coordinator", password=DEMO_PASSWORD, is_active=False)
    deploy_check()


def production_env(database: Path) -> dict[str, str]:
    unwanted = ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    return env | PRODUCTION | {"DATABASE_URL": f"sqlite:///{database}"}


def test_the_deploy_check_passes_on_a_database_not_migrated_yet(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(tmp_path / "new.sqlite3"), capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def database_url_of_this_test(tmp_path: Path) -> str:
    """A URL the `make serve` subprocess can open holding this test's (committed) data: the
    PostgreSQL test database itself, or for SQLite's in-memory one a file copy (sqlite3's
    backup API). Migrating a new file from nothing would cost the test 15 s."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    copy = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(copy)) as target:
        connection.connection.backup(target)
    return f"sqlite:///{copy}"


@pytest.mark.django_db(transaction=True)
def test_make_serve_refuses_to_start_while_the_demo_password_works(tmp_path):
    # Hashed as production hashes (the tests' own hasher is MD5, which production cannot read).
    hashed = PBKDF2PasswordHasher().encode(DEMO_PASSWORD, PBKDF2PasswordHasher().salt())
    UserFactory(username="admin", is_superuser=True, is_staff=True, password=None)
    User.objects.filter(username="admin").update(password=hashed)
    env = production_env(tmp_path / "unused.sqlite3") | {
        "PORT": "8765",
        "DATABASE_URL": database_url_of_this_test(tmp_path),
    }
    serve = subprocess.Popen(
        ["make", "--no-print-directory", "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        out, err = serve.communicate(timeout=90)
    finally:
        if serve.poll() is None:  # it started serving: stop what we started
            os.killpg(serve.pid, signal.SIGTERM)
            serve.wait()
    assert serve.returncode != 0
    assert "데모 비밀번호로 로그인할 수 있는 계정이 있습니다: admin" in err
    assert "서비스를 시작하지 않습니다" in out + err
    assert "bin/gunicorn" not in out  # make never got to the command
