"""make backup / make restore: a round trip gives back identical data (and uploaded files).

In-process, on the test database itself, with the commands a person runs: SQLite through the
online-backup API, PostgreSQL (when DATABASE_URL names one) through pg_dump and pg_restore.
A restore replaces whole tables, so these tests commit for real (transaction=True).
"""

import io
import tarfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from projects import selectors
from projects.choices import CommentKind, FilingState
from projects.models import Comment, Department, IndicatorResult, ProgressReport, Project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "kept.pdf").write_bytes(b"%PDF-1.4 kept")
    return settings.MEDIA_ROOT


@pytest.fixture
def filed(plan, coordinator):
    """The shipped plan with an approved report, its indicator value and its thread."""
    project = Project.objects.get(code="2-2-1")
    now = timezone.now()
    report = ProgressReport.objects.create(
        project=project, year=2026, quarter=1, progress=40, state=FilingState.APPROVED,
        submitted_by=coordinator, submitted_at=now, reviewed_by=coordinator, reviewed_at=now,
    )  # fmt: skip
    IndicatorResult.objects.create(report=report, indicator=project.indicators.first(), value=7)
    Comment.objects.create(
        report=report, author=coordinator, kind=CommentKind.APPROVAL, body="승인"
    )
    return report


def snapshot() -> str:
    """The data people entered (the data version is bookkeeping: a restore moves it)."""
    out = io.StringIO()
    call_command(
        "dumpdata", "strategies", "projects", "auth.group",
        "--exclude", "projects.dataversion", stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_a_backup_restores_identical_data_and_uploaded_files(filed, media, tmp_path):
    before = snapshot()
    backup = tmp_path / "round-trip.backup"
    call_command("backup", "-o", str(backup), stdout=io.StringIO())
    # Lose things: reports and their threads, a department's name, an uploaded file.
    Comment.objects.all().delete()
    ProgressReport.objects.all().delete()
    Department.objects.filter(pk=filed.project.lead_department_id).update(name="바뀐 이름")
    (media / "evidence" / "kept.pdf").unlink()
    assert snapshot() != before
    call_command("restore", str(backup), "--yes", stdout=io.StringIO())
    assert snapshot() == before
    assert (media / "evidence" / "kept.pdf").read_bytes() == b"%PDF-1.4 kept"


def test_a_restore_forgets_cached_pages_and_gives_a_version_no_server_has_cached(
    filed, media, tmp_path
):
    seen = {selectors.data_version()}
    backup = tmp_path / "versions.backup"
    call_command("backup", "-o", str(backup), stdout=io.StringIO())
    Department.objects.create(code="later", name="백업 뒤에 생긴 과")
    seen.add(selectors.data_version())
    cache.set("page:built-before-the-restore", "옛 자료")
    call_command("restore", str(backup), "--yes", stdout=io.StringIO())
    assert cache.get("page:built-before-the-restore") is None
    after_restore = selectors.data_version()
    assert after_restore not in seen  # not even the version the backup was taken at
    seen.add(after_restore)
    Department.objects.create(code="again", name="되돌린 뒤에 생긴 과")
    assert selectors.data_version() not in seen


@pytest.mark.parametrize("content", [b"", b"not a backup\n", b"SQLite format 3\x00broken"])
def test_restoring_a_file_that_is_not_a_backup_is_a_clear_message_and_keeps_the_data(
    filed, tmp_path, content
):
    before, version = snapshot(), selectors.data_version()
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match="올바른 백업 파일이 아닙니다"):
        call_command("restore", str(bad), "--yes")
    assert snapshot() == before
    assert selectors.data_version() == version


@pytest.mark.django_db  # refused before the database is touched
def test_restoring_a_missing_file_is_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="백업 파일이 없습니다"):
        call_command("restore", str(tmp_path / "none.backup"), "--yes")


def test_backups_leave_files_waiting_for_import_out(media, tmp_path):
    (media / "imports").mkdir()
    (media / "imports" / "previewed.xlsx").write_bytes(b"PK previewed, never applied")
    call_command("backup", "-o", str(tmp_path / "b.backup"), stdout=io.StringIO())
    with tarfile.open(tmp_path / "b.backup.media.tar.gz") as tar:
        names = tar.getnames()
    assert "media/evidence/kept.pdf" in names
    assert not [name for name in names if name.startswith("media/imports")]
