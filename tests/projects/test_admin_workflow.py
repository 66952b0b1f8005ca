"""The workflow (submit, approve, return, reopen) runs only through the app's actions, which
apply its rules (a reviewer never approves their own filing): the admin shows a filing's
state and stamps but cannot set them."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import ImplementationPlan, ProgressReport

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
