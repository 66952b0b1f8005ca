"""How a sheet prints: A4 landscape, the page header and footer, the scale, and rows as high
as their wrapped text (column widths measured for Korean: full-width characters count two)."""

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet


class _CharWidths(dict):
    """Character → the columns it takes (2 for wide or full-width, as Korean), each
    character looked up in the Unicode tables once: the workbook measures every wrapped cell."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def display_width(value) -> int:
    """Characters a value takes on screen (Korean characters count two)."""
    text = str(value) if value is not None else ""
    if text.isascii():
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


@dataclass(frozen=True)
class Heading:
    """What every printed sheet of one workbook says above its table and on each page: the
    title, and a line with the 기준일 (as-of date) and who prepared it."""

    title: str
    subtitle: str = ""


# A4 landscape within PAGE_MARGINS holds about this many characters of column width at 100%
# (as LibreOffice prints the default font; Excel's Calibri fits more); a sheet is fitted to
# the page width only while the scale keeps 11-pt text at 8 pt or more.
PAGE_MARGINS = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.2, footer=0.2)
PAGE_CHARS = 104
FONT_SIZE, MIN_PRINTED_SIZE = 11, 8
LINE_HEIGHT = 15  # points per line of wrapped 11-pt text
PAGE_NUMBERS = "- &P / &N -"


def print_scale(widths: Iterable[float]) -> float:
    """The scale at which columns of these widths fit the page width (1 when they fit)."""
    return min(1.0, PAGE_CHARS / max(1.0, sum(widths)))


# What a cell loses to its margins and its text's indent, and what a space takes, in
# characters of column width (a space is about half a digit in Calibri and in DejaVu Sans).
CELL_PADDING, SPACE = 1, 0.5


def text_lines(value, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide: wrapped at spaces
    (a word longer than a line breaks inside it), Korean characters counting two."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(1.0, width - CELL_PADDING)
    if 2 * len(value) <= usable and "\n" not in value:  # fits even if every character is wide
        return 1
    return sum(_wrapped(line, usable) for line in value.split("\n"))


def _wrapped(line: str, usable: float) -> int:
    if display_width(line) <= usable:  # most cells: the whole line fits
        return 1
    lines, used = 1, 0.0
    for word in line.split(" "):
        taken = display_width(word)
        if used and used + SPACE + taken > usable:  # the word starts the next line
            lines, used = lines + 1, 0.0
        used += (SPACE if used else 0) + taken
        while used > usable:  # a word longer than the line
            lines, used = lines + 1, used - usable
    return lines


def row_height(lines: int) -> float | None:
    """The height of a row of `lines` wrapped lines (None: the default single line)."""
    return None if lines <= 1 else min(409, lines * LINE_HEIGHT)


def print_setup(ws, heading: Heading, *, title_rows: str | None) -> None:
    """A4 landscape, header rows repeated, the title and the 기준일 in the page header and
    "- N / M -" in the footer; one page wide where fit_to_width said so."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_margins = PAGE_MARGINS
    if title_rows:
        ws.print_title_rows = title_rows
    # The title and the 기준일 on every page, whole: a sheet printed in column blocks leaves
    # its own title rows out of the print area (SheetWriter.close).
    ws.oddHeader.center.text = heading.title.replace("&", "&&")
    ws.oddHeader.center.size = 9
    if heading.subtitle:
        ws.oddHeader.right.text = heading.subtitle.replace("&", "&&")
        ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = PAGE_NUMBERS
    ws.oddFooter.center.size = 9
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:  # at 8 pt, in column blocks across pages, each with the code and the name
        ws.page_setup.scale = math.ceil(100 * MIN_PRINTED_SIZE / FONT_SIZE)
        ws.print_title_cols = "A:B"
        ws.page_setup.pageOrder = "overThenDown"


def fit_to_width(ws, widths: list[float], *, smallest: float = MIN_PRINTED_SIZE) -> None:
    """Fit the sheet to the page width when that keeps its text at `smallest` points or more
    (a write-only sheet: before its first row)."""
    if print_scale(widths) * FONT_SIZE >= smallest:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
