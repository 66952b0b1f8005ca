"""The committee's meeting document as a PDF (A4 portrait): the workbook's 요약 as pages.

Django templates (templates/projects/briefing/) rendered by WeasyPrint, fed by the selectors
the dashboard and the workbook's 요약 use, so the three say the same. The fonts ship with the
app (static/vendor/pdf-fonts/) and nothing is fetched while rendering: the URL fetcher
answers file URLs under the static folder only.

WeasyPrint needs Pango (a system library). It is imported only when a PDF is made: without
it the rest of the app runs, and briefing_pdf raises PdfUnavailable.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from . import charts, selectors
from .choices import STATUSES_NEEDING_EXPLANATION, ProjectStatus
from .models import Project
from .models.work import quarter_start
from .workbooks.format import official_date
from .workbooks.meeting import workbook_title

STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET = STATIC_DIR / "css" / "briefing.css"
SVG_FONT = "'Pretendard GOV', 'Nanum Gothic Rest', sans-serif"  # as briefing.css says


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def briefing_filename(year: int, quarter: int) -> str:
    return f"gwangyang-briefing-{year}-Q{quarter}.pdf"


def quarter_dates(year: int, quarter: int) -> str:
    """ "2026. 7. 1.~9. 30.": the quarter's first and last day (the year not repeated)."""
    first = quarter_start(year, quarter)
    following = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    last = official_date(quarter_start(*following) - timedelta(days=1))
    return f"{official_date(first)}~{last.removeprefix(f'{year}. ')}"


@dataclass
class DirectionPage:
    """One direction: its rollup row, figures per task, and its running projects."""

    row: selectors.RollupRow
    tasks: list  # (rollup row, task_totals figures or None)
    projects: list  # Project with period figures
    # In the plan's progress but not running: their years are over (their last 진척률 counts)
    finished: list = field(default_factory=list)


def briefing_context(*, year: int, quarter: int, printed_by: str = "") -> dict:
    """Everything the document shows, from the dashboard's and 요약's selectors."""
    plan = selectors.active_plan()
    head = selectors.headline(plan=plan, year=year, quarter=quarter, weakest=10)
    per_task = selectors.task_totals(plan=plan, year=year, quarter=quarter)
    exceptions = selectors.exceptions(plan=plan, year=year, quarter=quarter)

    every_project = list(
        selectors.with_period_figures(
            Project.objects.filter(
                selectors.in_plan_as_of(year, quarter), task__direction__plan=plan
            ),
            year=year,
            quarter=quarter,
        )
        .select_related("task__direction", "lead_department")
        .order_by("code")
    )
    explained = {p.pk: p for p in exceptions}
    for p in every_project:
        p.exception = explained.get(p.pk)
    by_direction = []
    for direction in head.rollup.children:
        tasks = [(task, per_task.get(task.obj.pk)) for task in direction.children]
        in_direction = [p for p in every_project if p.task.direction_id == direction.obj.pk]
        running = [p for p in in_direction if p.counts_in(year, quarter)]
        finished = [p for p in in_direction if not p.counts_in(year, quarter)]
        by_direction.append(DirectionPage(direction, tasks, running, finished))
    return {
        "title": workbook_title(year, quarter),
        "year": year,
        "quarter": quarter,
        "as_of": official_date(timezone.localdate()),
        "quarter_dates": quarter_dates(year, quarter),
        "printed_by": printed_by,
        # a project's report counts as filed (not 미제출) in these states, as the counts say
        "filed_states": list(selectors.FILED_STATES),
        "rollup": head.rollup,
        "running": head.running,
        "filed": head.filed,
        "submission_rate": head.submission_rate,
        "status_counts": head.status_counts,
        "status_bar": charts.stacked(
            [(value or "none", label, n) for value, label, n in head.status_counts]
        ),
        "budget": head.budget,
        # A source with no budget and no spending is left out, unless a change took its
        # budget to nothing: 당초 → 0 is news for the committee.
        "budget_shown": [
            row
            for row in head.budget
            if row[2] or row[3] or (head.budget_original or {}).get(row[0]) or row[0] == "total"
        ],  # fmt: skip
        "budget_original": head.budget_original,
        "unplanned": head.unplanned,
        "indicators": head.indicators,
        "weakest": head.weakest,  # the lowest ten, as the dashboard lists them
        "exceptions": exceptions,
        "directions": by_direction,
        "not_filed": selectors.not_filed(plan=plan, year=year, quarter=quarter),
        "projects": every_project,
        # the plan's projects that ended before the quarter: left out, and the appendix says so
        "ended_before": list(
            Project.objects.filter(task__direction__plan=plan)
            .exclude(selectors.not_ended_before(year, quarter))
            .order_by("code")
            .values_list("code", flat=True)
        ),
        # The charts' text: an SVG drawn by WeasyPrint inherits no font from the page.
        "svg_font": SVG_FONT,
        "explained_statuses": [str(ProjectStatus(s).label) for s in STATUSES_NEEDING_EXPLANATION],
        # The year-end evaluation, in a fourth quarter's document only (as in the workbook).
        "evaluation": selectors.evaluation_table(plan=plan, year=year) if quarter == 4 else None,
        "grade_criteria": selectors.grade_criteria(),
    }


def briefing_html(*, year: int, quarter: int, printed_by: str = "") -> str:
    context = briefing_context(year=year, quarter=quarter, printed_by=printed_by)
    return render_to_string("projects/briefing/document.html", context)


def local_files_fetcher():
    """WeasyPrint's URL fetcher for the document: files under static/ only; anything else
    is refused, so a rendering never reaches the network (or the rest of the disk)."""
    from weasyprint.urls import URLFetcher

    class LocalFiles(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(STATIC_DIR.as_uri() + "/"):
                raise ValueError(f"not fetched while making a PDF: {url[:80]}")
            return super().fetch(url, headers)

    return LocalFiles(allowed_protocols={"file"})


def briefing_pdf(*, year: int, quarter: int, printed_by: str = "") -> bytes:
    """The meeting document as PDF bytes (raises PdfUnavailable without WeasyPrint/Pango)."""
    # Its progress (INFO, from its import on) and warnings (a pattern id that each chart
    # repeats) are noise in the server's log.
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as missing:  # OSError: the Pango library is not found
        raise PdfUnavailable(str(missing)) from missing
    html = briefing_html(year=year, quarter=quarter, printed_by=printed_by)
    fetcher, fonts = local_files_fetcher(), FontConfiguration()  # fonts: the @font-face rules
    document = weasyprint.HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=fonts)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
