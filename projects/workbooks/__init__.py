"""Excel workbooks: what the app writes (the meeting workbook, list exports, templates) and
what it reads back (filled-in templates). Callers use the package (`workbooks.read(...)`)."""

from .exports import (
    SHEET_NAMES,
    meeting_workbook,
    plan_template,
    project_list_workbook,
    report_template,
    review_queue_workbook,
    workbook_filename,
)
from .imports import ImportRefused, Preview, apply, read

__all__ = [
    "SHEET_NAMES",
    "ImportRefused",
    "Preview",
    "apply",
    "meeting_workbook",
    "plan_template",
    "project_list_workbook",
    "read",
    "report_template",
    "review_queue_workbook",
    "workbook_filename",
]
