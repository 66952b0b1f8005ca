"""Reading filled-in templates back (openpyxl, read-only).

A file is checked before it is opened (size, zip members, macros), then every row is checked
against the same rules and permissions as the forms (the services). Nothing is written unless
every row is valid; then all changes are written in one transaction, by the same services, so
history names the importing user. Unchanged rows are left alone: re-importing a file changes
nothing.
"""

import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from . import permissions, services
from .choices import FundingSource, ProjectStatus
from .exports import (
    META_SHEET,
    REPORT_HEADERS,
    REPORT_SHEET,
    REPORT_TEXT_FIELDS,
    RESULT_HEADERS,
    RESULT_SHEET,
    TEMPLATE_MARKER,
    template_values,
)
from .models import ProgressReport, Project, ReportingPeriod, User

MAX_ROWS = 10_000
MAX_COLUMNS = 60
MAX_MEMBERS = 500
MAX_UNCOMPRESSED = 100 * 1024 * 1024


class ImportRefused(Exception):
    """The file as a whole cannot be read (its message says why, in Korean)."""


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
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
    writes: list = field(default_factory=list)  # callables run by apply(), in order
    rows: int = 0

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
        raise ImportRefused(
            _("엑셀 파일을 읽을 수 없습니다. 파일이 손상되었을 수 있습니다.")
        ) from None
    if META_SHEET not in workbook.sheetnames:
        raise ImportRefused(_("이 시스템에서 내려받은 양식이 아닙니다 ('양식' 시트가 없습니다)."))
    meta = [
        row[0] for row in workbook[META_SHEET].iter_rows(max_row=5, max_col=1, values_only=True)
    ]
    if not meta or meta[0] != TEMPLATE_MARKER:
        raise ImportRefused(_("이 시스템에서 내려받은 양식이 아닙니다."))
    return workbook, meta[1], meta[2:]


def _rows(workbook, sheet: str, headers: list[str]):
    if sheet not in workbook.sheetnames:
        raise ImportRefused(_("'%(sheet)s' 시트가 없습니다.") % {"sheet": sheet})
    ws = workbook[sheet]
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    if header[: len(headers)] != headers:
        raise ImportRefused(
            _("'%(sheet)s' 시트의 머리글이 양식과 다릅니다. 새 양식을 내려받아 입력해 주세요.")
            % {"sheet": sheet}
        )
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ImportRefused(
                _("'%(sheet)s' 시트가 %(max)s행을 넘습니다. 나누어 올려 주세요.")
                % {"sheet": sheet, "max": f"{MAX_ROWS:,}"}
            )
        values = list(row[: len(headers)]) + [None] * (len(headers) - len(row))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield number, values


