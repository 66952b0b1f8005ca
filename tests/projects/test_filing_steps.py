"""The plan and report pages say where the filing stands: 작성중 (or 보완요청) → 제출 → 승인."""

import re

import pytest
from django.utils import timezone

from projects.choices import FilingState
from projects.models import ImplementationPlan, ProgressReport


def steps(page: str) -> list[tuple[str, str, bool]]:
    """(class, title, current) of each step shown."""
    found = re.findall(r'<li class="([a-z]*)"><span>(.*?)</span></li>', page)
    return [
        (css, re.search(r'<span class="step-tit">([^<]+)', body)[1], "현재 단계" in body)
        for css, body in found
    ]


@pytest.fixture
def staff(client, alice, digital_project, open_period):
    client.force_login(alice)
    return client


def stamps(state, who) -> dict:
    now = timezone.now()
    values = {"state": state}
    if state != FilingState.DRAFT:
        values |= {"submitted_by": who, "submitted_at": now}
    if state in (FilingState.APPROVED, FilingState.RETURNED):
        values |= {"reviewed_by": who, "reviewed_at": now, "review_comment": "보완"}
    return values


def test_a_report_not_yet_saved_is_at_its_first_step(staff):
    page = staff.get("/projects/2-2-1/reports/2026/4/").content.decode()
    assert steps(page) == [("active", "작성중", True), ("", "제출", False), ("", "승인", False)]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (FilingState.SUBMITTED, [("done", "작성중", False), ("active", "제출", True),
                                 ("", "승인", False)]),
        (FilingState.RETURNED, [("active", "보완요청", True), ("", "제출", False),
                                ("", "승인", False)]),
        (FilingState.APPROVED, [("done", "작성중", False), ("done", "제출", False),
                                ("active", "승인", True)]),
    ],
)  # fmt: skip
def test_a_report_shows_the_step_its_state_is_at(staff, digital_project, coordinator, state,
                                                expected):  # fmt: skip
    ProgressReport.objects.create(
        project=digital_project, year=2026, quarter=4, **stamps(state, coordinator)
    )
    assert steps(staff.get("/projects/2-2-1/reports/2026/4/").content.decode()) == expected


def test_a_plan_shows_its_steps_too(staff, digital_project, coordinator):
    ImplementationPlan.objects.create(
        project=digital_project, year=2026, **stamps(FilingState.SUBMITTED, coordinator)
    )
    page = staff.get("/projects/2-2-1/plans/2026/").content.decode()
    assert [current for _css, _title, current in steps(page)] == [False, True, False]
