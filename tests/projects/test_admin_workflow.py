"""The workflow (submit, approve, return, reopen) runs only through the app's actions, which
apply its rules (a reviewer never approves their own filing): the admin shows a filing's
state and stamps but cannot set them."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import ImplementationPlan, PeriodExtension, ProgressReport, ReportingPeriod

WORKFLOW_INPUTS = (
    "state",
    "submitted_by",
    "submitted_at",
    "submitted_late",
    "signed_off_by",
    "signed_off_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
    "reopened_by",
    "reopened_at",
)


@pytest.mark.parametrize("model", [ProgressReport, ImplementationPlan])
def test_the_admin_change_page_shows_no_input_for_the_state_or_its_stamps(
    client, admin_user, alice, digital_project, open_period, model
):
    if model is ProgressReport:
        record = services.report_save(
            user=alice, project=digital_project, year=2026, quarter=4, version=None,
            values={"progress": 40}, results={},
        )  # fmt: skip
    else:
        record = services.plan_save(
            user=alice, project=digital_project, year=2026, version=None, values={"goal": "목표"}
        )
    client.force_login(admin_user)
    url = reverse(f"admin:projects_{model._meta.model_name}_change", args=[record.pk])
    page = client.get(url).content.decode()
    assert "작성중" in page  # the state is shown …
    for name in WORKFLOW_INPUTS:  # … but cannot be set
        assert f'name="{name}"' not in page, name


def test_the_admin_keeps_the_calendars_rules_for_a_periods_year_and_an_extension(
    client, admin_user, plan, past_period, digital_project
):
    """The calendar refused a 2035 period and a 9999-12-31 extension; the admin, its twin,
    took both."""
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:projects_reportingperiod_add"),
        {"year": 2035, "quarter": 1, "opens_on": "2035-02-01", "due_on": "2035-04-15"},
    )
    assert "2035년은 기본계획 기간(2023~2027년)이 아닙니다." in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2035).exists()
    response = client.post(
        reverse("admin:projects_periodextension_add"),
        {"period": past_period.pk, "department": digital_project.lead_department_id,
         "due_on": "9999-12-31", "reason": "오타"},
    )  # fmt: skip
    assert "1년 안이어야 합니다" in response.content.decode()
    assert not PeriodExtension.objects.exists()
