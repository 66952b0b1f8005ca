"""Property-based: whatever a person types into the report template's cells (any text, numbers
of any size, blanks, a column gone), the import reader and apply either write every change or
none, and refuse with a Korean message; never an uncaught exception (a 500 on the page)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from projects import workbooks
from projects.models import IndicatorResult, ProgressReport
from projects.workbooks.format import REPORT_HEADERS, REPORT_SHEET, RESULT_HEADERS, RESULT_SHEET

CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(float),
    st.sampled_from(["정상", "지연", "부진", "완료", "50", "1,000,000", " 12 ", "-0", "1e400"]),
)
REPORT_EDITS = st.dictionaries(st.sampled_from(REPORT_HEADERS), CELL, max_size=6)
RESULT_EDITS = st.dictionaries(st.sampled_from(RESULT_HEADERS[4:]), CELL, max_size=2)
DROPPED_HEADER = st.one_of(st.none(), st.sampled_from(REPORT_HEADERS))


@pytest.fixture
def template_bytes(client, alice, open_period, plan) -> bytes:
    client.force_login(alice)
    response = client.get("/import/template/reports.xlsx?year=2026&quarter=4")
    assert response.status_code == 200
    return response.content


def filled(template: bytes, report_edits, result_edits, dropped) -> SimpleUploadedFile:
    """The template with 2-2-1's row (and its first indicator row) edited, and perhaps one
    header cell emptied (a column gone)."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    for sheet, headers, edits in (
        (REPORT_SHEET, REPORT_HEADERS, report_edits),
        (RESULT_SHEET, RESULT_HEADERS, result_edits),
    ):
        ws = workbook[sheet]
        row = next((r for r in ws.iter_rows(min_row=2) if r[0].value == "2-2-1"), None)
        for column, value in edits.items() if row else ():
            try:
                row[headers.index(column)].value = value
            except IllegalCharacterError:
                assume(False)  # openpyxl refuses to write it, so no workbook can hold it
    if dropped is not None:
        workbook[REPORT_SHEET].cell(1, REPORT_HEADERS.index(dropped) + 1).value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("filled.xlsx", buffer.getvalue())


def stored() -> list:
    return [
        *ProgressReport.objects.values_list("project__code", "progress", "version", "achievements"),
        *IndicatorResult.objects.values_list("report_id", "indicator_id", "value"),
    ]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(report_edits=REPORT_EDITS, result_edits=RESULT_EDITS, dropped=DROPPED_HEADER)
# Found by this test: an infinite number or "nan" in a number cell was a TypeError, not a message.
@example(report_edits={"진척률(%)": float("inf")}, result_edits={}, dropped=None)
@example(report_edits={"진척률(%)": "nan"}, result_edits={RESULT_HEADERS[4]: "-inf"}, dropped=None)
def test_any_cell_values_are_applied_whole_or_refused_with_a_message(
    template_bytes, alice, report_edits, result_edits, dropped
):
    with transaction.atomic():
        before = stored()
        try:
            preview = workbooks.read(
                filled(template_bytes, report_edits, result_edits, dropped), user=alice
            )
            if not preview.ok:
                assert all(error.message for error in preview.errors)
            elif preview.writes:
                workbooks.apply(preview, user=alice)
                progress = report_edits.get("진척률(%)")
                if isinstance(progress, int | float) and dropped != "진척률(%)":
                    report = ProgressReport.objects.get(project__code="2-2-1")
                    assert report.progress == Decimal(str(progress))
        except workbooks.ImportRefused as refusal:
            assert str(refusal)
            assert stored() == before  # refused at read or at apply: nothing written
        else:
            if not preview.ok or not preview.writes:
                assert stored() == before
        transaction.set_rollback(True)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(report_edits=REPORT_EDITS, dropped=DROPPED_HEADER)
def test_the_preview_page_never_answers_500(
    client, template_bytes, settings_media, report_edits, dropped
):
    with transaction.atomic():
        upload = filled(template_bytes, report_edits, {}, dropped)
        response = client.post("/import/preview/", {"file": upload})
        assert response.status_code in (200, 400)
        assert not ProgressReport.objects.exists()  # a preview writes nothing
        transaction.set_rollback(True)


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
