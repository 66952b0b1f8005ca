"""The demo's five-year life of the plan: a project ended and one added from a committee
proposal, the 2023–2025 year-end evaluations, and plan changes (변경계획) through review."""

import random
from datetime import date, timedelta
from decimal import Decimal

from strategies.models import Task

from ..choices import (
    STATUSES_NEEDING_EXPLANATION,
    FilingState,
    Grade,
    Origin,
    PlanChangeKind,
    ProjectEnd,
    ProjectStatus,
)
from ..models import (
    Evaluation,
    ImplementationPlan,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    PlanChange,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
)
from .records import LAST_YEAR, at, create, yearly_budget

EVALUATED_YEARS = (2023, 2024, 2025)  # years whose evaluation is done: submitted and graded
EVALUATION_SEED = 20240220
ACHIEVEMENTS = [
    "연간 계획한 구축·실증 과제를 모두 마쳤고, 4분기에 결과 보고회를 열었습니다.",
    "계획한 과제 대부분을 마쳤으나 일부 장비 도입이 다음 해로 이월되었습니다.",
    "관계기관 협약과 기본설계를 마쳤고, 본사업 착수를 준비하고 있습니다.",
]
NARRATIVES = [
    "연초 계획대로 추진되었으며 다음 해에는 실증 범위를 넓힐 예정입니다.",
    "예산 집행이 계획보다 늦었으나 성과지표는 대체로 목표에 가까웠습니다.",
    "외부 여건으로 일정이 밀렸으나 만회 계획을 세워 추진 중입니다.",
]
GRADE_COMMENTS = {
    Grade.EXCELLENT: "계획 대비 실적과 성과지표 달성이 모두 우수합니다.",
    Grade.FAIR: "대체로 계획대로 추진되었으나 성과지표 일부가 목표에 못 미쳤습니다.",
    Grade.POOR: "추진 지연이 커서 만회 대책과 분기별 점검이 필요합니다.",
}


def seed_evaluations(users) -> None:
    """The year-end evaluations of 2023–2025 for every project running in the year: each
    self-evaluation submitted by its department in January, then graded in February by the
    committee (or, every third, recorded by the coordinator). A project whose approved Q4
    report was 지연/부진 is graded 미흡, and so is the one with the lowest draw of the
    year (every year has one); the rest 우수 or 보통, drawn from their own seed.
    Departments propose their grade or one better. 2026 is not evaluated yet."""
    rng = random.Random(EVALUATION_SEED)
    late = set(
        ProgressReport.objects.filter(
            state=FilingState.APPROVED, quarter=4, year__in=EVALUATED_YEARS,
            status__in=STATUSES_NEEDING_EXPLANATION,
        ).values_list("project_id", "year")
    )  # fmt: skip
    projects = list(Project.objects.select_related("lead_department").order_by("code"))
    for year in EVALUATED_YEARS:
        draws = [rng.random() for _project in projects]  # one each: a change moves no other
        running = [n for n, p in enumerate(projects) if p.start_year <= year <= p.end_year]
        weakest = min(running, key=lambda n: draws[n])  # every year has one 미흡 at least
        for n in running:
            project, draw = projects[n], draws[n]
            staff = users.get(project.lead_department.code)
            if staff is None:
                continue
            if (project.pk, year) in late or n == weakest:
                grade = Grade.POOR
            else:
                grade = Grade.EXCELLENT if draw >= 0.6 else Grade.FAIR
            proposed = Grade.FAIR if grade == Grade.POOR else grade
            if grade == Grade.FAIR and draw >= 0.45:
                proposed = Grade.EXCELLENT  # a department that thought better of its year
            evaluation, created = create(
                Evaluation,
                {"project": project, "year": year},
                {
                    "achievement": ACHIEVEMENTS[n % len(ACHIEVEMENTS)],
                    "indicator_comment": "성과지표별 목표 대비 실적은 4분기 실적 보고와 같습니다.",
                    "budget_comment": "예산은 시행계획대로 집행했으며 잔액은 반납 예정입니다.",
                    "narrative": NARRATIVES[(n + year) % len(NARRATIVES)],
                    "proposed_grade": proposed,
                    "edited_by": staff,
                    "submitted_by": staff,
                    "submitted_at": at(date(year + 1, 1, 20)),
                },
                by=staff,
            )
            if not created:
                continue
            grader = users["coordinator"] if n % 3 == 0 else users["committee"]
            evaluation.grade, evaluation.grade_comment = grade, GRADE_COMMENTS[grade]
            evaluation.graded_by, evaluation.graded_at = grader, at(date(year + 1, 2, 15))
            evaluation.version += 1
            evaluation._history_user = grader
            evaluation.save()


