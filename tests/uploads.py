"""Files that tests upload."""

import io

import openpyxl


def reports_template_with_progress(client, *, code: str = "2-2-1", progress: int = 55) -> bytes:
    """The 2026 Q4 reports template as `client`'s user downloads it, with one project's
    progress changed: a file that imports one change."""
    response = client.get("/import/template/reports.xlsx?year=2026&quarter=4")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["분기실적"]
    column = [cell.value for cell in sheet[1]].index("진척률(%)")
    next(row for row in sheet.iter_rows(min_row=2) if row[0].value == code)[column].value = progress
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
