"""Reading a filled quarterly-progress template: every row checked by the same rules and
permissions as the form (the services), the changes planned, nothing written until apply.

The file is read in batches: the period, the projects the file names (only those) with their
indicators, their reports and the reports before them are each looked up once per file.
"""

from copy import copy
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import permissions, selectors, services
from ..choices import ProjectStatus
from ..models import ProgressReport, Project, ReportingPeriod, User
from .format import (
    REPORT_HEADERS,
    REPORT_MONEY_COLUMNS,
    REPORT_SHEET,
    REPORT_TEXT_COLUMNS,
    RESULT_HEADERS,
    RESULT_SHEET,
    template_values,
)
from .reading import Change, ImportRefused, Preview, Row, differs, sheet_rows

STATUS_BY_LABEL = {str(s.label): s.value for s in ProjectStatus}
# Where a report field's error is shown ("value" is an indicator result's: see report_check).
COLUMN_OF = {
    "progress": "진척률(%)",
    "status": "추진상태",
    **REPORT_TEXT_COLUMNS,
    **REPORT_MONEY_COLUMNS,
}
# The stamps of who submitted, reviewed or reopened are not the upload's to change; they are
# left off the copy that is checked, so checking it does not look their users up.
STAMPS = {"submitted_by": None, "reviewed_by": None, "reopened_by": None}


def _code(values) -> str | None:
    return values[0].strip() if isinstance(values[0], str) else None


def read_reports(workbook, meta: list, *, user: User) -> Preview:
    """Check every row of a quarterly-progress template and plan the changes."""
    try:
        year, quarter = int(meta[0]), int(meta[1])
    except (TypeError, ValueError, IndexError):
        raise ImportRefused(_("양식 정보가 손상되었습니다. 새 양식을 내려받아 주세요.")) from None
    result_rows = list(sheet_rows(workbook, RESULT_SHEET, RESULT_HEADERS))
    report_rows = list(sheet_rows(workbook, REPORT_SHEET, REPORT_HEADERS))
    codes = {_code(values) for _n, values in [*result_rows, *report_rows]} - {None}
    projects = {
        p.code: p
        for p in Project.objects.filter(code__in=codes)
        .select_related("lead_department", "task__direction__plan")
        .prefetch_related("indicators")
    }
    by_pk = {p.pk: p for p in projects.values()}
    reports = {}
    for report in ProgressReport.objects.filter(
        project__in=list(by_pk), year=year, quarter=quarter
    ).prefetch_related("results"):
        report.project = by_pk[report.project_id]  # with its plan and indicators, loaded above
        reports[report.project_id] = report
    period = (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=year, quarter=quarter)
        .first()
    )
    preview = Preview()
    results = _read_results(preview, result_rows, projects)
    named = [projects[c] for c in {_code(v) for _n, v in report_rows} if c in projects]
    earlier = selectors.previous_reports(named, year=year, quarter=quarter)
    facts = selectors.report_facts(
        named, year=year, quarter=quarter, report_ids=[r.pk for r in reports.values()]
    )
    uploads = []
    seen = set()
    for number, values in report_rows:
        row = Row(preview, REPORT_SHEET, number, REPORT_HEADERS, values)
        code = row.text("코드")
        project = projects.get(code)
        if project is None:
            row.error("코드", _("없는 사업 코드입니다: %(code)s") % {"code": code})
            continue
        if code in seen:
            row.error("코드", _("같은 사업이 두 번 있습니다."))
            continue
        seen.add(code)
        upload = _read_report(
            row, project, reports.get(project.pk), results.get(code, {}),
            year=year, quarter=quarter, user=user, period=period,
            previous=earlier.get(project.pk), facts=facts[project.pk],
        )  # fmt: skip
        if upload is not None:
            uploads.append(upload)
    if uploads:
        preview.writes.append(_write(uploads, year=year, quarter=quarter))
    return preview


def _read_results(preview: Preview, rows, projects: dict) -> dict[str, dict[int, object]]:
    """Project code → indicator id → uploaded value, from the results sheet."""
    by_project: dict[str, dict[int, object]] = {}
    for number, values in rows:
        row = Row(preview, RESULT_SHEET, number, RESULT_HEADERS, values)
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
            by_project.setdefault(project.code, {})[indicator_id] = value
    return by_project


