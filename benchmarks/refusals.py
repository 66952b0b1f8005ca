"""Hostile requests that must be refused quickly (issue #13, items 5–7): the files, built here
(the tests use the same ones), and `refusal_rows()`, which times the refusals for make bench."""

import io
import time
import zipfile
from pathlib import Path

import openpyxl

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


def refusal_rows(*, client, signed_in_client, temp_dir: Path) -> list[tuple]:
    """(what, status, seconds, bytes left in `temp_dir`) for each hostile request: the two
    bombs uploaded by someone who may import, a 60 MB body posted by nobody signed in."""
    rows = []
    for what, content in (
        ("shared-string bomb (1,000,000 strings)", shared_string_bomb()),
        ("entity bomb (billion laughs)", entity_bomb()),
    ):
        file = io.BytesIO(content)
        file.name = "bomb.xlsx"
        start = time.perf_counter()
        response = signed_in_client.post("/import/preview/", {"file": file})
        rows.append((f"{what}, {len(content) // 1024} KB", response.status_code,
                     time.perf_counter() - start, _bytes_in(temp_dir)))  # fmt: skip
    body = b"x" * (60 * 1024 * 1024)
    start = time.perf_counter()
    response = client.generic(
        "POST", "/accounts/login/", body, content_type="application/octet-stream"
    )
    rows.append(("60 MB POST, nobody signed in", response.status_code,
                 time.perf_counter() - start, _bytes_in(temp_dir)))  # fmt: skip
    return rows


def _bytes_in(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
