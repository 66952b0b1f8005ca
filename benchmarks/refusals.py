"""Hostile requests that must be refused quickly (issue #13, items 5–7): the files, built here
(the tests use the same ones), and `section()`, which times the refusals for make bench."""

import io
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client, override_settings

SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx_with(parts: dict[str, bytes], workbook: openpyxl.Workbook | None = None) -> bytes:
    """A workbook (an empty one by default) saved, with the zip members `parts` put in or
    replaced; a shared-string table added is declared as Excel declares it."""
    buffer = io.BytesIO()
    (workbook or openpyxl.Workbook()).save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = set(source.namelist())
        for name in names - set(parts):
            body = source.read(name)
            if name == "[Content_Types].xml" and "xl/sharedStrings.xml" in set(parts) - names:
                override = (
                    f'<Override PartName="/xl/sharedStrings.xml" '
                    f'ContentType="{SHARED_STRINGS_TYPE}"/></Types>'
                )
                body = body.replace(b"</Types>", override.encode())
            target.writestr(name, body)
        for name, body in parts.items():
            target.writestr(name, body)
    return out.getvalue()


def shared_string_bomb(count: int = 1_000_000) -> bytes:
    """About 50 KB on disk: `count` one-letter shared strings (openpyxl reads them all when it
    opens the file, tens of microseconds each)."""
    table = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}" '
        f'uniqueCount="{count}">' + "<si><t>a</t></si>" * count + "</sst>"
    )
    return xlsx_with({"xl/sharedStrings.xml": table.encode()})


def entity_bomb() -> bytes:
    """The billion-laughs entity bomb in the first sheet."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
    )
    return xlsx_with({"xl/worksheets/sheet1.xml": sheet.encode()})


class CountingUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for large uploads (it writes them to a temporary file), counting the
    bytes it is given."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        CountingUploadHandler.received += len(raw_data)
        return super().receive_data_chunk(raw_data, start)


def section(out, importer) -> None:
    """Time each refusal and write the table to `out` (a Report of make bench)."""
    rows = []
    with tempfile.TemporaryDirectory() as scratch, override_settings(
        FILE_UPLOAD_HANDLERS=[
            "django.core.files.uploadhandler.MemoryFileUploadHandler",  # as Django's default
            "benchmarks.refusals.CountingUploadHandler",
        ],
        FILE_UPLOAD_TEMP_DIR=scratch,
    ):  # fmt: skip
        signed_in = Client()
        signed_in.force_login(importer, backend="projects.backends.RolesBackend")
        stranger = Client(enforce_csrf_checks=True)
        stranger.get("/accounts/login/")  # the CSRF cookie: so the CSRF check reads the form
        for what, url, client, file in (
            ("shared-string bomb (1,000,000 strings)", "/import/preview/", signed_in,
             shared_string_bomb()),
            ("entity bomb (billion laughs)", "/import/preview/", signed_in, entity_bomb()),
            ("60 MB POST, nobody signed in", "/accounts/login/", stranger,
             b"x" * (60 * 1024 * 1024)),
        ):  # fmt: skip
            upload = io.BytesIO(file)
            upload.name = "upload.xlsx"
            CountingUploadHandler.received = 0
            start = time.perf_counter()
            response = client.post(url, {"file": upload, "username": "x"})
            seconds = time.perf_counter() - start
            rows.append((what, len(file), response.status_code, seconds,
                         CountingUploadHandler.received))  # fmt: skip
    media_imports = Path(settings.MEDIA_ROOT) / "imports"
    left = sum(p.stat().st_size for p in media_imports.glob("*")) if media_imports.is_dir() else 0
    out.line("")
    out.line("## Refusals (target: each < 2 s, nothing written to disk)")
    out.line("")
    out.line("| request | size | status | seconds | bytes to a temporary file | target |")
    out.line("|---|---|---|---|---|---|")
    for what, size, status, seconds, written in rows:
        ok = seconds < 2 and written == 0 and status in (400, 413)
        out.line(f"| {what} | {size / 1024:,.0f} KB | {status} | {seconds:.2f} | {written:,} "
                 f"| {'ok' if ok else '**over**'} |")  # fmt: skip
    out.line("")
    out.line(f"Left in MEDIA_ROOT/imports afterwards: {left:,} bytes.")