class _Row:
    """Reads typed values out of one row, collecting errors with their sheet, row and column."""

    def __init__(self, preview: Preview, sheet: str, number: int, headers, values):
        self.preview, self.sheet, self.row_number = preview, sheet, number
        self.headers, self.values = headers, values
        self.failed = False

    def error(self, column: str, message: str) -> None:
        letter = get_column_letter(self.headers.index(column) + 1)
        self.preview.errors.append(
            RowError(self.sheet, self.row_number, f"{letter} ({column})", message)
        )
        self.failed = True

    def raw(self, column: str):
        return self.values[self.headers.index(column)]

    def text(self, column: str) -> str:
        value = self.raw(column)
        return "" if value is None else str(value).strip() if column == "코드" else str(value)

    def number(self, column: str, *, minimum=None, maximum=None, whole=False, blank=None):
        value = self.raw(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return blank
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            self.error(column, _("숫자가 아닙니다: %(value)s") % {"value": value})
            return None
        if whole and number != number.to_integral_value():
            self.error(column, _("정수(원 단위)로 적어 주세요."))
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            bounds = f"{minimum}~{maximum}" if maximum is not None else f"{minimum} 이상"
            self.error(column, _("%(bounds)s 범위여야 합니다.") % {"bounds": bounds})
            return None
        return int(number) if whole else number


STATUS_BY_LABEL = {str(s.label): s.value for s in ProjectStatus}
MONEY_COLUMNS = {f"spent_{s.value}": f"집행 {s.label}(원)" for s in FundingSource}
TEXT_COLUMNS = dict(
    zip(REPORT_TEXT_FIELDS, ["추진실적", "문제점", "대응방안", "향후계획"], strict=True)
)


def read_reports(workbook, meta: list, *, user: User) -> Preview:
    """Check every row of a quarterly-progress template and plan the changes."""
    try:
        year, quarter = int(meta[0]), int(meta[1])
    except (TypeError, ValueError, IndexError):
        raise ImportRefused(_("양식 정보가 손상되었습니다. 새 양식을 내려받아 주세요.")) from None
    period = (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=year, quarter=quarter)
        .first()
    )
    preview = Preview()
    projects = {
        p.code: p
        for p in Project.objects.select_related(
            "lead_department", "task__direction__plan"
        ).prefetch_related("indicators")
    }
    reports = {
        r.project_id: r
        for r in ProgressReport.objects.filter(year=year, quarter=quarter).prefetch_related(
            "results"
        )
    }
    results_by_project: dict[str, dict[int, object]] = {}
    for number, values in _rows(workbook, RESULT_SHEET, RESULT_HEADERS):
        row = _Row(preview, RESULT_SHEET, number, RESULT_HEADERS, values)
        project = projects.get(row.text("코드"))
        if project is None:
            row.error("코드", _("없는 사업 코드입니다: %(code)s") % {"code": row.text("코드")})
            continue
        indicator_id = row.number("지표번호", whole=True)
        if indicator_id not in {i.pk for i in project.indicators.all()}:
            row.error("지표번호", _("이 사업의 지표가 아닙니다."))
            continue
        value = row.number("실적")
        if not row.failed:
            results_by_project.setdefault(project.code, {})[indicator_id] = value

    seen = set()
    for number, values in _rows(workbook, REPORT_SHEET, REPORT_HEADERS):
        preview.rows += 1
        row = _Row(preview, REPORT_SHEET, number, REPORT_HEADERS, values)
        code = row.text("코드")
        project = projects.get(code)
        if project is None:
            row.error("코드", _("없는 사업 코드입니다: %(code)s") % {"code": code})
            continue
        if code in seen:
            row.error("코드", _("같은 사업이 두 번 있습니다."))
            continue
        seen.add(code)
        if (row.raw("연도"), row.raw("분기")) != (year, quarter):
            row.error(
                "분기",
                _("양식의 보고 기간(%(y)s년 %(q)s분기)과 다릅니다.") % {"y": year, "q": quarter},
            )
            continue
        if not permissions.can_file_for(user, project):
            row.error("코드", _("다른 부서의 사업입니다. 주관부서 담당자만 입력할 수 있습니다."))
            continue
        report = reports.get(project.pk)
        new = {
            "progress": row.number("진척률(%)", minimum=0, maximum=100, blank=Decimal(0)),
            **{f: row.text(c) for f, c in TEXT_COLUMNS.items()},
            **{f: row.number(c, minimum=0, whole=True, blank=0) for f, c in MONEY_COLUMNS.items()},
        }
        label = row.text("추진상태").strip()
        if label not in STATUS_BY_LABEL:
            row.error("추진상태", _("추진상태는 %(choices)s 중 하나여야 합니다.") % {
                "choices": ", ".join(STATUS_BY_LABEL)})  # fmt: skip
        new["status"] = STATUS_BY_LABEL.get(label)
        version = row.number("버전", minimum=0, whole=True, blank=0)
        if row.failed:
            continue
        current, current_results = template_values(project, report, year=year, quarter=quarter)
        new_results = results_by_project.get(code, {})
        changed = {f: v for f, v in new.items() if _differs(current[f], v)}
        changed_results = {
            i: v for i, v in new_results.items() if _differs(current_results.get(i), v)
        }
        if not changed and not changed_results:
            continue
        if report is not None and report.version != version:
            row.error(
                "버전",
                _("그 사이 다른 사람이 이 실적을 고쳤습니다. 새 양식을 내려받아 주세요."),
            )
            continue
        refusal = (
            services.edit_refusal(user=user, filing=report, period=period)
            if report
            else services.period_accepts(period, project.lead_department_id)
        )
        if refusal:
            row.error("코드", refusal)
            continue
        target = _("%(code)s %(year)s년 %(quarter)s분기") % {
            "code": code,
            "year": year,
            "quarter": quarter,
        }
        for f, v in changed.items():
            preview.changes.append(Change(target, _label(f), current[f], v))
        for i, v in changed_results.items():
            name = next(x.name for x in project.indicators.all() if x.pk == i)
            preview.changes.append(Change(target, name, current_results.get(i), v))
        preview.writes.append(_report_write(project, year, quarter, new, changed_results, report))
    return preview


def _report_write(project, year, quarter, values, results, report):
    def write(user):
        services.report_save(
            user=user, project=project, year=year, quarter=quarter, values=values,
            results=results, version=report.version if report else None,
        )  # fmt: skip

    return write


def _differs(old, new) -> bool:
    if isinstance(old, Decimal | int) or isinstance(new, Decimal | int):
        if old is None or new is None:
            return old != new
        return Decimal(old) != Decimal(new)
    return (old or "") != (new or "")


def _label(field_name: str) -> str:
    return str(ProgressReport._meta.get_field(field_name).verbose_name)


def apply(preview: Preview, *, user: User) -> int:
    """Write every planned change in one transaction; all of them, or none."""
    if not preview.ok:
        raise ImportRefused(_("오류가 있는 파일은 반영하지 않습니다."))
    try:
        with transaction.atomic():
            for write in preview.writes:
                write(user)
    except (ValidationError, PermissionDenied, services.ConflictError) as exc:
        message = " ".join(getattr(exc, "messages", [])) or _("그 사이 자료가 바뀌었습니다.")
        raise ImportRefused(
            _("반영하지 못했습니다 (아무것도 바뀌지 않았습니다): %(why)s") % {"why": message}
        ) from None
    return len(preview.writes)


def read(upload, *, user: User) -> Preview:
    """Open an uploaded template, whatever its kind, and plan its changes."""
    workbook, kind, meta = open_template(upload)
    try:
        if kind == "reports":
            return read_reports(workbook, meta, user=user)
        raise ImportRefused(_("알 수 없는 양식입니다."))
    finally:
        workbook.close()
