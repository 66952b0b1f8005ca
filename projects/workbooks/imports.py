"""Reading filled-in templates back (openpyxl, read-only).

A file is checked before it is opened (size, zip members, macros), then every row is checked
against the same rules and permissions as the forms (the services). Nothing is written unless
every row is valid; then all changes are written in one transaction, by the same services, so
history names the importing user. Unchanged rows are left alone: re-importing a file changes
nothing.
"""

import zipfile
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from strategies.models import Phase, Task

from .. import permissions, selectors, services
from ..choices import FundingSource, IndicatorKind, ProjectStatus
from ..models import (
    Department,
    Indicator,
    IndicatorTarget,
    ProgressReport,
    Project,
    ReportingPeriod,
    User,
)
from .exports import (
    META_SHEET,
    NO,
    PLAN_SHEETS,
    REPORT_HEADERS,
    REPORT_SHEET,
    REPORT_TEXT_FIELDS,
    RESULT_HEADERS,
    RESULT_SHEET,
    TEMPLATE_MARKER,
    TEMPLATE_VERSION,
    YES,
    template_values,
)

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


STATUS_BY_LABEL = {str(s.label): s.value for s in ProjectStatus}
MONEY_COLUMNS = {f"spent_{s.value}": f"집행 {s.label}(원)" for s in FundingSource}
TEXT_COLUMNS = dict(
    zip(REPORT_TEXT_FIELDS, ["추진실적", "문제점", "대응방안", "향후계획"], strict=True)
)
# Where a report field's error is shown ("value" is an indicator result's: see report_check).
COLUMN_OF = {"progress": "진척률(%)", "status": "추진상태", **TEXT_COLUMNS, **MONEY_COLUMNS}


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
        try:
            services.indicator_value_check(value)
        except ValidationError as invalid:
            row.error("실적", " ".join(invalid.messages))
        if not row.failed:
            results_by_project.setdefault(project.code, {})[indicator_id] = value

    seen = set()
    rows = list(_rows(workbook, REPORT_SHEET, REPORT_HEADERS))
    named = [
        projects[v[0].strip()]
        for _n, v in rows
        if isinstance(v[0], str) and v[0].strip() in projects
    ]
    earlier = selectors.previous_reports(named, year=year, quarter=quarter)
    for number, values in rows:
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
            "progress": row.number(
                "진척률(%)", minimum=0, maximum=100, blank=Decimal(0), places=1, digits=4
            ),
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
        current, current_results = template_values(
            project, report, year=year, quarter=quarter, previous=earlier.get(project.pk)
        )
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
        candidate = (
            copy(report) if report else ProgressReport(project=project, year=year, quarter=quarter)
        )
        try:  # what a save would refuse, refused here with its row and column
            services.report_check(candidate, values=new, results=new_results)
        except ValidationError as invalid:
            for name, messages in invalid.update_error_dict({}).items():
                row.error(COLUMN_OF.get(name, "코드"), " ".join(ValidationError(messages).messages))
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


KIND_NAMES = {"reports": gettext_lazy("분기실적 양식"), "plan": gettext_lazy("계획 구조 양식")}


def read(upload, *, user: User, kind: str | None = None) -> Preview:
    """Open an uploaded template (of `kind`, when given) and plan its changes."""
    workbook, found, meta = open_template(upload)
    if kind is not None and found != kind:
        workbook.close()
        raise ImportRefused(_("%(kind)s만 받습니다.") % {"kind": KIND_NAMES.get(kind, kind)})
    kind = found
    if meta[-1:] != [TEMPLATE_VERSION]:
        workbook.close()
        raise ImportRefused(_("예전 형식의 양식입니다. 새 양식을 내려받아 입력해 주세요."))
    try:
        if kind == "reports":
            return read_reports(workbook, meta, user=user)
        if kind == "plan":
            return read_plan(workbook, meta, user=user)
        raise ImportRefused(_("알 수 없는 양식입니다."))
    finally:
        workbook.close()


