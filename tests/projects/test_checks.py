"""The checks before submission (selectors.checks): each error and each warning, once where it
fires and once where it does not, with the figures drawn from the database as a submission
draws them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from projects import selectors, services
from projects.choices import FilingState, ProjectStatus
from projects.models import ImplementationPlan, ProgressReport, ReportingPeriod
from tests.factories import COMPLETE_PLAN, acknowledged_submit

NARRATIVE = {"achievements": "착수", "problems": "없음", "countermeasures": "해당 없음"}


@pytest.fixture(autouse=True)
def korean():
    """Messages are rendered when read, in the active language: Korean here."""
    with translation.override("ko"):
        yield


def codes(checks, level=None) -> set[str]:
    return {c.code for c in checks if level is None or c.level == level}


# --- Plans ------------------------------------------------------------------------------------


def plan_with(project, **values) -> ImplementationPlan:
    return ImplementationPlan(project=project, year=2026, **(COMPLETE_PLAN | values))


def test_a_complete_plan_passes_every_check(digital_project):
    assert selectors.plan_checks(plan_with(digital_project)) == []


def test_an_empty_plan_is_blocked_naming_goal_quarters_and_budget(digital_project):
    empty = ImplementationPlan(project=digital_project, year=2026)
    checks = selectors.plan_checks(empty)
    assert codes(checks, "error") == {
        "plan_goal_missing",
        "plan_quarters_missing",
        "plan_budget_missing",
    }
    messages = " ".join(c.message for c in checks)
    assert "추진 목표를 적어 주세요" in messages
    assert "1분기, 2분기, 3분기, 4분기" in messages
    assert "예산 없음" in messages


def test_a_missing_goal_is_an_error_on_the_goal(digital_project):
    (check,) = selectors.plan_checks(plan_with(digital_project, goal="  "))
    assert (check.level, check.code, check.field) == ("error", "plan_goal_missing", "goal")


def test_one_empty_quarter_is_named(digital_project):
    (check,) = selectors.plan_checks(plan_with(digital_project, q3_plan=""))
    assert check.code == "plan_quarters_missing"
    assert "3분기" in check.message and "1분기" not in check.message
    assert check.field == "q3_plan"


def test_no_budget_needs_the_box_and_the_box_needs_no_budget(digital_project):
    zero = plan_with(digital_project, budget_city=0)
    assert codes(selectors.plan_checks(zero)) == {"plan_budget_missing"}
    zero.no_budget = True
    assert selectors.plan_checks(zero) == []
    both = plan_with(digital_project, no_budget=True)
    assert codes(selectors.plan_checks(both)) == {"plan_budget_contradiction"}


def test_a_plan_above_the_projects_total_cost_is_a_warning(digital_project):
    cost = digital_project.cost_total
    assert selectors.plan_checks(plan_with(digital_project, budget_city=cost)) == []
    (check,) = selectors.plan_checks(plan_with(digital_project, budget_city=cost + 1))
    assert (check.level, check.code) == ("warning", "plan_over_project_budget")
    assert f"{cost / 1_000_000:,.1f}백만원" in check.message


# --- Reports ----------------------------------------------------------------------------------


def report_with(project, *, quarter=4, **values) -> ProgressReport:
    fields = {"progress": Decimal(50), "status": ProjectStatus.ON_TRACK, **NARRATIVE}
    return ProgressReport(project=project, year=2026, quarter=quarter, **(fields | values))


def checked(report, *, results=None, **facts):
    facts.setdefault("evidence", 1)
    return selectors.report_checks(
        report, results=results or {}, facts=selectors.ReportFacts(**facts)
    )


def test_a_complete_report_passes_every_check(digital_project):
    assert checked(report_with(digital_project)) == []


@pytest.mark.parametrize("status", [ProjectStatus.DELAYED, ProjectStatus.AT_RISK])
def test_a_delayed_report_needs_problems_and_countermeasures(digital_project, status):
    report = report_with(digital_project, status=status, problems="", countermeasures="")
    checks = checked(report)
    assert {(c.code, c.field) for c in checks} == {
        ("report_explanation_missing", "problems"),
        ("report_explanation_missing", "countermeasures"),
    }  # errors, not also narrative warnings
    assert all(c.is_error for c in checks)
    assert "대응방안을 적어야 제출할 수 있습니다" in " ".join(c.message for c in checks)
    assert checked(report_with(digital_project, status=status)) == []


def test_an_empty_narrative_is_one_warning_naming_the_fields(digital_project):
    report = report_with(digital_project, problems="", countermeasures=" ")
    (check,) = checked(report)
    assert (check.level, check.code) == ("warning", "report_narrative_missing")
    assert "문제점, 대응방안" in check.message
    assert "추진실적" not in check.message


def test_no_evidence_is_a_warning(digital_project):
    (check,) = checked(report_with(digital_project), evidence=0)
    assert (check.level, check.code, check.message) == (
        "warning",
        "report_evidence_missing",
        "증빙자료가 없습니다.",
    )
    assert (
        selectors.report_checks(
            report_with(digital_project),
            results={},
            facts=selectors.ReportFacts(),
            with_evidence=False,
        )
        == []
    )  # an import row carries no files


def test_progress_below_the_last_approved_quarter_is_a_warning(digital_project):
    previous = ProgressReport(year=2026, quarter=2, progress=Decimal("68.0"))
    (check,) = checked(report_with(digital_project, progress=Decimal(50)), previous=previous)
    assert check.code == "report_progress_fell"
    assert check.message == (
        "누적 진척률이 마지막 승인 분기(2026년 2분기)의 68.0%에서 50.0%로 낮아졌습니다."
    )
    assert checked(report_with(digital_project, progress=Decimal(68)), previous=previous) == []


def test_spending_above_the_approved_plans_budget_is_a_warning_per_source(digital_project):
    plan = plan_with(digital_project, budget_city=10_000_000, budget_national=0)
    report = report_with(digital_project, spent_city=12_000_000, spent_national=1)
    checks = checked(report, plan=plan)
    assert {c.key for c in checks} == {
        "report_spending_over_budget:city",
        "report_spending_over_budget:national",
    }
    city = next(c for c in checks if c.key.endswith("city"))
    assert "시비 집행액 12.0백만원" in city.message and "집행률 120.0%" in city.message
    within = report_with(digital_project, spent_city=10_000_000)
    assert checked(within, plan=plan) == []
    assert checked(report, plan=None) == []  # no approved plan: nothing planned to compare


@pytest.mark.parametrize(
    ("quarter", "value", "fires"),
    [
        (4, "300", False),  # the year's target by Q4
        (4, "120", True),  # 40 %
        (4, "211", False),  # 70.3 %: inside the 30 % margin
        (4, "400", True),  # 133 %: off the other way (a unit typed wrong?)
        (2, "150", False),  # half the year's target at the end of Q2
        (1, "300", True),  # the whole year's target after Q1: 400 %
    ],
)
def test_an_indicator_off_its_target_by_more_than_the_margin(
    digital_project, quarter, value, fires
):
    indicator = digital_project.indicators.get(name="개방 데이터셋 수")
    indicator.baseline = None
    report = report_with(digital_project, quarter=quarter)
    checks = checked(report, results={indicator.pk: Decimal(value)}, targets={indicator.pk: 300})
    assert bool(checks) == fires
    if fires:
        (check,) = checks
        assert (check.code, check.field) == (
            "report_indicator_off_target",
            f"indicator_{indicator.pk}",
        )
        assert "개방 데이터셋 수" in check.message and "±30%" in check.message


def test_the_margin_is_a_setting(digital_project, settings):
    indicator = digital_project.indicators.get(name="개방 데이터셋 수")
    report = report_with(digital_project)
    results, targets = {indicator.pk: Decimal(200)}, {indicator.pk: Decimal(300)}
    assert checked(report, results=results, targets=targets)  # 66.7 %, off by more than 30
    settings.CHECK_INDICATOR_MARGIN = 40
    assert checked(report, results=results, targets=targets) == []


def test_lower_is_better_indicators_are_rated_the_other_way(digital_project):
    indicator = digital_project.indicators.first()
    indicator.higher_is_better = False
    indicator.baseline = None
    report = report_with(digital_project)
    targets = {indicator.pk: Decimal(100)}
    assert checked(report, results={indicator.pk: Decimal(90)}, targets=targets) == []
    assert checked(report, results={indicator.pk: Decimal(200)}, targets=targets)  # 50 %


# --- Facts from the database, as a submission reads them ----------------------------------


@pytest.fixture
def q3_approved(alice, coordinator, digital_project):
    """2026 Q3 approved at 68 %, and the 2026 plan approved with 10 백만원 of city money."""
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=3, opens_on=today - timedelta(days=90), due_on=today + timedelta(days=9)
    )
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=3,
        values={"progress": Decimal(68), **NARRATIVE}, results={}, version=None,
    )  # fmt: skip
    services.filing_approve(user=coordinator, filing=acknowledged_submit(user=alice, filing=report))
    plan = services.plan_save(
        user=alice, project=digital_project, year=2026, values=COMPLETE_PLAN, version=None
    )
    services.filing_approve(user=coordinator, filing=acknowledged_submit(user=alice, filing=plan))


def test_submission_checks_read_the_last_approved_quarter_the_plan_targets_and_evidence(
    alice, digital_project, open_period, q3_approved, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    indicator = digital_project.indicators.get(name="개방 데이터셋 수")
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": Decimal(50), "spent_city": 12_000_000, **NARRATIVE},
        results={indicator.pk: Decimal(120)}, version=None,
    )  # fmt: skip
    checks = selectors.submission_checks(report)
    assert [c.key for c in checks] == [
        "report_evidence_missing",
        "report_progress_fell",
        "report_spending_over_budget:city",
        f"report_indicator_off_target:{indicator.pk}",
    ]
    upload = SimpleUploadedFile("근거.pdf", b"%PDF-1.4 e", content_type="application/pdf")
    services.attachment_add(user=alice, filing=report, upload=upload)
    assert "report_evidence_missing" not in codes(selectors.submission_checks(report))


def test_submit_refuses_errors_and_unticked_warnings_and_keeps_the_ticked_ones(
    alice, digital_project, open_period
):
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": Decimal(10), "status": ProjectStatus.DELAYED}, results={}, version=None,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.filing_submit(user=alice, filing=report, acknowledged=["report_evidence_missing"])
    assert set(refused.value.message_dict) == {"problems", "countermeasures"}
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"status": ProjectStatus.DELAYED, "problems": "예산", "countermeasures": "추경"},
        results={}, version=report.version,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.filing_submit(user=alice, filing=report, acknowledged=["report_evidence_missing"])
    assert "추진실적" in " ".join(refused.value.messages)  # the unticked warning, named
    assert ProgressReport.objects.get().state == FilingState.DRAFT
    ticked = ["report_evidence_missing", "report_narrative_missing"]
    services.filing_submit(user=alice, filing=report, acknowledged=ticked)
    stored = ProgressReport.objects.get()
    assert stored.state == FilingState.SUBMITTED
    assert [c.code for c in selectors.acknowledged_warnings(stored)] == [
        "report_narrative_missing",
        "report_evidence_missing",
    ]
