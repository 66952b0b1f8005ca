"""make backup / make restore: a round trip gives back identical data (and uploaded files)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def snapshot(env: dict) -> str:
    return manage(env, "dumpdata", "strategies", "projects", "auth.group", "--indent", "0")


def round_trip(env: dict, tmp_path: Path) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_plan_fixture")
    manage(env, "seed_demo")
    media = Path(env["MEDIA_ROOT"])
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "kept.pdf").write_bytes(b"%PDF-1.4 kept")
    before = snapshot(env)
    backup = tmp_path / "round-trip.backup"
    manage(env, "backup", "-o", str(backup))
    # Lose things: projects' reports and plans, a department's name, an uploaded file.
    manage(env, "shell", "-c", (
        "from projects.models import *; Comment.objects.all().delete(); "
        "IndicatorResult.objects.all().delete(); ProgressReport.objects.all().delete(); "
        "Department.objects.filter(code='digital').update(name='바뀐 이름')"
    ))  # fmt: skip
    (media / "evidence" / "kept.pdf").unlink()
    assert snapshot(env) != before
    manage(env, "restore", str(backup), "--yes")
    assert snapshot(env) == before
    assert (media / "evidence" / "kept.pdf").read_bytes() == b"%PDF-1.4 kept"


def base_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "gwangyang_plan.settings",
        "DEBUG": "on",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    return env


def test_a_sqlite_backup_restores_identical_data(tmp_path):
    env = base_env(tmp_path) | {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
    round_trip(env, tmp_path)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL의 pg_dump 왕복은 DATABASE_URL이 PostgreSQL일 때 확인합니다",
)
def test_a_postgresql_backup_restores_identical_data(tmp_path):
    import psycopg2

    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"backup_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        host=server.hostname, port=server.port or 5432, user=server.username,
        password=server.password or "", dbname=server.path.lstrip("/") or "postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server._replace(path=f"/{name}").geturl()
        round_trip(base_env(tmp_path) | {"DATABASE_URL": url}, tmp_path)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_restoring_a_missing_file_is_a_clear_message(tmp_path):
    env = base_env(tmp_path) | {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "none.backup"), "--yes"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "백업 파일이 없습니다" in result.stderr