# --- The plan structure (coordinator) ----------------------------------------------------------

KIND_BY_LABEL = {str(k.label): k.value for k in IndicatorKind}
BOOLEANS = {YES: True, NO: False}


def _boolean(row: _Row, column: str) -> bool | None:
    value = row.text(column).strip()
    if value not in BOOLEANS:
        row.error(column, _("'예' 또는 '아니오'로 적어 주세요."))
        return None
    return BOOLEANS[value]


def _codes(value: str) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def read_plan(workbook, meta: list, *, user: User) -> Preview:
    """Check a plan-structure template and plan the replacement of the project list."""
    if not permissions.is_coordinator(user):
        raise ImportRefused(_("계획 구조는 총괄 관리자만 올릴 수 있습니다."))
    plan = selectors.active_plan()
    if plan is None:
        raise ImportRefused(_("등록된 기본계획이 없습니다."))
    if meta[:1] != [plan.name]:
        raise ImportRefused(
            _("'%(plan)s'의 양식이 아닙니다. 이 계획의 양식을 새로 내려받아 주세요.")
            % {"plan": plan.name}
        )
    preview = Preview()
    sheets = {
        title: list(_rows(workbook, title, headers)) for title, headers in PLAN_SHEETS.items()
    }

    departments = {}
    for number, values in sheets["부서"]:
        row = _Row(preview, "부서", number, PLAN_SHEETS["부서"], values)
        code, name = row.text("부서코드").strip(), row.text("부서명").strip()
        if not code or slugify(code) != code:
            row.error("부서코드", _("영문 소문자·숫자·-로 된 코드여야 합니다."))
        if not name:
            row.error("부서명", _("부서명을 적어 주세요."))
        active = _boolean(row, "사용")
        if code in departments:
            row.error("부서코드", _("같은 부서코드가 두 번 있습니다."))
        if not row.failed:
            departments[code] = {"name": name, "is_active": active}
    known_departments = set(departments) | set(Department.objects.values_list("code", flat=True))

    tasks = {t.number: t for t in Task.objects.filter(direction__plan=plan)}
    phases = {p.order: p for p in Phase.objects.filter(plan=plan)}
    projects = {}
    for number, values in sheets["사업"]:
        row = _Row(preview, "사업", number, PLAN_SHEETS["사업"], values)
        code = row.text("사업코드").strip()
        task = tasks.get(row.number("전략과제번호", whole=True))
        if not code:
            row.error("사업코드", _("사업코드를 적어 주세요."))
        elif code in projects:
            row.error("사업코드", _("같은 사업코드가 두 번 있습니다."))
        if task is None:
            row.error("전략과제번호", _("1~%(n)s 중 하나여야 합니다.") % {"n": len(tasks)})
        lead = row.text("주관부서코드").strip()
        if lead not in known_departments:
            row.error("주관부서코드", _("없는 부서코드입니다: %(code)s") % {"code": lead})
        support = _codes(row.raw("협조부서코드"))
        if set(support) - known_departments:
            row.error("협조부서코드", _("없는 부서코드가 있습니다: %(codes)s")
                      % {"codes": ", ".join(sorted(set(support) - known_departments))})  # fmt: skip
        orders = _codes(row.raw("추진단계"))
        if not all(o.isdigit() and int(o) in phases for o in orders):
            row.error(
                "추진단계", _("1~%(n)s 사이의 단계 번호를 쉼표로 적어 주세요.") % {"n": len(phases)}
            )
        start = row.number("시작연도", whole=True, minimum=plan.start_year, maximum=plan.end_year)
        end = row.number("종료연도", whole=True, minimum=plan.start_year, maximum=plan.end_year)
        if start is not None and end is not None and end < start:
            row.error("종료연도", _("종료 연도는 시작 연도와 같거나 뒤여야 합니다."))
        values_ = {
            "task": task,
            "name": row.text("사업명").strip(),
            "summary": row.text("사업개요"),
            "lead": lead,
            "support": support,
            "phases": [phases[int(o)] for o in orders if o.isdigit() and int(o) in phases],
            "start_year": start,
            "end_year": end,
            "is_continuing": _boolean(row, "계속사업"),
            "is_sample": _boolean(row, "예시사업"),
            "weight": row.number("가중치", minimum=0, blank=Decimal(1), digits=6),
            **{
                f"cost_{s.value}": row.number(f"{s.label}(원)", minimum=0, whole=True, blank=0)
                for s in FundingSource
            },
        }
        if not values_["name"]:
            row.error("사업명", _("사업명을 적어 주세요."))
        if not row.failed:
            projects[code] = values_

    indicators: dict[tuple[str, str], dict] = {}
    for number, values in sheets["성과지표"]:
        row = _Row(preview, "성과지표", number, PLAN_SHEETS["성과지표"], values)
        code, name = row.text("사업코드").strip(), row.text("지표명").strip()
        if code not in projects:
            row.error("사업코드", _("'사업' 시트에 없는 사업코드입니다: %(code)s") % {"code": code})
        if not name:
            row.error("지표명", _("지표명을 적어 주세요."))
        kind = KIND_BY_LABEL.get(row.text("유형").strip())
        if kind is None:
            row.error(
                "유형",
                _("유형은 %(kinds)s 중 하나여야 합니다.") % {"kinds": ", ".join(KIND_BY_LABEL)},
            )
        spec = {
            "kind": kind,
            "unit": row.text("단위").strip(),
            "baseline": row.number("기준값"),
            "baseline_year": row.number("기준연도", whole=True, minimum=2000, maximum=2100),
            "higher_is_better": _boolean(row, "높을수록좋음"),
            "formula": row.text("산식"),
            "source": row.text("출처"),
            "targets": {},
        }
        if (code, name) in indicators:
            row.error("지표명", _("같은 사업에 같은 지표가 두 번 있습니다."))
        if not row.failed:
            indicators[code, name] = spec
    for number, values in sheets["목표"]:
        row = _Row(preview, "목표", number, PLAN_SHEETS["목표"], values)
        key = (row.text("사업코드").strip(), row.text("지표명").strip())
        year = row.number("연도", whole=True, minimum=plan.start_year, maximum=plan.end_year)
        value = row.number("목표값")
        if key not in indicators:
            row.error("지표명", _("'성과지표' 시트에 없는 지표입니다."))
        elif value is None and not row.failed:
            row.error("목표값", _("목표값을 적어 주세요."))
        if not row.failed:
            indicators[key]["targets"][year] = value

    # Projects left out of the file are removed, unless work was already filed for them.
    for project in Project.objects.filter(task__direction__plan=plan).exclude(code__in=projects):
        if project.plans.exists() or project.reports.exists():
            preview.errors.append(
                RowError(
                    "사업",
                    0,
                    "A (사업코드)",
                    _("사업 %(code)s는 시행계획·실적이 있어 목록에서 뺄 수 없습니다.")
                    % {"code": project.code},
                )  # fmt: skip
            )
        else:
            preview.changes.append(Change(project.code, _("사업"), project.name, _("삭제")))
    if preview.errors:
        return preview
    _plan_changes(preview, plan, departments, projects, indicators)
    return preview


