"""The data version that keys cached pages: every write path moves it once it commits.

Tests run inside a transaction that never commits, so each write here is wrapped in
`django_capture_on_commit_callbacks(execute=True)`, which runs what the commit would run; the
last two tests commit for real.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projects import selectors, services
from projects.choices import FilingState, ProjectStatus
from projects.models import DataVersion, Department, ProgressReport, Project, ReportingPeriod
from tests.factories import acknowledged_submit


@pytest.fixture
def moves(django_capture_on_commit_callbacks):
    """`with moves(): write()` asserts that the write, once committed, moved the version."""

    class Moves:
        def __init__(self, expected=True):
            self.expected = expected

        def __enter__(self):
            self.before = selectors.data_version()
            self.commit = django_capture_on_commit_callbacks(execute=True)
            self.commit.__enter__()

        def __exit__(self, *exc):
            self.commit.__exit__(*exc)
            if exc[0] is None:
                assert (selectors.data_version() != self.before) == self.expected

    return Moves


def test_saving_submitting_approving_and_returning_a_report_each_move_it(
    moves, alice, coordinator, digital_project, open_period
):
    with moves():
        report = services.report_save(
            user=alice, project=digital_project, year=2026, quarter=4, version=None,
            values={"progress": 10, "status": ProjectStatus.ON_TRACK}, results={},
        )  # fmt: skip
    with moves():
        acknowledged_submit(user=alice, filing=report, version=report.version)
    with moves():
        services.filing_return(user=coordinator, filing=report, reason="근거 보완")
    acknowledged_submit(user=alice, filing=report, version=report.version)
    with moves():
        services.filing_approve(user=coordinator, filing=report)
    assert report.state == FilingState.APPROVED


def test_editing_a_drafts_content_and_indicator_results_leaves_it(
    moves, alice, digital_project, open_period
):
    """Cached pages (the dashboard) show a draft by its state only; staff save drafts all day."""
    indicator = digital_project.indicators.first()
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4, version=None,
        values={"progress": 10}, results={indicator.pk: 1},
    )  # fmt: skip
    for results in ({indicator.pk: 2}, {indicator.pk: None}):
        report = ProgressReport.objects.get(pk=report.pk)  # as the next request reads it
        with moves(expected=False):
            report = services.report_save(
                user=alice, project=digital_project, year=2026, quarter=4,
                version=report.version, values={"achievements": "진행 중"}, results=results,
            )  # fmt: skip
    assert report.achievements == "진행 중" and not report.results.exists()


def test_a_draft_shows_on_the_dashboard_once_saved_and_reopening_an_approved_one_moves_it(
    moves, alice, coordinator, digital_project, open_period
):
    with moves():
        report = services.report_save(
            user=alice, project=digital_project, year=2026, quarter=4, version=None,
            values={"progress": 10}, results={},
        )  # fmt: skip
    acknowledged_submit(user=alice, filing=report, version=report.version)
    services.filing_approve(user=coordinator, filing=report)
    with moves():
        services.filing_reopen(user=coordinator, filing=report, reason="수치 정정")
    with moves():
        report.delete()


def test_edits_of_a_draft_leave_no_made_up_reason_in_its_history(
    alice, digital_project, open_period
):
    """The admin's history list shows each row's change reason: none was given here."""
    report = None
    for progress in (10, 20):
        report = services.report_save(
            user=alice, project=digital_project, year=2026, quarter=4,
            version=report and report.version, values={"progress": progress}, results={},
        )  # fmt: skip
    assert [h.history_change_reason for h in report.history.all()] == [None, None]


def test_a_change_in_the_admin_moves_it(moves, client, plan, admin_user):
    department = Department.objects.create(code="old", name="옛 부서")
    client.force_login(admin_user)
    url = reverse("admin:projects_department_change", args=[department.pk])
    with moves():
        response = client.post(url, {"name": "바뀐 부서", "code": "renamed", "is_active": "on"})
    assert response.status_code == 302
    assert Department.objects.filter(name="바뀐 부서").exists()


def test_a_deadline_extension_moves_it(moves, coordinator, alice, past_period):
    with moves():
        services.extension_grant(
            user=coordinator, period=past_period, department=alice.department,
            due_on=timezone.localdate() + timedelta(days=7), reason="시스템 교체",
        )  # fmt: skip


def test_closing_a_period_moves_it(moves, coordinator, past_period):
    with moves():
        services.period_set_closed(user=coordinator, period=past_period, closed=True)
    assert ReportingPeriod.objects.get(pk=past_period.pk).closed


def test_changing_a_projects_supporting_departments_moves_it(moves, digital_project, bob):
    with moves():
        digital_project.support_departments.set([bob.department])


def test_a_rolled_back_transaction_leaves_it(moves, plan):
    with moves(expected=False), pytest.raises(RuntimeError), transaction.atomic():
        Department.objects.create(code="gone", name="없던과")
        raise RuntimeError


def test_a_sign_in_leaves_it(moves, client, alice):
    """Signing in saves the user's last_login; no cached page shows people."""
    with moves(expected=False):
        client.post("/accounts/login/", {"username": "alice", "password": "demo1234!"})
    assert client.get("/plan/").status_code == 200


def _n() -> int:
    return DataVersion.objects.get_or_create(pk=DataVersion.SINGLE_ROW)[0].n


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_moves_it_once_however_many_writes_it_made(plan):
    before = _n()
    with transaction.atomic():
        for n in range(3):
            Department.objects.create(code=f"new{n}", name=f"신설{n}과")
        Project.objects.filter(code="1-1-1").get().phases.clear()
    assert _n() == before + 1
    Department.objects.create(code="alone", name="단독과")  # autocommit: its own transaction
    assert _n() == before + 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_rolled_back_for_real_moves_nothing_and_the_next_one_still_moves_it(plan):
    before = _n()
    with pytest.raises(RuntimeError), transaction.atomic():
        Department.objects.create(code="gone", name="없던과")
        raise RuntimeError
    assert _n() == before
    Department.objects.create(code="kept", name="남은과")
    assert _n() == before + 1
