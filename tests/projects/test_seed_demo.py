"""`seed_demo` builds the demo history once, the same on every machine, and never in production."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from projects import permissions, selectors
from projects.choices import FilingState, ProjectStatus
from projects.models import (
    Comment,
    ImplementationPlan,
    IndicatorResult,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
    User,
)


def snapshot():
    return {
        "users": sorted(User.objects.values_list("username", flat=True)),
        "plans": sorted(ImplementationPlan.objects.values_list("project__code", "year", "state")),
        "reports": sorted(
            ProgressReport.objects.values_list(
                "project__code", "year", "quarter", "state", "status", "progress", "spent_city"
            )
        ),
        "results": IndicatorResult.objects.count(),
        "comments": Comment.objects.count(),
        "proposals": Proposal.objects.count(),
        "periods": ReportingPeriod.objects.count(),
    }


@pytest.fixture
def seeded(module_demo, db):
    """The demo, seeded once for this module's tests (tests/conftest.py), as a snapshot."""
    return snapshot()


def test_it_refuses_to_run_with_debug_off(plan):
    before = snapshot()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG가 꺼져"):
        call_command("seed_demo")
    assert snapshot() == before


def test_running_it_twice_adds_and_changes_nothing(seeded):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    assert snapshot() == seeded


def test_it_makes_the_demo_sign_ins_with_their_roles(seeded):
    from projects.models import Department

    names = ["admin", "coordinator", "committee"] + [
        f"staff-{code}" for code in Department.objects.values_list("code", flat=True)
    ]
    for name in names:
        assert User.objects.get(username=name).check_password("demo1234!")
    assert User.objects.get(username="admin").is_superuser
    assert permissions.is_coordinator(User.objects.get(username="coordinator"))
    assert permissions.is_committee(User.objects.get(username="committee"))
    staff = User.objects.get(username="staff-digital")
    assert permissions.is_department_staff(staff)
    assert staff.department.code == "digital"


def test_each_department_has_a_head_who_reads_and_files_nothing(seeded, digital_project):
    from projects.models import Department

    for department in Department.objects.all():
        head = User.objects.get(username=f"head-{department.code}")
        assert head.check_password("demo1234!")
        assert head.department == department and head.email
        assert permissions.is_department_head(head)
        assert not permissions.is_department_staff(head)
    head = User.objects.get(username="head-digital")
    assert permissions.can_read(head) and permissions.may_see_my_work(head)
    assert not permissions.may_file(head, digital_project)
    assert not permissions.may_review(head) and not permissions.may_chase(head)


def test_sign_off_is_on_for_every_department_and_what_was_sent_carries_the_heads_stamp(seeded):
    from projects.models import Department

    assert not Department.objects.filter(signoff_required=False).exists()
    sent = ProgressReport.objects.filter(state__in=[FilingState.SUBMITTED, FilingState.APPROVED])
    assert not sent.filter(signed_off_by=None).exists()
    for report in sent.select_related("signed_off_by", "project__lead_department")[:50]:
        assert report.signed_off_by.username == f"head-{report.project.lead_department.code}"
    waiting = ProgressReport.objects.filter(state=FilingState.SIGNOFF)
    assert waiting.exists() and not waiting.exclude(signed_off_by=None).exists()


def test_periods_run_from_2023_q1_to_an_open_2026_q4_due_in_january(seeded):
    assert seeded["periods"] == 16
    q4 = ReportingPeriod.objects.get(year=2026, quarter=4)
    assert q4.due_on == date(2027, 1, 15)
    assert not q4.closed
    assert ReportingPeriod.objects.get(year=2025, quarter=4).closed


def test_plans_cover_each_running_project_from_2023_to_2026(seeded):
    for year in range(2023, 2027):
        running = Project.objects.filter(selectors.running_in(year)).count()
        assert ImplementationPlan.objects.filter(year=year).count() == running


def test_reports_run_to_2026_q3_in_realistic_mixed_states(seeded):
    reports = ProgressReport.objects.all()
    assert not reports.filter(year=2026, quarter=4).exists()
    assert reports.filter(year=2026, quarter=3).exists()
    assert not reports.filter(year__lt=2023).exists()
    states = Counter(reports.values_list("state", flat=True))
    assert states[FilingState.APPROVED] > 0.8 * sum(states.values())
    assert states[FilingState.RETURNED] and states[FilingState.SUBMITTED]
    assert states[FilingState.SIGNOFF]  # some wait for their department head
    statuses = Counter(reports.values_list("status", flat=True))
    assert statuses[ProjectStatus.DELAYED] and statuses[ProjectStatus.AT_RISK]
    assert reports.filter(submitted_late=True).exists()
    running_q3 = Project.objects.filter(start_year__lte=2026, end_year__gte=2026).count()
    assert reports.filter(year=2026, quarter=3).count() < running_q3  # some not filed yet