class _DryRun(Exception):
    """Rolls back a preview run of the plan import."""


def _plan_changes(preview: Preview, plan, departments, projects, indicators) -> None:
    """Run the import inside a transaction that is rolled back, recording what it changes:
    the preview and the real run are one piece of code, so they cannot disagree."""
    try:
        with transaction.atomic():
            _apply_plan(plan, departments, projects, indicators, user=None, log=preview.changes)
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as error:
        for message in error.messages:
            preview.errors.append(RowError("사업", 0, "—", message))
        return
    preview.writes.append(
        lambda user: _apply_plan(plan, departments, projects, indicators, user=user, log=[])
    )


def _set(obj, values: dict, log: list, target: str, user) -> bool:
    """Change only the fields that differ, log them, save with history naming `user`."""
    if obj.pk is None:  # a new record: its creation is logged by the caller
        for name, value in values.items():
            setattr(obj, name, value)
        obj._history_user = user
        obj.full_clean()
        obj.save()
        return True
    changed = False
    for name, value in values.items():
        old = getattr(obj, name)
        related = hasattr(old, "pk") or hasattr(value, "pk")
        if (old != value) if related else _differs(old, value):
            label = str(obj._meta.get_field(name).verbose_name)
            log.append(Change(target, label, old, value))
            setattr(obj, name, value)
            changed = True
    if changed:
        obj._history_user = user
        obj.full_clean()
        obj.save()
    return changed


