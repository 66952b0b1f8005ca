"""The filing workflow: draft → submitted → approved | returned, with locks, reopen and history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import services
from projects.choices import CommentKind, FilingState, ProjectStatus
from projects.models import ImplementationPlan, PeriodExtension, ProgressReport
from tests.factories import COMPLETE_PLAN, acknowledged_submit

VALUES = {"progress": Decimal("40.0"), "status": ProjectStatus.ON_TRACK, "achievements": "착수"}


def save(user, project, *, quarter=4, values=None, results=None, version=None):
    return services.report_save(
        user=user,
        project=project,
        year=2026,
        quarter=quarter,
        values=values or VALUES,
        results=results or {},
        version=version,
    )


@pytest.fixture
def draft(alice, digital_project, open_period):
    return save(alice, digital_project)


@pytest.fixture
def submitted(alice, draft):
    return acknowledged_submit(user=alice, filing=draft)


def test_staff_create_a_draft_for_their_own_project(draft, alice):
    assert draft.state == FilingState.DRAFT
    assert draft.version == 1
    assert draft.history.get().history_user == alice


def test_staff_cannot_file_for_another_departments_project(bob, digital_project, open_period):
    with pytest.raises(PermissionDenied):
        save(bob, digital_project)
    assert not ProgressReport.objects.exists()


def test_the_committee_cannot_file(committee, digital_project, open_period):
    with pytest.raises(PermissionDenied):
        save(committee, digital_project)


def test_saving_again_bumps_the_version(alice, draft, digital_project):
    again = save(alice, digital_project, values=VALUES | {"progress": 45}, version=1)
    assert again.version == 2
    assert ProgressReport.objects.get().progress == 45


def test_a_stale_version_is_refused_and_nothing_changes(alice, draft, digital_project):
    save(alice, digital_project, values=VALUES | {"progress": 45}, version=1)
    with pytest.raises(services.ConflictError):
        save(alice, digital_project, values=VALUES | {"progress": 99}, version=1)
    report = ProgressReport.objects.get()
    assert (report.progress, report.version) == (45, 2)


def test_indicator_values_are_saved_changed_and_cleared(alice, draft, digital_project):
    indicator = digital_project.indicators.first()
    save(alice, digital_project, results={indicator.pk: Decimal("12.5")}, version=1)
    assert draft.results.get().value == Decimal("12.5")
    save(alice, digital_project, results={indicator.pk: None}, version=2)
    assert not draft.results.exists()


def test_an_indicator_of_another_project_is_refused(alice, draft, digital_project, plan):
    from projects.models import Indicator

    foreign = Indicator.objects.exclude(project=digital_project).first()
    with pytest.raises(ValidationError):
        save(alice, digital_project, results={foreign.pk: Decimal(1)}, version=1)
    assert not draft.results.exists()


def test_submitting_stamps_who_and_when(submitted, alice):
    assert submitted.state == FilingState.SUBMITTED
    assert submitted.submitted_by == alice
    assert submitted.submitted_at is not None
    assert not submitted.submitted_late


def test_a_submission_after_the_deadline_is_flagged_late(alice, digital_project, past_period):
    report = save(alice, digital_project, quarter=3)
    acknowledged_submit(user=alice, filing=report)
    assert ProgressReport.objects.get().submitted_late


def test_an_extension_moves_the_deadline_for_that_department(
    alice, coordinator, digital_project, past_period
):
    services.extension_grant(
        user=coordinator,
        period=past_period,
        department=digital_project.lead_department,
        due_on=timezone.localdate() + timedelta(days=7),
        reason="시스템 장애",
    )
    report = save(alice, digital_project, quarter=3)
    acknowledged_submit(user=alice, filing=report)
    assert not ProgressReport.objects.get().submitted_late


def test_only_the_coordinator_grants_extensions(alice, digital_project, past_period):
    with pytest.raises(PermissionDenied):
        services.extension_grant(
            user=alice,
            period=past_period,
            department=digital_project.lead_department,
            due_on=timezone.localdate() + timedelta(days=7),
            reason="부탁",
        )
    assert not PeriodExtension.objects.exists()


def test_an_extension_must_be_later_than_the_deadline_and_give_a_reason(
    coordinator, digital_project, past_period
):
    with pytest.raises(ValidationError):
        services.extension_grant(
            user=coordinator,
            period=past_period,
            department=digital_project.lead_department,
            due_on=past_period.due_on,
            reason="사유",
        )
    with pytest.raises(ValidationError, match="연장 사유"):
        services.extension_grant(
            user=coordinator,
            period=past_period,
            department=digital_project.lead_department,
            due_on=timezone.localdate() + timedelta(days=3),
            reason=" ",
        )


@pytest.mark.parametrize(
    ("days_from_today", "refusal"),
    [(-1, "오늘"), (400, "1년 안")],  # a day already gone; a typo such as 9999-12-31
)
def test_an_extension_is_refused_a_day_already_past_or_a_year_past_the_deadline(
    coordinator, digital_project, past_period, days_from_today, refusal
):
    past_period.due_on = timezone.localdate() - timedelta(days=30)
    past_period.save()
    with pytest.raises(ValidationError, match=refusal):
        services.extension_grant(
            user=coordinator,
            period=past_period,
            department=digital_project.lead_department,
            due_on=timezone.localdate() + timedelta(days=days_from_today),
            reason="시스템 장애",
        )
    assert not PeriodExtension.objects.exists()


@pytest.mark.parametrize("status", [ProjectStatus.DELAYED, ProjectStatus.AT_RISK])
def test_a_delayed_report_needs_problems_and_countermeasures_to_be_submitted(
    alice, digital_project, open_period, status
):
    report = save(alice, digital_project, values=VALUES | {"status": status})
    with pytest.raises(ValidationError) as error:
        acknowledged_submit(user=alice, filing=report)
    assert set(error.value.message_dict) == {"problems", "countermeasures"}
    assert ProgressReport.objects.get().state == FilingState.DRAFT


def test_a_submitted_report_is_read_only_for_staff(alice, submitted, digital_project):
    with pytest.raises(ValidationError, match="검토가 끝날 때까지"):
        save(alice, digital_project, version=submitted.version)


def test_the_coordinator_approves_and_the_submitter_is_mailed(
    coordinator, submitted, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_approve(user=coordinator, filing=submitted, comment="수고하셨습니다")
    report = ProgressReport.objects.get()
    assert report.state == FilingState.APPROVED
    assert (report.reviewed_by, report.review_comment) == (coordinator, "수고하셨습니다")
    assert report.comments.get().kind == CommentKind.APPROVAL
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "승인" in mail.outbox[0].subject


def test_only_the_coordinator_approves_or_returns(alice, committee, submitted):
    for user in (alice, committee):
        with pytest.raises(PermissionDenied):
            services.filing_approve(user=user, filing=submitted)
        with pytest.raises(PermissionDenied):
            services.filing_return(user=user, filing=submitted, reason="다시")
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_a_return_needs_a_reason(coordinator, submitted):
    with pytest.raises(ValidationError):
        services.filing_return(user=coordinator, filing=submitted, reason="  ")
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_a_returned_report_is_fixed_and_resubmitted_and_every_return_stays_visible(
    alice, coordinator, submitted, digital_project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_return(user=coordinator, filing=submitted, reason="증빙 부족")
    assert "보완요청" in mail.outbox[0].subject
    report = save(alice, digital_project, values=VALUES | {"achievements": "증빙 보완"},
                  version=ProgressReport.objects.get().version)  # fmt: skip
    acknowledged_submit(user=alice, filing=report)
    services.filing_return(user=coordinator, filing=ProgressReport.objects.get(), reason="한 번 더")
    returns = report.comments.filter(kind=CommentKind.RETURN).order_by("created_at", "pk")
    assert [c.body for c in returns] == ["증빙 부족", "한 번 더"]
    assert all(c.author == coordinator for c in returns)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (FilingState.DRAFT, "approve"),
        (FilingState.DRAFT, "return"),
        (FilingState.APPROVED, "approve"),
        (FilingState.APPROVED, "return"),
        (FilingState.APPROVED, "submit"),
        (FilingState.RETURNED, "approve"),
    ],
)
def test_forbidden_transitions_are_refused(alice, coordinator, draft, state, action):
    ProgressReport.objects.filter(pk=draft.pk).update(
        state=state, reviewed_by=coordinator, reviewed_at=timezone.now(),
        submitted_by=alice, submitted_at=timezone.now(), review_comment="x",
    )  # fmt: skip
    report = ProgressReport.objects.get()
    run = {
        "approve": lambda: services.filing_approve(user=coordinator, filing=report),
        "return": lambda: services.filing_return(user=coordinator, filing=report, reason="r"),
        "submit": lambda: acknowledged_submit(user=alice, filing=report),
    }[action]
    with pytest.raises(ValidationError):
        run()
    assert ProgressReport.objects.get().state == state


def test_an_approved_report_is_locked_until_the_coordinator_reopens_it(
    alice, coordinator, submitted, digital_project
):
    services.filing_approve(user=coordinator, filing=submitted)
    with pytest.raises(ValidationError, match="재개"):
        save(alice, digital_project, version=ProgressReport.objects.get().version)
    with pytest.raises(PermissionDenied):
        services.filing_reopen(user=alice, filing=ProgressReport.objects.get(), reason="고칠 것")
    with pytest.raises(ValidationError):
        services.filing_reopen(user=coordinator, filing=ProgressReport.objects.get(), reason="")
    services.filing_reopen(user=coordinator, filing=ProgressReport.objects.get(), reason="오타")
    report = ProgressReport.objects.get()
    assert report.state == FilingState.DRAFT
    assert report.reopened_by == coordinator
    assert report.comments.filter(kind=CommentKind.REOPEN, body="오타").exists()
    save(alice, digital_project, values=VALUES | {"progress": 50}, version=report.version)
    assert ProgressReport.objects.get().progress == 50


def test_a_reopened_report_says_why_at_its_top_until_it_is_submitted_again(
    client, alice, coordinator, submitted, digital_project
):
    """The 재개 사유 was only in the thread at the bottom; the top said 작성중."""
    services.filing_approve(user=coordinator, filing=submitted)
    services.filing_reopen(
        user=coordinator, filing=ProgressReport.objects.get(), reason="집행액 단위 오류"
    )
    client.force_login(alice)
    page = client.get("/projects/2-2-1/reports/2026/4/").content.decode()
    head = page.split('id="history-title"')[0]  # above the thread and history
    assert "재개 사유" in head
    assert head.index("집행액 단위 오류") < head.index('class="form card filing-form"')
    acknowledged_submit(user=alice, filing=ProgressReport.objects.get())
    page = client.get("/projects/2-2-1/reports/2026/4/").content.decode()
    assert "다시 승인될 때까지 이 문서의 수치는" not in page  # submitted: the notice has done


def test_a_closed_period_is_locked_except_by_extension_or_reopen(
    alice, coordinator, draft, digital_project, open_period
):
    services.period_set_closed(user=coordinator, period=open_period, closed=True)
    with pytest.raises(ValidationError, match="마감"):
        save(alice, digital_project, version=1)
    services.filing_reopen(user=coordinator, filing=draft, reason="늦은 보완 허용")
    save(alice, digital_project, values=VALUES | {"progress": 41}, version=2)
    assert ProgressReport.objects.get().progress == 41


def test_no_new_report_in_a_closed_period_without_an_extension(
    alice, coordinator, digital_project, open_period
):
    services.period_set_closed(user=coordinator, period=open_period, closed=True)
    with pytest.raises(ValidationError, match="마감"):
        save(alice, digital_project)
    services.extension_grant(
        user=coordinator, period=open_period, department=digital_project.lead_department,
        due_on=open_period.due_on + timedelta(days=5), reason="담당자 교체",
    )  # fmt: skip
    assert save(alice, digital_project).pk


def test_no_report_before_its_period_opens(alice, digital_project):
    from projects.models import ReportingPeriod

    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today + timedelta(days=3), due_on=today + timedelta(days=40)
    )
    with pytest.raises(ValidationError, match="시작됩니다"):
        save(alice, digital_project)


def test_every_step_leaves_a_history_row_naming_its_user(
    alice, coordinator, digital_project, open_period
):
    report = save(alice, digital_project)
    report = save(alice, digital_project, values=VALUES | {"progress": 44}, version=1)
    acknowledged_submit(user=alice, filing=report)
    services.filing_return(user=coordinator, filing=ProgressReport.objects.get(), reason="보완")
    report = ProgressReport.objects.get()
    acknowledged_submit(user=alice, filing=report)
    services.filing_approve(user=coordinator, filing=ProgressReport.objects.get())
    services.filing_reopen(user=coordinator, filing=ProgressReport.objects.get(), reason="재개")
    rows = list(report.history.order_by("history_date", "history_id"))
    assert [(r.state, r.history_user) for r in rows] == [
        (FilingState.DRAFT, alice),
        (FilingState.DRAFT, alice),
        (FilingState.SUBMITTED, alice),
        (FilingState.RETURNED, coordinator),
        (FilingState.SUBMITTED, alice),
        (FilingState.APPROVED, coordinator),
        (FilingState.DRAFT, coordinator),
    ]


def test_implementation_plans_follow_the_same_workflow(alice, coordinator, digital_project):
    plan = services.plan_save(
        user=alice, project=digital_project, year=2026, values=COMPLETE_PLAN, version=None
    )
    acknowledged_submit(user=alice, filing=plan)
    services.filing_approve(user=coordinator, filing=ImplementationPlan.objects.get())
    plan = ImplementationPlan.objects.get()
    assert plan.state == FilingState.APPROVED
    assert plan.submitted_late == (timezone.localdate() > services.plan_due_on(2026))
    with pytest.raises(ValidationError):
        services.plan_save(
            user=alice, project=digital_project, year=2026, values={"goal": "바꿈"}, version=3
        )


def test_no_plan_for_a_year_the_project_does_not_run(alice, digital_project):
    with pytest.raises(ValidationError):
        services.plan_save(user=alice, project=digital_project, year=2027, values={}, version=None)


def test_workflow_fields_cannot_be_written_as_values(alice, digital_project, open_period):
    with pytest.raises(ValueError):
        save(alice, digital_project, values=VALUES | {"state": FilingState.APPROVED})
    assert not ProgressReport.objects.exists()
