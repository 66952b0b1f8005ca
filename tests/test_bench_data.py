"""make bench's data and floor view: what the benchmark measures must look like a real year."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks import data
from projects.choices import FilingState
from projects.models import (
    ImplementationPlan,
    PeriodExtension,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
)


@pytest.fixture
def calendar(plan):
    return data.grow(1)


def test_reports_are_in_every_state(calendar):
    states = set(ProgressReport.objects.values_list("state", flat=True))
    assert states == set(FilingState.values)


def test_a_period_is_open_now_and_some_departments_have_extensions(calendar):
    assert calendar.open_now is not None
    assert ReportingPeriod.objects.filter(closed=True).exists()
    assert PeriodExtension.objects.filter(period=calendar.periods[calendar.open_now]).exists()


def test_this_years_plans_have_budgets_and_reports_have_indicator_results(calendar):
    plans = ImplementationPlan.objects.filter(year=calendar.year)
    running = Project.objects.filter(start_year__lte=calendar.year, end_year__gte=calendar.year)
    assert plans.count() == running.count()
    assert all(plan.budget_total > 0 for plan in plans if plan.project.cost_total > 0)
    assert ProgressReport.objects.filter(results__isnull=False).exists()


def test_the_showcase_project_has_a_draft_open_now(calendar):
    year, quarter = calendar.open_now
    report = ProgressReport.objects.get(project__code=data.SHOWCASE, year=year, quarter=quarter)
    assert report.state == FilingState.DRAFT


def test_growing_multiplies_the_projects_and_adds_nothing_twice(calendar):
    reports = ProgressReport.objects.count()
    data.grow(1)
    assert ProgressReport.objects.count() == reports
    data.grow(3)
    assert Project.objects.count() == 87
    assert Proposal.objects.count() == 3 * data.PROPOSALS_PER_FACTOR
    assert ProgressReport.objects.count() > 2.5 * reports


@pytest.mark.urls("benchmarks.urls")
def test_the_floor_view_makes_no_query_and_no_session(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/floor")
    assert response.status_code == 200
    assert len(queries) == 0
    assert "sessionid" not in response.cookies