# The demo's plan changes (변경계획) of 2026: (type, reason, what changes, approved).
PLAN_CHANGES = [
    (PlanChangeKind.SUPPLEMENTARY, "제1회 추경으로 시비 3억 원을 추가 확보해 실증 범위를 넓힙니다.",
     {"budget_city": 300_000_000, "q3_plan": "추경 반영 실증 범위 확대 및 중간 점검"}, True),
    (PlanChangeKind.NATIONAL_GRANT, "국비 공모에 선정되어 국비 5억 원이 늘었습니다.",
     {"budget_national": 500_000_000}, True),
    (PlanChangeKind.PROJECT_CHANGE, "사업자 선정이 늦어져 분기별 계획을 조정합니다.",
     {"q2_plan": "사업자 재공고 및 선정", "q3_plan": "계약 및 착수"}, False),
]  # fmt: skip


def seed_plan_changes(users) -> None:
    """Three changes of approved 2026 plans, through the services (the head signs each off):
    a 추경 raising 시비 and a 국비 공모 결과 raising 국비, both approved (당초 → 변경 on their
    pages, the dashboard and the exports), and a 사업 변경 waiting in the review queue. Once:
    nothing when any plan change exists."""
    from ..services import filing_sign_off, plan_change_approve, plan_change_save
    from ..services.plan_changes import current_values

    if PlanChange.objects.exists():
        return
    plans = (
        ImplementationPlan.objects.filter(
            year=LAST_YEAR, state=FilingState.APPROVED, project__lead_department__isnull=False
        )
        .select_related("project__lead_department")
        .order_by("project__code")
    )
    for plan, (kind, reason, moves, approve) in zip(plans, PLAN_CHANGES, strict=False):
        code = plan.project.lead_department.code
        values = {"kind": kind, "reason": reason, **current_values(plan)}
        for name, value in moves.items():
            values[name] = values[name] + value if name.startswith("budget_") else value
        change = plan_change_save(user=users[code], plan=plan, change=None, values=values,
                                  targets={}, version=None, submit=True)  # fmt: skip
        if change.state == FilingState.SIGNOFF:
            filing_sign_off(user=users[f"head-{code}"], filing=change, version=change.version)
        if approve:
            plan_change_approve(user=users["coordinator"], change=change, version=change.version)


ENDED_PROJECT = "1-2-2"  # suspended in 2025: counted up to 2025 Q2, not after
ADDED_PROJECT = "2-3-4"  # added in 2025 from the committee's accepted proposal
ADDED_FROM = "드론 기반 산단 환경감시 체계"


