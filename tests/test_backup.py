"""make backup / make restore: a round trip gives back identical data (and uploaded files)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def manage(env: dict, *args: str) -> str:
    result = run(env, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def snapshot(env: dict) -> str:
    """The data people entered; the change log is left out (a restore adds a row to it)."""
    return manage(
        env, "dumpdata", "strategies", "projects", "auth.group",
        "--exclude", "projects.datachange", "--indent", "0",
    )  # fmt: skip


def data_version(env: dict) -> str:
    return manage(
        env, "shell", "-v", "0", "-c", "from projects.selectors import *; print(data_version())"
    )


def rename_department(env: dict, name: str) -> None:
    """A saved change that cached pages show (so the data version moves)."""
    manage(env, "shell", "-c", (
        "from projects.models import Department; d = Department.objects.get(code='digital'); "
        f"d.name = '{name}'; d.save()"
    ))  # fmt: skip


def seeded(env: dict) -> dict:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_plan_fixture")
    manage(env, "seed_demo")
    return env


def base_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "gwangyang_plan.settings",
        "DEBUG": "on",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    return env


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, tmp_path):
    """A fresh, empty database of each kind (PostgreSQL when DATABASE_URL names a server)."""
    if request.param == "sqlite":
        yield base_env(tmp_path) | {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("PostgreSQL의 pg_dump 왕복은 DATABASE_URL이 PostgreSQL일 때 확인합니다")
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
        yield base_env(tmp_path) | {"DATABASE_URL": server._replace(path=f"/{name}").geturl()}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_backup_restores_identical_data(env, tmp_path):
    seeded(env)
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


def test_a_restore_gives_a_data_version_no_server_has_cached(env, tmp_path):
    seeded(env)
    seen = {data_version(env)}
    backup = tmp_path / "versions.backup"
    manage(env, "backup", "-o", str(backup))
    rename_department(env, "백업 뒤에 바뀐 이름")
    seen.add(data_version(env))
    manage(env, "restore", str(backup), "--yes")
    after_restore = data_version(env)
    assert after_restore not in seen
    seen.add(after_restore)
    rename_department(env, "되돌린 뒤에 바뀐 이름")
    assert data_version(env) not in seen


@pytest.mark.parametrize("content", [b"", b"not a backup\n", b"SQLite format 3\x00broken"])
def test_restoring_a_file_that_is_not_a_backup_is_a_clear_message_and_keeps_the_data(
    env, tmp_path, content
):
    seeded(env)
    before = snapshot(env)
    version = data_version(env)
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    result = run(env, "restore", str(bad), "--yes")
    assert result.returncode != 0
    assert "올바른 백업 파일이 아닙니다" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(env) == before
    assert data_version(env) == version


def test_restoring_a_missing_file_is_a_clear_message(tmp_path):
    env = base_env(tmp_path) | {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
    result = run(env, "restore", str(tmp_path / "none.backup"), "--yes")
    assert result.returncode != 0
    assert "백업 파일이 없습니다" in result.stderr