def _apply_plan(plan, departments, projects, indicators, *, user, log: list) -> None:
    by_code = {d.code: d for d in Department.objects.all()}
    for code, spec in departments.items():
        department = by_code.get(code) or Department(code=code)
        if department.pk is None:
            log.append(Change(code, _("부서"), None, _("추가")))
        _set(department, spec, log, code, user)
        by_code[code] = department

    existing = {
        p.code: p
        for p in Project.objects.filter(task__direction__plan=plan).prefetch_related(
            "support_departments", "phases", "indicators__targets"
        )
    }
    for project in existing.values():
        if project.code not in projects:
            project._history_user = user
            project.delete()
    for code, spec in projects.items():
        project = existing.get(code) or Project(code=code, origin="plan")
        if project.pk is None:
            log.append(Change(code, _("사업"), None, _("추가")))
        fields = {k: v for k, v in spec.items() if k not in ("lead", "support", "phases")}
        fields["lead_department"] = by_code[spec["lead"]]
        _set(project, fields, log, code, user)
        _set_many(project, "support_departments", [by_code[c] for c in spec["support"]], log, user)
        _set_many(project, "phases", spec["phases"], log, user)
        _apply_indicators(project, indicators, log, user)


def _set_many(project, name: str, wanted: list, log: list, user) -> None:
    manager = getattr(project, name)
    current = set(manager.all()) if project.pk else set()
    if current != set(wanted):
        label = str(Project._meta.get_field(name).verbose_name)
        log.append(Change(project.code, label, ", ".join(map(str, current)),
                          ", ".join(map(str, wanted))))  # fmt: skip
        project._history_user = user
        manager.set(wanted)


def _apply_indicators(project, indicators, log: list, user) -> None:
    mine = {name: spec for (code, name), spec in indicators.items() if code == project.code}
    current = {i.name: i for i in project.indicators.all()}
    for name, indicator in current.items():
        if name not in mine:
            if indicator.results.exists():
                raise ValidationError(
                    _("사업 %(code)s의 지표 '%(name)s'는 실적이 있어 뺄 수 없습니다.")
                    % {"code": project.code, "name": name}
                )
            log.append(Change(project.code, _("성과지표"), name, _("삭제")))
            indicator._history_user = user
            indicator.delete()
    for order, (name, spec) in enumerate(mine.items(), start=1):
        indicator = current.get(name)
        target = f"{project.code} · {name}"
        if indicator is None:
            indicator = Indicator(project=project, name=name)
            log.append(Change(target, _("성과지표"), None, _("추가")))
        fields = {k: v for k, v in spec.items() if k != "targets"} | {"order": order}
        _set(indicator, fields, log, target, user)
        targets = {t.year: t for t in indicator.targets.all()} if indicator.pk else {}
        for year, value in spec["targets"].items():
            existing = targets.pop(year, None) or IndicatorTarget(indicator=indicator, year=year)
            _set(existing, {"value": value}, log, f"{target} {year}", user)
        for leftover in targets.values():
            log.append(Change(f"{target} {leftover.year}", _("목표값"), leftover.value, None))
            leftover._history_user = user
            leftover.delete()
