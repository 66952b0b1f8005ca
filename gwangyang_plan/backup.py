"""Backups of the database and the uploaded files, and restoring them.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean` (the server's own tools, which
keep every table, sequence and constraint). SQLite: the sqlite3 online-backup API (a consistent
copy even while the app runs). Uploaded evidence (MEDIA_ROOT) goes into a .tar.gz beside it.

This module knows no app. After a restore it clears every cache of this server and sends
`restored`, so the apps can move what depends on the data (projects moves its data version).
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.dispatch import Signal

# Sent after a restore put the database and the files back, with no arguments.
restored = Signal()


class BackupError(Exception):
    """A backup or restore could not be made (its message says why, in Korean)."""


def _database() -> dict:
    return settings.DATABASES["default"]


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]}이(가) 없습니다. PostgreSQL 클라이언트 도구를 설치하세요.")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 실패: {result.stderr.strip()[:500]}")


def backup(target: Path) -> list[Path]:
    """Write the database to `target` (and MEDIA_ROOT to target + .media.tar.gz)."""
    db = _database()
    target.parent.mkdir(parents=True, exist_ok=True)
    if db["ENGINE"].endswith("postgresql"):
        _run(["pg_dump", "--format=custom", "--no-owner", *_pg_args(db), "--file", str(target),
              db["NAME"]], _pg_env(db))  # fmt: skip
    elif db["ENGINE"].endswith("sqlite3"):
        connection.ensure_connection()  # the app's own connection: any SQLite name, even :memory:
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
    else:
        raise BackupError(f"지원하지 않는 데이터베이스입니다: {db['ENGINE']}")
    written = [target]
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        archive = target.with_name(target.name + ".media.tar.gz")
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(media, arcname="media", filter=_kept)
        written.append(archive)
    return written


# Media folders of files that only wait a few minutes (an import between preview and apply).
SKIPPED_MEDIA = {"media/imports"}


def _kept(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return None if member.name in SKIPPED_MEDIA else member


def _not_a_backup(source: Path) -> BackupError:
    return BackupError(f"올바른 백업 파일이 아닙니다: {source} (지금의 자료는 그대로입니다)")


def _check_pg_archive(source: Path) -> None:
    """Read the archive's table of contents, so a wrong file is refused before anything changes
    (when pg_restore itself is missing, the restore that follows says so)."""
    if shutil.which("pg_restore") is None:
        return
    contents = subprocess.run(["pg_restore", "--list", str(source)], capture_output=True, text=True)
    if contents.returncode != 0 or "django_migrations" not in contents.stdout:
        raise _not_a_backup(source)


def _open_sqlite_backup(source: Path) -> sqlite3.Connection:
    """Open the file read-only, refusing one that is not a database of this app (an empty file
    opens as an empty database and would wipe everything)."""
    try:
        backup_db = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        tables = backup_db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if "django_migrations" not in {name for (name,) in tables}:
            raise _not_a_backup(source)
    except sqlite3.DatabaseError as exc:
        raise _not_a_backup(source) from exc
    return backup_db


def _forget_cached_pages() -> None:
    """Pages cached before the restore show data that are gone. Clearing every cache of this
    server drops them at once (the data version that keys them moves too, through `restored`,
    which covers the caches of other servers: none of their keys is ever asked for again)."""
    for alias in settings.CACHES:
        caches[alias].clear()


def restore(source: Path) -> None:
    """Replace the database (and MEDIA_ROOT, when its archive is beside the file) by a backup."""
    if not source.is_file():
        raise BackupError(f"백업 파일이 없습니다: {source}")
    db = _database()
    if db["ENGINE"].endswith("postgresql"):
        _check_pg_archive(source)
        connection.close()  # pg_restore --clean drops the tables: no session of ours waits on them
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *_pg_args(db), "--dbname", db["NAME"], str(source)], _pg_env(db))  # fmt: skip
    elif db["ENGINE"].endswith("sqlite3"):
        backup_db = _open_sqlite_backup(source)
        try:
            connection.ensure_connection()
            backup_db.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise _not_a_backup(source) from exc
        finally:
            backup_db.close()
    else:
        raise BackupError(f"지원하지 않는 데이터베이스입니다: {db['ENGINE']}")
    archive = source.with_name(source.name + ".media.tar.gz")
    if archive.is_file():
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(archive, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("media")]
            staging = media.parent / f".{media.name}.restoring"
            shutil.rmtree(staging, ignore_errors=True)
            tar.extractall(staging, members=members, filter="data")
        shutil.rmtree(media, ignore_errors=True)
        (staging / "media").rename(media)
        shutil.rmtree(staging, ignore_errors=True)
    _forget_cached_pages()
    restored.send(sender=None)