def test_every_return_keeps_its_reason_in_the_thread(seeded):
    for report in ProgressReport.objects.filter(state=FilingState.RETURNED):
        assert report.comments.filter(kind="return", body=report.review_comment).exists()


def test_what_was_sent_in_carries_the_warnings_its_submitter_ticked(seeded, client):
    sent = ProgressReport.objects.filter(state__in=[FilingState.SUBMITTED, FilingState.SIGNOFF])
    assert sent and all(report.acknowledged_warnings for report in sent)  # none is spotless
    client.force_login(User.objects.get(username="coordinator"))
    assert "경고 " in client.get("/review/").content.decode()  # the queue's warnings column


def test_the_years_2023_to_2025_are_evaluated_and_graded_with_a_mix(seeded):
    from projects.choices import Grade
    from projects.models import Evaluation

    for year in (2023, 2024, 2025):
        running = Project.objects.filter(start_year__lte=year, end_year__gte=year)
        evaluations = Evaluation.objects.filter(year=year)
        assert evaluations.count() == running.count(), year
        assert not evaluations.filter(submitted_at=None).exists()
        assert not evaluations.filter(grade="").exists()
        grades = Counter(evaluations.values_list("grade", flat=True))
        assert set(grades) == set(Grade.values), (year, grades)
        assert grades[Grade.FAIR] > grades[Grade.POOR]
    assert not Evaluation.objects.filter(year=2026).exists()
    evaluation = Evaluation.objects.filter(year=2025).order_by("project__code").first()
    assert evaluation.history.count() == 2  # submitted by the department, then graded
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    assert Evaluation.objects.count() == sum(
        Project.objects.filter(start_year__lte=y, end_year__gte=y).count()
        for y in (2023, 2024, 2025)
    )


def test_two_approved_plan_changes_show_original_and_one_waits_for_review(seeded, client):
    from projects import selectors
    from projects.choices import PlanChangeKind
    from projects.models import PlanChange

    changes = PlanChange.objects.select_related("plan").order_by("pk")
    approved = [c for c in changes if c.state == FilingState.APPROVED]
    assert [c.kind for c in approved] == [
        PlanChangeKind.SUPPLEMENTARY,
        PlanChangeKind.NATIONAL_GRANT,
    ]
    raised, grant = approved
    assert raised.plan.budget_city == raised.original["budget_city"] + 300_000_000
    assert grant.plan.budget_national == grant.original["budget_national"] + 500_000_000
    assert all(c.signed_off_by_id and c.plan.state == FilingState.APPROVED for c in changes)
    assert [c.state for c in changes if c not in approved] == [FilingState.SUBMITTED]
    originals = selectors.original_plans([raised.plan, grant.plan])
    assert originals[raised.plan_id].budget_total < raised.plan.budget_total
    client.force_login(User.objects.get(username="coordinator"))
    assert "변경계획 검토 대기" in client.get("/review/").content.decode()


def test_one_project_ended_in_2025_and_owes_nothing_after(seeded):
    ended = Project.objects.get(ended_on__isnull=False)
    assert (ended.code, ended.get_end_kind_display(), ended.ended_on) == (
        "1-2-2", "중단", date(2025, 6, 30),
    )  # fmt: skip
    assert ended.end_reason
    reports = set(ended.reports.values_list("year", "quarter"))
    assert (2025, 2) in reports
    assert not {r for r in reports if r > (2025, 2)}
    assert set(ended.plans.values_list("year", flat=True)) == {2024, 2025}
    assert not ended.history.filter(history_type="-").exists()
    q3 = selectors.dashboard(year=2025, quarter=3)
    q2 = selectors.dashboard(year=2025, quarter=2)
    assert "1-2-2" not in {p.code for p in q3.not_filed}
    assert q2.running == q3.running + 1  # the same projects run both quarters but this one


def test_one_project_was_added_from_an_accepted_proposal_in_2025(seeded):
    added = Project.objects.get(origin="proposal")
    assert added.start_year == 2025
    assert added.proposal.title == "드론 기반 산단 환경감시 체계"
    assert added.proposal.response == "accept"
    assert not added.reports.filter(year__lt=2025).exists()
    assert set(added.plans.values_list("year", flat=True)) == {2025, 2026}
    assert added.reports.filter(year=2025).count() == 4
    assert added.reports.filter(year=2026, quarter=3).exists()
    assert "2-3-4" not in {p.code for p in selectors.dashboard(year=2024, quarter=4).not_filed}
    assert added.code in {
        p.code for p in selectors.running_projects(plan=added.task.direction.plan, year=2025,
                                                   quarter=1)
    }  # fmt: skip
