"""Hostile xlsx files (issue #13, items 5 and 7): refused quickly with the message of any file
that cannot be read, on the page and by the commands; never a 500, nothing written."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from benchmarks.refusals import entity_bomb, shared_string_bomb
from projects.models import ProgressReport
from projects.workbooks import screening

UNREADABLE = "엑셀 파일을 읽을 수 없습니다"


@pytest.fixture
def staff(client, alice, open_period, plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    return client


def refused(client, content: bytes) -> str:
    response = client.post("/import/preview/", {"file": SimpleUploadedFile("f.xlsx", content)})
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()
    return response.content.decode()


def template_with(client, sheet: str, *, doctype: str = "", row: str = "") -> bytes:
    """The user's report template, its `sheet` given a DOCTYPE, one more row of raw XML and,
    as Excel writes it, a <dimension> (without one, openpyxl reads the whole sheet to find
    its size as it opens the file; with one, the row is read only with the rows)."""
    response = client.get("/import/template/reports.xlsx?year=2026&quarter=4")
    names = openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
    part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(response.content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info)
            if info.filename == part:
                text = body.decode()
                text = text.replace("<worksheet", doctype + "<worksheet", 1)
                text = text.replace("</sheetData>", f'<row r="999">{row}</row></sheetData>')
                if "<dimension" not in text:
                    text = text.replace("<sheetData", '<dimension ref="A1:Z999"/><sheetData', 1)
                body = text.encode()
            target.writestr(info, body)
    return out.getvalue()


def test_a_shared_string_bomb_is_refused_before_openpyxl_reads_it(staff):
    bomb = shared_string_bomb()
    assert len(bomb) < 100_000  # passes every size check
    assert "글자 칸이 너무 많은 파일입니다" in refused(staff, bomb)


def test_a_sheet_with_a_million_cells_is_refused(staff, monkeypatch):
    monkeypatch.setattr(screening, "MAX_ELEMENTS", 5_000)
    cells = '<c r="B999"><v>1</v></c>' * 3_000
    page = refused(staff, template_with(staff, "분기실적", row=cells))
    assert "셀이 너무 많은 파일입니다" in page


INLINE = '<c r="B999" t="inlineStr"><is><t>{}</t></is></c>'
LAUGHS = "".join(
    [
        '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">',
        *(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)),
        "]>",
    ]
)
HOSTILE_SHEETS = {
    "entity bomb": {"doctype": LAUGHS, "row": INLINE.format("&lol9;")},
    "external entity": {
        "doctype": '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "row": INLINE.format("&xxe;"),
    },
    "control character": {"row": INLINE.format("\x01")},
    "control character reference": {"row": INLINE.format("&#1;")},
}
# Well-formed XML that openpyxl cannot turn into values (read only in the sheets of rows).
BROKEN_CELLS = {
    "text in a number cell": {"row": '<c r="E999"><v>abc</v></c>'},
    "shared string that is not there": {"row": '<c r="B999" t="s"><v>12345</v></c>'},
}


@pytest.mark.parametrize("hostile", HOSTILE_SHEETS.values(), ids=HOSTILE_SHEETS.keys())
@pytest.mark.parametrize("sheet", ["분기실적", "성과지표", "양식"])
def test_a_sheet_that_is_not_plain_xml_is_refused_as_unreadable(staff, sheet, hostile):
    assert UNREADABLE in refused(staff, template_with(staff, sheet, **hostile))


@pytest.mark.parametrize("broken", BROKEN_CELLS.values(), ids=BROKEN_CELLS.keys())
@pytest.mark.parametrize("sheet", ["분기실적", "성과지표"])
def test_a_cell_openpyxl_cannot_read_is_refused_as_unreadable(staff, sheet, broken):
    assert UNREADABLE in refused(staff, template_with(staff, sheet, **broken))


def test_the_entity_bomb_of_make_bench_is_refused(staff):
    assert UNREADABLE in refused(staff, entity_bomb())


@pytest.mark.parametrize("command", ["import_reports", "import_plan"])
def test_the_commands_refuse_a_shared_string_bomb(alice, plan, tmp_path, command):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(shared_string_bomb())
    with pytest.raises(CommandError, match="글자 칸이 너무 많은 파일입니다"):
        call_command(command, str(path), user="alice")
