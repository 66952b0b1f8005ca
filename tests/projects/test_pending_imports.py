"""A file previewed for import waits for its apply in MEDIA_ROOT/imports: it must not stay
there forever (nor in every backup) when its person never applies it."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from projects.views.transfer import PENDING_IMPORT
from tests.uploads import reports_template_with_progress

HOUR = 3600


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(client, alice, open_period, plan, media) -> bytes:
    """alice's template with 2-2-1's progress changed."""
    client.force_login(alice)
    return reports_template_with_progress(client)


@pytest.fixture
def previewed(client, filled, media):
    """alice previewed the filled template: the path of the waiting file."""
    upload = SimpleUploadedFile("filled.xlsx", filled)
    assert client.post("/import/preview/", {"file": upload}).status_code == 200
    path = media / client.session[PENDING_IMPORT]
    assert path.is_file()
    return path


def left_waiting(media, name: str, *, hours: float):
    """A file someone previewed `hours` ago and never applied."""
    path = media / "imports" / name
    path.write_bytes(b"PK old preview")
    then = time.time() - hours * HOUR
    os.utime(path, (then, then))
    return path


def waiting(media) -> set[str]:
    return {path.name for path in (media / "imports").iterdir()}


def test_signing_out_deletes_the_file_waiting_for_import(client, previewed):
    client.post("/accounts/logout/")
    assert not previewed.exists()


def test_a_preview_deletes_files_left_waiting_for_over_an_hour(client, previewed, filled, media):
    old = left_waiting(media, "old.xlsx", hours=2)
    recent = left_waiting(media, "recent.xlsx", hours=0.5)
    client.post("/import/preview/", {"file": SimpleUploadedFile("again.xlsx", filled)})
    assert not old.exists()
    assert recent.exists()


def test_the_expire_imports_command_deletes_files_waiting_for_over_an_hour(previewed, media):
    left_waiting(media, "old.xlsx", hours=2)
    call_command("expire_imports", stdout=io.StringIO())
    assert waiting(media) == {previewed.name}
