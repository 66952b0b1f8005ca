"""`manage.py check --deploy` fails, and `make serve` refuses to start, while a demo account
still signs in with the demo password (seed_demo once run against the database)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from projects.demo import DEMO_PASSWORD
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


def test_make_serve_refuses_to_start_while_the_demo_password_works(tmp_path):
    env = production_env(tmp_path / "demo.sqlite3") | {"PORT": "8765"}
    seed_demo_admin = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "from projects.models import User; "
        f"User.objects.create_superuser('admin', password={DEMO_PASSWORD!r})"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", seed_demo_admin], cwd=ROOT,
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    serve = subprocess.Popen(
        ["make", "--no-print-directory", "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        out, err = serve.communicate(timeout=300)
    finally:
        if serve.poll() is None:  # it started serving: stop what we started
            os.killpg(serve.pid, signal.SIGTERM)
            serve.wait()
    assert serve.returncode != 0
    assert "데모 비밀번호로 로그인할 수 있는 계정이 있습니다: admin" in err
    assert "서비스를 시작하지 않습니다" in out + err
    assert "bin/gunicorn" not in out  # make never got to the command
