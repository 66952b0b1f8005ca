"""Reading an upload's XML parts once, quickly, before openpyxl does: a small file can hold a
million shared strings or cells (each costs openpyxl tens of microseconds), an entity bomb or
an external entity. A streaming parser counts them against caps and stops at the first one
over; a workbook saved by Excel or by this app never has a DTD, so any is refused."""

import time
import zipfile
import zlib
from xml.parsers import expat

from django.utils.translation import gettext as _

# A full 10,000-row template holds well under these; openpyxl reads a file at the caps in a
# few seconds, and scanning one (about a microsecond an element) stops at them.
MAX_SHARED_STRINGS = 100_000
MAX_ELEMENTS = 1_000_000
SCAN_SECONDS = 5
CHUNK = 64 * 1024
XML_PARTS = (".xml", ".rels", ".vml")


class Unreadable(Exception):
    """A part of the file is not plain, well-formed XML within the caps (message in Korean)."""


def screen(archive: zipfile.ZipFile) -> None:
    """Raise Unreadable unless every XML part of the archive is safe for openpyxl to read."""
    scan = _Scan()
    for info in archive.infolist():
        if info.filename.lower().endswith(XML_PARTS):
            scan.part(archive, info)


class _Scan:
    def __init__(self):
        self.elements = 0
        self.strings = 0
        self.deadline = time.monotonic() + SCAN_SECONDS

    def part(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        parser.ExternalEntityRefHandler = self.refuse_dtd
        shared_strings = info.filename.lower().endswith("sharedstrings.xml")
        parser.StartElementHandler = self.shared_string if shared_strings else self.element
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    parser.Parse(chunk, False)
                    if time.monotonic() > self.deadline:
                        raise Unreadable(_("파일을 읽는 데 너무 오래 걸립니다. 올릴 수 없습니다."))
                parser.Parse(b"", True)
        except (
            expat.ExpatError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ):  # fmt: skip  (broken XML; a damaged, encrypted or odd zip member)
            raise Unreadable(
                _("엑셀 파일을 읽을 수 없습니다. 파일이 손상되었을 수 있습니다.")
            ) from None

    def refuse_dtd(self, *args):
        raise Unreadable(_("엑셀 파일을 읽을 수 없습니다. 파일이 손상되었을 수 있습니다."))

    def element(self, name, attributes):
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise Unreadable(
                _("셀이 너무 많은 파일입니다. 올릴 수 없습니다 (양식에 입력해 나누어 올려 주세요).")
            )

    def shared_string(self, name, attributes):
        self.element(name, attributes)
        if name.rpartition("}")[2] == "si":
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise Unreadable(
                    _("글자 칸이 너무 많은 파일입니다 (%(max)s개 초과). 올릴 수 없습니다.")
                    % {"max": f"{MAX_SHARED_STRINGS:,}"}
                )
