"""Reading an upload: the file checks, opening it, its rows, and typed cells with errors
listed by sheet, row and column (openpyxl, read-only mode)."""

import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .format import META_SHEET, NO, TEMPLATE_MARKER, YES
from .screening import Unreadable, screen

MAX_ROWS = 10_000
MAX_COLUMNS = 60
MAX_MEMBERS = 500
MAX_UNCOMPRESSED = 100 * 1024 * 1024
READ_SECONDS = 20  # reading one sheet's rows; gunicorn's worker timeout is 30 s


class ImportRefused(Exception):
    """The file as a whole cannot be read (its message says why, in Korean)."""


def unreadable() -> ImportRefused:
    return ImportRefused(_("엑셀 파일을 읽을 수 없습니다. 파일이 손상되었을 수 있습니다."))


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class RowCheck:
    """A check before submission (selectors.checks) on an uploaded row: shown, not blocking
    (an upload saves drafts; the submission runs the checks again)."""

    sheet: str
    row: int
    column: str
    is_error: bool
    message: str


@dataclass(frozen=True)
class Change:
    target: str
    field: str
    old: object
    new: object


@dataclass
class Preview:
    """What an import would do: the changes, or the errors that stop it."""

    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    checks: list[RowCheck] = field(default_factory=list)
    writes: list = field(default_factory=list)  # apply() runs each with the user: → count

    @property
    def ok(self) -> bool:
        return not self.errors


def check_file(upload) -> None:
    """Refuse what is not a plain xlsx before openpyxl reads a byte of it."""
    limit = settings.IMPORT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ImportRefused(
            _("파일이 너무 큽니다. %(limit)sMB 이하의 엑셀 파일만 올릴 수 있습니다.")
            % {"limit": settings.IMPORT_MAX_MB}
        )
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise ImportRefused(_("엑셀(xlsx) 파일이 아닙니다. 내려받은 양식에 입력해 올려 주세요."))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ImportRefused(_("파일 구성이 비정상적입니다 (압축 항목이 너무 많습니다)."))
            if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
                raise ImportRefused(_("압축을 풀면 너무 큰 파일입니다. 올릴 수 없습니다."))
            names = {m.filename.lower() for m in members}
            if any(name.endswith("vbaproject.bin") for name in names):
                raise ImportRefused(
                    _("매크로가 들어 있는 파일은 올릴 수 없습니다. xlsx로 저장해 주세요.")
                )
            if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
                raise ImportRefused(
                    _("엑셀(xlsx) 파일이 아닙니다. 내려받은 양식에 입력해 올려 주세요.")
                )
            screen(archive)
    except Unreadable as refusal:
        raise ImportRefused(str(refusal)) from None
    except zipfile.BadZipFile:
        raise ImportRefused(_("파일이 손상되었습니다.")) from None
    finally:
        upload.seek(0)


