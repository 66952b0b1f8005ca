"""The Excel import reads in batches: twice the rows cost at most a few more queries a row,
and only the projects a file names are loaded."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from projects import workbooks
from projects.models import ProgressReport, Project
from tests.projects.test_import import as_upload


def filled(projects, *, progress) -> SimpleUploadedFile:
    """The template of these projects for 2026 Q4 with a new progress and indicator value."""
    content = workbooks.report_template(projects=projects, year=2026, quarter=4)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for row in workbook["분기실적"].iter_rows(min_row=2):
        row[4].value = progress
    for row in workbook["성과지표"].iter_rows(min_row=2):
        row[5].value = 7
    return as_upload(workbook)


def queries_to_import(user, projects, *, progress) -> int:
    """Queries to read and apply a filled template (building it is not counted)."""
    file = filled(projects, progress=progress)
    with CaptureQueriesContext(connection) as queries:
        preview = workbooks.read(file, user=user)
        assert preview.ok, preview.errors[:3]
        assert workbooks.apply(preview, user=user) == len(projects)
    return len(queries)


def running_in_2026():
    return list(
        Project.objects.filter(start_year__lte=2026, end_year__gte=2026)
        .prefetch_related("indicators__targets")
        .order_by("code")
    )


@pytest.mark.parametrize("stored", [False, True], ids=["new reports", "stored drafts"])
def test_twice_the_rows_cost_at_most_four_more_queries_a_row(coordinator, open_period, stored):
    projects = running_in_2026()
    if stored:
        for project in projects:
            report = ProgressReport.objects.create(project=project, year=2026, quarter=4)
            for indicator in project.indicators.all()[:1]:
                report.results.create(indicator=indicator, value=1)
    n = len(projects) // 3
    few = queries_to_import(coordinator, projects[:n], progress=20)
    twice = queries_to_import(coordinator, projects[n : 3 * n], progress=30)
    assert twice - few <= 4 * n, (few, twice)
    assert ProgressReport.objects.filter(year=2026, quarter=4, progress=30).count() == 2 * n
    history = ProgressReport.history.filter(year=2026, quarter=4, progress=30)
    assert {h.history_user for h in history} == {coordinator}


def test_the_import_loads_only_the_projects_the_file_names(coordinator, open_period):
    projects = running_in_2026()[:2]
    file = filled(projects, progress=20)
    loaded = []

    def note(sender, instance, **kwargs):
        loaded.append(instance.code)

    post_init.connect(note, sender=Project)
    try:
        preview = workbooks.read(file, user=coordinator)
        workbooks.apply(preview, user=coordinator)
    finally:
        post_init.disconnect(note, sender=Project)
    assert set(loaded) == {p.code for p in projects}
    assert ProgressReport.objects.filter(year=2026, quarter=4).count() == 2
