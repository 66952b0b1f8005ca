"""A write-only worksheet that writes its rows as XML text, under openpyxl's workbook.

openpyxl builds an element object per cell and serialises it (about 35 µs a cell without
lxml); the meeting workbook has hundreds of thousands of cells. Here each column's cell
template is made once, with its style registered in openpyxl's style table, and a row is one
string. Everything else in the sheet (columns, frozen panes, filter, print setup, charts) is
still written by openpyxl, so the result is the same file openpyxl would write, only faster.
"""

import re
import tempfile
from decimal import Decimal
from io import BytesIO

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file

EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
SPILL_BYTES = 4 * 1024 * 1024  # rows stay in memory up to this size, then go to a temp file


def escape(text: str) -> str:
    """XML text, with a carriage return kept as one (a parser would read a bare CR as LF)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


# Text a spreadsheet could take for a formula (or that hides one after a tab or CR).
RISKY_START = ("=", "+", "-", "@", "\t", "\r")


class StreamedSheet(WriteOnlyWorksheet):
    """A sheet of the workbook whose rows are written as text with `write_row`.

    Each value is a str (written as text), an int, float or Decimal (a number), or None (no
    cell). Styles are registered once with `style_id` and given per column to `write_row`;
    text starting with one of RISKY_START gets its column's quote-prefixed style, which Excel
    keeps as text (never a formula) even when the cell is edited.
    """

    def __init__(self, workbook, title: str):
        super().__init__(workbook, title)
        workbook._sheets.append(self)
        # Closed in close(), when the workbook is saved.
        self._buffer = tempfile.SpooledTemporaryFile(max_size=SPILL_BYTES)  # noqa: SIM115
        self._row_count = 0
        self._letters: list[str] = []

    @property
    def row_count(self) -> int:
        return self._row_count

    def style_id(self, **style) -> str:
        """The ` s="n"` attribute of a cell with these openpyxl style attributes (number_format,
        alignment, font, fill, quotePrefix), registering the style in the workbook once."""
        probe = WriteOnlyCell(self)
        for name, value in style.items():
            setattr(probe, name, value)
        number = probe.style_id if probe.has_style else 0
        return f' s="{number}"' if number else ""

    def write_row(self, values, text_styles, number_styles) -> None:
        """One row. `text_styles[i]` is a pair (plain, quoted) of style attributes for text in
        column i; `number_styles[i]` the style attribute for a number there."""
        self._row_count = row = self._row_count + 1
        letters = self._letters
        while len(letters) < len(values):
            letters.append(get_column_letter(len(letters) + 1))
        parts = [f'<row r="{row}">']
        for index, value in enumerate(values):
            if value is None:
                continue
            ref = f"{letters[index]}{row}"
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                plain, quoted = text_styles[index]
                style = quoted if value.startswith(RISKY_START) else plain
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                parts.append(
                    f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
                )
            elif kind is int:
                parts.append(f'<c r="{ref}"{number_styles[index]} t="n"><v>{value}</v></c>')
            elif kind is Decimal or kind is float:
                parts.append(f'<c r="{ref}"{number_styles[index]} t="n"><v>{value:.16g}</v></c>')
            else:
                raise TypeError(f"{kind.__name__} cannot be written to a cell: {value!r}")
        parts.append("</row>")
        self._buffer.write("".join(parts).encode())

    def close(self) -> None:
        """Write the sheet: openpyxl's own head and tail around the streamed rows."""
        writer = WorksheetWriter(self, out=BytesIO())
        writer.write_top()
        xf = writer.xf.send(True)
        with xf.element("sheetData"):
            pass
        writer.xf.send(None)
        writer.write_tail()
        writer.close()
        head, tail = EMPTY_SHEET_DATA.split(writer.out.getvalue(), maxsplit=1)
        path = create_temporary_file()
        with open(path, "wb") as out:
            out.write(head)
            out.write(b"<sheetData>")
            self._buffer.seek(0)
            while chunk := self._buffer.read(1024 * 1024):
                out.write(chunk)
            out.write(b"</sheetData>")
            out.write(tail)
        self._buffer.close()
        writer.out = path  # the workbook's writer copies it into the archive, then removes it
        self._writer = writer
        self._WriteOnlyWorksheet__saved = True

    def append(self, row):
        raise TypeError("StreamedSheet takes rows through write_row")