def _read_report(
    row: Row, project, report, new_results: dict, *, year, quarter, user, period, previous, facts
) -> services.ReportUpload | None:
    """Check one report row; the upload to write when it changes anything, else None."""
    # As numbers, as every number column is read ("2026" typed in a text cell is 2026), and
    # the refusal on the column that differs (a text 연도 was blamed on 분기).
    for column, expected in (("연도", year), ("분기", quarter)):
        if row.number(column, whole=True) != expected and not row.failed:
            row.error(
                column,
                _("양식의 보고 기간(%(y)s년 %(q)s분기)과 다릅니다.") % {"y": year, "q": quarter},
            )
    if row.failed:
        return None
    if not permissions.may_file(user, project):
        row.error("코드", _("다른 부서의 사업입니다. 주관부서 담당자만 입력할 수 있습니다."))
        return None
    new = {
        "progress": row.number(
            "진척률(%)", minimum=0, maximum=100, blank=Decimal(0), places=1, digits=4
        ),
        **{f: row.text(c) for f, c in REPORT_TEXT_COLUMNS.items()},
        **{
            f: row.number(c, minimum=0, whole=True, blank=0)
            for f, c in REPORT_MONEY_COLUMNS.items()
        },
    }
    label = row.text("추진상태").strip()
    if label not in STATUS_BY_LABEL:
        row.error("추진상태", _("추진상태는 %(choices)s 중 하나여야 합니다.") % {
            "choices": ", ".join(STATUS_BY_LABEL)})  # fmt: skip
    new["status"] = STATUS_BY_LABEL.get(label)
    version = row.number("버전", minimum=0, whole=True, blank=0)
    if row.failed:
        return None
    current, current_results = template_values(
        project, report, year=year, quarter=quarter, previous=previous
    )
    changed = {f: v for f, v in new.items() if differs(current[f], v)}
    changed_results = {i: v for i, v in new_results.items() if differs(current_results.get(i), v)}
    if not changed and not changed_results:
        return None
    if report is not None and report.version != version:
        row.error("버전", _("그 사이 다른 사람이 이 실적을 고쳤습니다. 새 양식을 내려받아 주세요."))
        return None
    refusal = (
        services.edit_refusal(user=user, filing=report, period=period)
        if report
        else services.period_accepts(period, project.lead_department_id)
    )
    if refusal:
        row.error("코드", refusal)
        return None
    if report is None:
        candidate = ProgressReport(project=project, year=year, quarter=quarter)
    else:
        candidate = copy(report)
        for name, value in STAMPS.items():
            setattr(candidate, name, value)
    try:  # what a save would refuse, refused here with its row and column
        services.report_check(candidate, values=new, results=new_results)
    except ValidationError as invalid:
        for name, messages in invalid.update_error_dict({}).items():
            row.error(COLUMN_OF.get(name, "코드"), " ".join(ValidationError(messages).messages))
        return None
    # The checks a submission will run, shown on the row (an upload only saves drafts).
    results = {**current_results, **new_results}
    for check in selectors.report_checks(candidate, results=results, facts=facts):
        column = COLUMN_OF.get(check.field, "코드")
        row.check(column, is_error=check.is_error, message=f"{project.code}: {check.message}")
    target = _("%(code)s %(year)s년 %(quarter)s분기") % {
        "code": project.code, "year": year, "quarter": quarter}  # fmt: skip
    for f, v in changed.items():
        label = str(ProgressReport._meta.get_field(f).verbose_name)
        old, v = (_shown(f, value) for value in (current[f], v))
        row.preview.changes.append(Change(target, label, old, v))
    names = {i.pk: i.name for i in project.indicators.all()}
    for i, v in changed_results.items():
        row.preview.changes.append(Change(target, names[i], current_results.get(i), v))
    return services.ReportUpload(
        project=project,
        values=new,
        results=changed_results,
        version=report.version if report else None,
    )


def _shown(field: str, value):
    """A value as the preview shows it: a status by its label (지연), not its code."""
    return ProjectStatus(value).label if field == "status" and value else value


def _write(uploads: list, *, year: int, quarter: int):
    def write(user) -> int:
        return services.reports_import(user=user, year=year, quarter=quarter, rows=uploads)

    return write