def seed_project_changes(users) -> None:
    """The plan's project list changing as it runs: one project suspended (중단) on 2025-06-30,
    its filings for later periods gone (it owes none: figures.running_in), and one added
    from 2025 from an accepted committee proposal, with its plans and reports since."""
    coordinator = users["coordinator"]
    ended = Project.objects.filter(code=ENDED_PROJECT).first()
    if ended is not None:
        if not ended.is_ended:
            ended.end_kind = ProjectEnd.SUSPENDED
            ended.ended_on = date(2025, 6, 30)
            ended.end_reason = "국비 공모에 선정되지 않아 사업비를 확보하지 못해 중단합니다."
            ended._history_user = coordinator
            ended.save()
        for model, owed in (
            (ProgressReport, lambda r: ended.counts_in(r.year, r.quarter)),
            (ImplementationPlan, lambda p: ended.counts_in(p.year)),
        ):
            gone = [f.pk for f in model.objects.filter(project=ended) if not owed(f)]
            model.objects.filter(pk__in=gone).delete()
            # Never made, as far as the demo's history goes.
            model.history.filter(id__in=gone).delete()
            if model is ProgressReport:
                IndicatorResult.history.filter(report_id__in=gone).delete()
    proposal = Proposal.objects.filter(title=ADDED_FROM).select_related("department").first()
    if proposal is None or Project.objects.filter(code=ADDED_PROJECT).exists():
        return
    task = Task.objects.filter(code="2-3").first()
    if task is None:
        return
    added = Project(
        task=task, code=ADDED_PROJECT, name="드론 기반 산업단지 환경감시 체계 구축",
        summary="위원회 제안을 반영해 드론으로 산업단지 대기·수질 오염원을 상시 감시합니다.",
        lead_department=proposal.department, start_year=2025, end_year=2027,
        origin=Origin.PROPOSAL, cost_national=300_000_000, cost_city=600_000_000,
    )  # fmt: skip
    added._history_user = coordinator
    added.save()
    added.phases.set(task.direction.plan.phases.filter(order__in=[2, 3]))
    proposal.project = added
    proposal._history_user = coordinator
    proposal.save(update_fields=["project"])
    indicator = Indicator.objects.create(
        project=added, name="드론 감시 비행 횟수", unit="회", baseline=Decimal(0),
        baseline_year=2024, source="기후환경과 운영 기록",
    )  # fmt: skip
    for year, value in ((2025, 40), (2026, 80), (2027, 120)):
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
    staff = users.get(proposal.department.code, coordinator)
    head = users.get(f"head-{proposal.department.code}")  # sign-off is on (_seed_signoff)
    periods = {(p.year, p.quarter): p for p in ReportingPeriod.objects.filter(year__gte=2025)}
    for year in (2025, 2026):
        create(
            ImplementationPlan, {"project": added, "year": year},
            {"goal": f"{year}년 드론 환경감시 시범 운영", "q1_plan": "운영 계획 수립",
             "q2_plan": "장비 도입", "q3_plan": "시범 비행", "q4_plan": "성과 점검",
             **yearly_budget(added, year), "state": FilingState.APPROVED,
             "submitted_by": staff, "submitted_at": at(date(year, 3, 10)),
             "signed_off_by": head, "signed_off_at": at(date(year, 3, 10)),
             "reviewed_by": coordinator, "reviewed_at": at(date(year, 3, 20))},
            by=staff,
        )  # fmt: skip
    quarters = [(2025, q) for q in range(1, 5)] + [(2026, q) for q in range(1, 4)]
    for done, (year, quarter) in enumerate(quarters, start=1):
        period = periods.get((year, quarter))
        if period is None:
            continue
        progress = Decimal(done * 12)
        report, made = create(
            ProgressReport, {"project": added, "year": year, "quarter": quarter},
            {"progress": progress, "status": ProjectStatus.ON_TRACK,
             "achievements": f"{year}년 {quarter}분기 드론 감시 비행, 진척률 {progress}%",
             "next_steps": "다음 분기 계획에 따라 추진",
             "spent_city": 50_000_000 * quarter,
             "state": FilingState.APPROVED,
             "submitted_by": staff, "submitted_at": at(period.due_on - timedelta(days=3)),
             "signed_off_by": head, "signed_off_at": at(period.due_on - timedelta(days=3)),
             "reviewed_by": coordinator, "reviewed_at": at(period.due_on + timedelta(days=3))},
            by=staff,
        )  # fmt: skip
        if made:
            value = Decimal(10 * quarter * (1 if year == 2025 else 2))
            IndicatorResult.objects.create(report=report, indicator=indicator, value=value)
