"""Excel workbooks: what the app writes (the meeting workbook, list exports, templates) and
what it reads back (filled-in templates). Callers use the package (`workbooks.read(...)`).

format.py defines the format (sheets, headers, styles, the upload format); the writers
(meeting, lists, templates) and the readers (reading, import_reports, import_plan, upload)
each import it and never each other.
"""

from .format import SHEET_NAMES
from .lists import project_list_workbook, review_queue_workbook
from .meeting import meeting_workbook, workbook_filename
from .reading import ImportRefused, Preview
from .templates import plan_template, report_template
from .upload import apply, read

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
