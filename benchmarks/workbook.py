"""Workbook export and import, each beside django-import-export and a bare openpyxl floor."""

import io
import time
import tracemalloc
from datetime import timedelta
from unittest import mock

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from import_export import fields, resources
from openpyxl import Workbook, load_workbook

from projects.models import ProgressReport, Project, ReportingPeriod, User
from projects.workbooks import exports, imports

REPORT_FIELDS = [
    "progress", "status", "achievements", "problems", "countermeasures", "next_steps",
    "spent_national", "spent_provincial", "spent_city", "spent_private", "spent_other",
    "state", "submitted_late",
]  # fmt: skip


class ReportResource(resources.ModelResource):
    code = fields.Field(attribute="project__code", column_name="코드")

    class Meta:
        model = ProgressReport
        fields = ["id", "code", "project", "year", "quarter", *REPORT_FIELDS]


class _Undo(Exception):
    pass


def measure(work) -> tuple[float, float]:
    """Seconds of one call, then its peak MB in a second call (tracemalloc slows Python down,
    so it never runs while the clock does). Both calls are rolled back, so an import can be
    measured twice on the same data."""
    results = []
    for traced in (False, True):
        try:
            with transaction.atomic():
                if traced:
                    tracemalloc.start()
                start = time.perf_counter()
                work()
                results.append(time.perf_counter() - start)
                if traced:
                    results.append(tracemalloc.get_traced_memory()[1] / 1024 / 1024)
                    tracemalloc.stop()
                raise _Undo
        except _Undo:
            pass
    return results[0], results[2]


def report_rows(year: int, quarter: int):
    return (
        ProgressReport.objects.filter(year=year, quarter__lte=quarter)
        .select_related("project")
        .order_by("project__code", "quarter")
    )


def floor_dump(year: int, quarter: int) -> bytes:
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("분기실적")
    for r in report_rows(year, quarter).values_list(
        "project__code", "year", "quarter", *REPORT_FIELDS
    ):
        ws.append(list(r))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_rows(year: int, quarter: int) -> list[tuple[str, list]]:
    """The rows of all six sheets as the meeting workbook writes them (captured, not timed)."""
    captured: dict[str, list] = {}
    original = exports.SheetWriter.add

    def capture(sheet, values):
        values = [str(v) if isinstance(v, Promise) else v for v in values]
        captured.setdefault(sheet.ws.title, []).append(values)
        original(sheet, values)

    with mock.patch.object(exports.SheetWriter, "add", capture):
        exports.meeting_workbook(year=year, quarter=quarter)
    return list(captured.items())


def floor_all(sheets: list[tuple[str, list]]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_export_dump(year: int, quarter: int) -> bytes:
    return ReportResource().export(report_rows(year, quarter)).export("xlsx")


def export_rows(label: str, year: int, quarter: int) -> list[tuple]:
    rows = report_rows(year, quarter).count()
    sheets = workbook_rows(year, quarter)
    all_rows = sum(len(r) for _t, r in sheets)
    results = []
    for name, count, work in (
        ("meeting workbook (6 sheets)", all_rows,
         lambda: exports.meeting_workbook(year=year, quarter=quarter)),
        ("openpyxl floor (same 6 sheets' rows)", all_rows, lambda: floor_all(sheets)),
        ("django-import-export (report rows)", rows, lambda: import_export_dump(year, quarter)),
        ("openpyxl floor (report rows)", rows, lambda: floor_dump(year, quarter)),
    ):  # fmt: skip
        seconds, peak = measure(work)
        results.append((f"export {label}", name, count, seconds, peak))
    return results


def import_rows(count: int = 1000) -> list[tuple]:
    """Import `count` quarterly reports three ways on fresh quarters."""
    coordinator = User.objects.get(username="bench")
    today = timezone.localdate()
    for year, quarter in ((2026, 4), (2027, 1)):
        ReportingPeriod.objects.update_or_create(
            year=year, quarter=quarter,
            defaults={"opens_on": today - timedelta(days=5), "due_on": today + timedelta(days=30)},
        )  # fmt: skip
    projects = list(
        Project.objects.filter(start_year__lte=2026, end_year__gte=2027)
        .prefetch_related("indicators__targets")
        .order_by("code")[:count]
    )
    template = load_workbook(
        io.BytesIO(exports.report_template(projects=projects, year=2026, quarter=4))
    )
    for row in template["분기실적"].iter_rows(min_row=2):
        row[4].value = 33
    buffer = io.BytesIO()
    template.save(buffer)
    filled = buffer.getvalue()

    def ours():
        upload = io.BytesIO(filled)
        upload.size = len(filled)
        preview = imports.read(upload, user=coordinator)
        assert preview.ok, preview.errors[:3]
        imports.apply(preview, user=coordinator)

    import tablib

    dataset = tablib.Dataset(headers=["id", "project", "year", "quarter", "progress", "status"])
    for project in projects:
        dataset.append(["", project.pk, 2027, 1, 33, "on_track"])
    xlsx = dataset.export("xlsx")

    def theirs():
        data = tablib.Dataset().load(xlsx, format="xlsx")
        result = ReportResource().import_data(data, dry_run=False, raise_errors=True)
        assert not result.has_errors()

    def floor():
        workbook = load_workbook(io.BytesIO(filled), read_only=True, data_only=True)
        sum(1 for _row in workbook["분기실적"].iter_rows(values_only=True))
        workbook.close()

    results = []
    for name, work in (
        ("this app (checks, preview, history)", ours),
        ("django-import-export", theirs),
        ("openpyxl read-only floor", floor),
    ):
        seconds, peak = measure(work)
        results.append((f"import {len(projects)} rows", name, len(projects), seconds, peak))
    return results