def open_template(upload):
    """Check the file, open it read-only and return (workbook, kind, meta values)."""
    check_file(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for broken files
        raise unreadable() from None
    if META_SHEET not in workbook.sheetnames:
        raise ImportRefused(_("이 시스템에서 내려받은 양식이 아닙니다 ('양식' 시트가 없습니다)."))
    rows = workbook[META_SHEET].iter_rows(max_row=5, max_col=1, values_only=True)
    meta = [row[0] for _number, row in _readable(rows, deadline=time.monotonic() + READ_SECONDS)]
    if not meta or meta[0] != TEMPLATE_MARKER:
        raise ImportRefused(_("이 시스템에서 내려받은 양식이 아닙니다."))
    return workbook, meta[1], meta[2:]


def sheet_rows(workbook, sheet: str, headers: list[str]):
    """(row number, values) of each filled row of a sheet whose header row is `headers`."""
    if sheet not in workbook.sheetnames:
        raise ImportRefused(_("'%(sheet)s' 시트가 없습니다.") % {"sheet": sheet})
    rows = _readable(
        workbook[sheet].iter_rows(values_only=True, max_col=MAX_COLUMNS),
        deadline=time.monotonic() + READ_SECONDS,
    )
    header = [str(v).strip() if v is not None else "" for v in next(rows, (1, ()))[1]]
    if header[: len(headers)] != headers:
        raise ImportRefused(
            _("'%(sheet)s' 시트의 머리글이 양식과 다릅니다. 새 양식을 내려받아 입력해 주세요.")
            % {"sheet": sheet}
        )
    for number, row in rows:
        if number > MAX_ROWS + 1:
            raise ImportRefused(
                _("'%(sheet)s' 시트가 %(max)s행을 넘습니다. 나누어 올려 주세요.")
                % {"sheet": sheet, "max": f"{MAX_ROWS:,}"}
            )
        values = list(row[: len(headers)]) + [None] * (len(headers) - len(row))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield number, values


def _readable(rows, *, deadline: float):
    """(row number, values) of openpyxl's rows; what openpyxl cannot read in a row (a cell it
    cannot parse, broken XML) or reading past the deadline refuses the file as unreadable."""
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:  # openpyxl raises many kinds for broken cells
            raise unreadable() from None
        number += 1
        if time.monotonic() > deadline:
            raise ImportRefused(_("파일을 읽는 데 너무 오래 걸립니다. 나누어 올려 주세요."))
        yield number, row


BOOLEANS = {YES: True, NO: False}


class Row:
    """Reads typed values out of one row, collecting errors with their sheet, row and column."""

    def __init__(self, preview: Preview, sheet: str, number: int, headers, values):
        self.preview, self.sheet, self.row_number = preview, sheet, number
        self.headers, self.values = headers, values
        self.failed = False

    def error(self, column: str, message: str) -> None:
        self.preview.errors.append(
            RowError(self.sheet, self.row_number, self.column_name(column), message)
        )
        self.failed = True

    def check(self, column: str, *, is_error: bool, message: str) -> None:
        """Note a check before submission on this row (it does not stop the import)."""
        self.preview.checks.append(
            RowCheck(self.sheet, self.row_number, self.column_name(column), is_error, message)
        )

    def column_name(self, column: str) -> str:
        return f"{get_column_letter(self.headers.index(column) + 1)} ({column})"

    def raw(self, column: str):
        return self.values[self.headers.index(column)]

    def text(self, column: str) -> str:
        value = self.raw(column)
        return "" if value is None else str(value).strip() if column == "코드" else str(value)

    def boolean(self, column: str) -> bool | None:
        value = self.text(column).strip()
        if value not in BOOLEANS:
            self.error(column, _("'예' 또는 '아니오'로 적어 주세요."))
            return None
        return BOOLEANS[value]

    def number(
        self,
        column: str,
        *,
        minimum=None,
        maximum=None,
        whole=False,
        blank=None,
        places=2,
        digits=16,
    ):
        """The cell as a number (int when `whole`), checked against the bounds and, for
        decimals, against what the database keeps: `places` decimals of `digits` in all."""
        value = self.raw(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return blank
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():  # "inf" and "nan" parse as Decimals too
            self.error(column, _("숫자가 아닙니다: %(value)s") % {"value": value})
            return None
        if whole and number != number.to_integral_value():
            self.error(column, _("정수(원 단위)로 적어 주세요."))
            return None
        if not whole and -number.normalize().as_tuple().exponent > places:
            self.error(
                column, _("소수점 아래 %(places)s자리까지 적을 수 있습니다.") % {"places": places}
            )
            return None
        if not whole and abs(number) >= 10 ** (digits - places):
            limit = f"{10 ** (digits - places):,}"
            self.error(column, _("%(limit)s보다 작은 값이어야 합니다.") % {"limit": limit})
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            bounds = f"{minimum}~{maximum}" if maximum is not None else f"{minimum} 이상"
            self.error(column, _("%(bounds)s 범위여야 합니다.") % {"bounds": bounds})
            return None
        return int(number) if whole else number


def differs(old, new) -> bool:
    """Whether an uploaded value changes a stored one: text compared with blank as empty,
    numbers as numbers (1 and 1.0 are the same)."""
    if isinstance(old, str | None) and isinstance(new, str | None):
        return (old or "") != (new or "")
    return old is None or new is None or Decimal(old) != Decimal(new)
