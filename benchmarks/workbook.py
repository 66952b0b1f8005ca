"""Workbook export and import, each beside django-import-export and a bare openpyxl floor.

Each figure is (what, how, rows, seconds, peak MB traced by tracemalloc, peak MB of process
resident memory above what it was before the call, time ÷ django-import-export's on its
rows: the targets compare the whole workbook with its report rows alone). The floors write
the very rows they are compared with: the meeting workbook's rows as read back from the
app's own file, and the report rows as django-import-export's dataset holds them.

`python -m benchmarks.workbook` runs these alone at BENCH_FACTORS (default 1,100) on the
database DATABASE_URL names (a throw-away test database).
"""

import io
import os
import statistics
import time
import tracemalloc
from datetime import timedelta

from benchmarks import median_ratio, memory_mb, reset_peak_memory, setup_django

setup_django()  # when run alone (python -m benchmarks.workbook); once more is harmless

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from import_export import fields, resources  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from projects import workbooks  # noqa: E402
from projects.models import ProgressReport, Project, ReportingPeriod, User  # noqa: E402

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


ROUNDS = 3  # timed runs of each way, the ways taking turns
THEIRS = "django-import-export"


def _undone(work) -> float:
    """Seconds of work(), called in a transaction that is then rolled back (outside the
    clock): an import can run again on the same data."""
    with transaction.atomic():
        start = time.perf_counter()
        work()
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def measured_in_turns(label: str, ways: list[tuple]) -> list[tuple]:
    """Each way (name, rows, work) timed ROUNDS times, the ways taking turns (in reverse
    order every other round), so that all of them meet the machine at the same speed; then
    its peak resident MB above the start (the first round) and its tracemalloc peak (a run
    of its own: tracing slows Python down, so it never runs while the clock does). Each row:
    (label, name, rows, median seconds, traced MB, RSS MB, the median of the rounds' ratios
    of its time to django-import-export's)."""
    seconds = {name: [] for name, _rows, _work in ways}
    rss = {}
    for round_ in range(ROUNDS):
        for name, _rows, work in ways[:: -1 if round_ % 2 else 1]:
            before, _peak = memory_mb()
            reset_peak_memory()
            seconds[name].append(_undone(work))
            if name not in rss:
                rss[name] = memory_mb()[1] - before
    theirs = next(series for name, series in seconds.items() if name.startswith(THEIRS))
    results = []
    for name, rows, work in ways:
        tracemalloc.start()
        _undone(work)
        traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        results.append(
            (label, name, rows, statistics.median(seconds[name]), traced, rss[name],
             median_ratio(seconds[name], theirs))
        )  # fmt: skip
    return results


def report_rows(year: int, quarter: int):
    return (
        ProgressReport.objects.filter(year=year, quarter__lte=quarter)
        .select_related("project")
        .order_by("project__code", "quarter")
    )


def written_rows(content: bytes) -> list[tuple[str, list]]:
    """Every sheet's rows (header included) as a file holds them."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheets = [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in workbook]
    workbook.close()
    return sheets


def floor(sheets: list[tuple[str, list]]) -> bytes:
    """Bare openpyxl, write-only: the same rows, no styles, widths or print setup."""
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
    """The meeting workbook (all six sheets) against django-import-export's report rows alone,
    and each against the openpyxl floor on the same rows."""
    ours = written_rows(workbooks.meeting_workbook(year=year, quarter=quarter))
    theirs = written_rows(import_export_dump(year, quarter))
    all_rows = sum(len(rows) - 1 for _title, rows in ours)
    report_count = len(theirs[0][1]) - 1
    return measured_in_turns(f"export {label}", [
        ("meeting workbook (6 sheets)", all_rows,
         lambda: workbooks.meeting_workbook(year=year, quarter=quarter)),
        ("openpyxl floor (the same 6 sheets' rows)", all_rows, lambda: floor(ours)),
        (f"{THEIRS} (report rows)", report_count, lambda: import_export_dump(year, quarter)),
        ("openpyxl floor (the same report rows)", report_count, lambda: floor(theirs)),
    ])  # fmt: skip


def import_rows(count: int = 1000) -> list[tuple]:
    """Import `count` quarterly reports three ways on fresh quarters, 2026 Q4 and 2027 Q1: the
    data's 2026 Q4 reports (drafts, submissions) are set aside meanwhile and put back."""
    with transaction.atomic():
        ProgressReport.objects.filter(year=2026, quarter=4).delete()
        rows = _import_rows(count)
        transaction.set_rollback(True)
    return rows


def _import_rows(count: int) -> list[tuple]:
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
        io.BytesIO(workbooks.report_template(projects=projects, year=2026, quarter=4))
    )
    for row in template["분기실적"].iter_rows(min_row=2):
        row[4].value = 33
    buffer = io.BytesIO()
    template.save(buffer)
    filled = buffer.getvalue()

    def ours():
        upload = io.BytesIO(filled)
        upload.size = len(filled)
        preview = workbooks.read(upload, user=coordinator)
        assert preview.ok, preview.errors[:3]
        workbooks.apply(preview, user=coordinator)

    import tablib

    dataset = tablib.Dataset(headers=["id", "project", "year", "quarter", "progress", "status"])
    for project in projects:
        dataset.append(["", project.pk, 2027, 1, 33, "on_track"])
    xlsx = dataset.export("xlsx")

    def theirs():
        data = tablib.Dataset().load(xlsx, format="xlsx")
        result = ReportResource().import_data(data, dry_run=False, raise_errors=True)
        assert not result.has_errors()

    def read_floor():
        workbook = load_workbook(io.BytesIO(filled), read_only=True, data_only=True)
        sum(1 for _row in workbook["분기실적"].iter_rows(values_only=True))
        workbook.close()

    return measured_in_turns(f"import {len(projects)} rows", [
        ("this app (checks, preview, history)", len(projects), ours),
        (THEIRS, len(projects), theirs),
        ("openpyxl read-only floor", len(projects), read_floor),
    ])  # fmt: skip


def table(figures: list[tuple]) -> list[str]:
    """The figures as the lines of a Markdown table."""
    lines = [
        "| Excel | how | rows | seconds | time ÷ django-import-export's | peak MB (tracemalloc) "
        "| peak MB (RSS growth) |",
        "|---|---|---|---|---|---|---|",
    ]
    for what, how, rows, seconds, traced, rss, ratio in figures:
        lines.append(
            f"| {what} | {how} | {rows:,} | {seconds:.2f} | {ratio:.2f}× | {traced:.1f} "
            f"| {rss:.1f} |"
        )
    return lines


def main() -> None:
    """The Excel figures alone, in a throw-away test database."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    from benchmarks import data, throwaway_database

    setup_test_environment()
    old_name = throwaway_database(connection)
    try:
        figures = []
        for factor in [int(f) for f in os.environ.get("BENCH_FACTORS", "1,100").split(",")]:
            calendar = data.grow(factor)
            figures += export_rows(f"{factor}×", *calendar.last_due)
        figures += import_rows(1000)
        print(f"database: {connection.vendor}")
        for line in table(figures):
            print(line)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
