"""A request body larger than the largest upload is refused before anything stores it."""

import io
from wsgiref.handlers import SimpleHandler

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.core.wsgi import get_wsgi_application
from django.test import Client

MB = 1024 * 1024


@pytest.fixture
def stored(monkeypatch, settings, tmp_path):
    """Bytes Django's upload handler writes to temporary files (in tmp_path), and small limits:
    uploads of at most 1 MB, files kept in memory up to 1 KB."""
    settings.ATTACHMENT_MAX_MB = settings.IMPORT_MAX_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    written = []
    receive = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        written.append(len(raw_data))
        return receive(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    return written


@pytest.fixture
def stranger(db):
    """Nobody signed in, with the CSRF cookie a first page gives: so the CSRF check reads the
    form, as it does for any visitor."""
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    return client


def big_file(mb: int) -> io.BytesIO:
    file = io.BytesIO(b"x" * (mb * MB))
    file.name = "big.bin"
    return file


@pytest.mark.parametrize("url", ["/accounts/login/", "/import/preview/", "/no/such/page/"])
def test_a_large_anonymous_post_is_refused_and_nothing_is_written(stranger, stored, url):
    response = stranger.post(url, {"file": big_file(3), "username": "x"})
    assert response.status_code == 413
    assert "보낸 내용이 너무 큽니다" in response.content.decode()
    assert sum(stored) == 0


def test_the_refusal_is_decided_from_content_length_without_reading_the_body(stranger, stored):
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

    response = stranger.generic(
        "POST",
        "/accounts/login/",
        b"",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(60 * MB),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413


def test_an_upload_within_the_limit_still_arrives(client, alice, stored, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    response = client.post("/accounts/login/", {"file": big_file(1), "username": "x"})
    assert response.status_code != 413
    assert sum(stored) == MB  # the file is read (and written) as before


def test_the_refusal_goes_out_through_a_plain_wsgi_server(db, stored):
    """Served by wsgiref (as `make run`'s runserver serves it): a hop-by-hop header such as
    Connection is not the application's to send, and wsgiref answered it with a 500."""
    out, errors = io.BytesIO(), io.StringIO()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/import/preview/",
        "CONTENT_LENGTH": str(3 * MB),
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    SimpleHandler(io.BytesIO(), out, errors, environ).run(get_wsgi_application())
    status = out.getvalue().split(b"\r\n", 1)[0]
    assert status.endswith(b" 413 Request Entity Too Large"), errors.getvalue()
    assert "보낸 내용이 너무 큽니다".encode() in out.getvalue()
