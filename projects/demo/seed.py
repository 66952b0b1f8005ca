"""Deterministic demo history for the shipped plan: users, periods, plans and reports.

Only for DEBUG machines (the seed_demo command refuses otherwise). Every record is created only
when missing, so running it again adds nothing and changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F

from ..choices import (
    STATUSES_NEEDING_EXPLANATION,
    CommentKind,
    FilingState,
    FundingSource,
    Origin,
    ProjectStatus,
    ProposalResponse,
    Role,
)
from ..models import (
    Comment,
    Department,
    ImplementationPlan,
    IndicatorResult,
    IndicatorTarget,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
    User,
)
from ..selectors.calendar import quarter_due, quarter_opens
from .plan_life import seed_evaluations, seed_plan_changes, seed_project_changes
from .records import FIRST_YEAR, LAST_YEAR, at, create, yearly_budget

DEMO_PASSWORD = "demo1234!"
LAST_REPORTED = (2026, 3)  # reports exist up to 2026 Q3; 2026 Q4 is open
LAST_CLOSED = (2026, 2)  # periods up to 2026 Q2 are closed

HEADS_SEED = 1
FAMILY = "김이박최정강조윤장임한오서신권황"
GIVEN = ["민준", "서연", "도윤", "하은", "시우", "지민", "예준", "수아", "주원", "지우", "현우"]

RETURN_REASONS = [
    "집행액이 시행계획 예산과 맞지 않습니다. 재원별 집행액을 다시 확인해 주세요.",
    "성과지표 실적의 근거자료(증빙)가 없습니다. 관련 공문이나 결과보고서를 첨부해 주세요.",
    "지연 사유가 구체적이지 않습니다. 원인과 만회 일정을 적어 주세요.",
]
PROBLEMS = [
    "국비 공모 선정 지연으로 착수가 늦어졌습니다.",
    "설비 납품이 지연되어 실증 일정이 밀렸습니다.",
    "참여 기업 모집이 목표에 못 미쳤습니다.",
]
COUNTERMEASURES = [
    "하반기 추경에 예산을 반영하고 착수 일정을 앞당기겠습니다.",
    "대체 공급처를 확보하고 실증 기간을 조정하겠습니다.",
    "모집 대상을 인근 산단으로 넓히고 설명회를 추가 개최하겠습니다.",
]


@dataclass
class DemoSummary:
    users: int
    periods: int
    plans: int
    reports: int


@transaction.atomic
def seed_demo() -> DemoSummary:
    rng = random.Random(20230215)  # the plan's adoption date: same data on every machine
    users = _seed_users(rng)
    periods = _seed_periods()
    # The plan's own projects (the one added from a proposal has its own story, and must not
    # shift the random draws of the others on a second run).
    projects = list(
        Project.objects.filter(origin=Origin.PLAN)
        .select_related("lead_department")
        .prefetch_related("indicators__targets")
        .order_by("code")
    )
    plans = _seed_plans(rng, projects, users)
    reports = _seed_reports(rng, projects, periods, users)
    _seed_proposals(users)
    _seed_revisions(users)
    _seed_signoff(users)
    _seed_acknowledged_warnings()
    seed_project_changes(users)
    seed_evaluations(users)
    seed_plan_changes(users)
    return DemoSummary(users=len(users), periods=len(periods), plans=plans, reports=reports)


def _user(
    username: str, password: str, *, role: Role | None, name: str, department=None, superuser=False
):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "last_name": name[0],
            "first_name": name[1:],
            "department": department,
            "is_staff": superuser,
            "is_superuser": superuser,
            "email": f"{username}@gwangyang.example",
        },
    )
    if created:
        user.password = password
        user.save(update_fields=["password"])
    if role is not None:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _seed_users(rng: random.Random) -> dict[str, User]:
    # Hashed once for every account: hashing is slow on purpose (0.2 s each), and 21 accounts
    # hashing it again made half of seed_demo's time.
    password = make_password(DEMO_PASSWORD)
    users = {
        "admin": _user("admin", password, role=None, name="관리자", superuser=True),
        "coordinator": _user("coordinator", password, role=Role.COORDINATOR, name="정총괄"),
        "committee": _user("committee", password, role=Role.COMMITTEE, name="한위원"),
    }
    heads = random.Random(HEADS_SEED)  # its own draws: the rest of the history stays the same
    for department in Department.objects.order_by("code"):
        name = rng.choice(FAMILY) + rng.choice(GIVEN)
        users[department.code] = _user(
            f"staff-{department.code}", password, role=Role.STAFF, name=name, department=department
        )
        name = heads.choice(FAMILY) + heads.choice(GIVEN)
        users[f"head-{department.code}"] = _user(
            f"head-{department.code}", password, role=Role.HEAD, name=name, department=department
        )
    return users


def _seed_periods() -> dict[tuple[int, int], ReportingPeriod]:
    periods = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for quarter in range(1, 5):
            periods[year, quarter], _ = ReportingPeriod.objects.get_or_create(
                year=year,
                quarter=quarter,
                defaults={
                    "opens_on": quarter_opens(year, quarter),
                    "due_on": quarter_due(year, quarter),
                    "closed": (year, quarter) <= LAST_CLOSED,
                },
            )
    return periods


def _seed_plans(rng, projects, users) -> int:
    created = 0
    coordinator = users["coordinator"]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for project in projects:
            if not project.runs_in(year):
                continue
            staff = users[project.lead_department.code]
            submitted = at(date(year, 3, 1) + timedelta(days=rng.randint(0, 25)))
            state = FilingState.APPROVED
            roll = rng.random()
            if year == LAST_YEAR and roll < 0.08:
                state = FilingState.SUBMITTED
            elif year == LAST_YEAR and roll < 0.12:
                state = FilingState.RETURNED
            reviewed = state != FilingState.SUBMITTED
            values = {
                "goal": f"{year}년 {project.name} 단계별 목표 달성",
                "content": f"{project.summary}\n{year}년 주요 추진 내용을 정리합니다.",
                "q1_plan": "사업 계획 수립 및 예산 확보",
                "q2_plan": "사업자 선정 및 계약",
                "q3_plan": "본 사업 추진 및 중간 점검",
                "q4_plan": "성과 점검 및 차년도 계획 수립",
                **yearly_budget(project, year),
                "state": state,
                "submitted_by": staff,
                "submitted_at": submitted,
                "reviewed_by": coordinator if reviewed else None,
                "reviewed_at": submitted + timedelta(days=5) if reviewed else None,
                "review_comment": rng.choice(RETURN_REASONS)
                if state == FilingState.RETURNED
                else "",
            }
            plan, made = create(
                ImplementationPlan, {"project": project, "year": year}, values, by=staff
            )
            if made:
                created += 1
                if state == FilingState.RETURNED:
                    Comment.objects.create(
                        plan=plan,
                        author=coordinator,
                        kind=CommentKind.RETURN,
                        body=plan.review_comment,
                    )
    return created


def _report_story(rng, project, year, quarter, previous_progress):
    """Progress, status and text for one quarter: mostly on track, some delayed or at risk."""
    total_quarters = (project.end_year - project.start_year + 1) * 4
    done = (year - project.start_year) * 4 + quarter
    expected = min(100, 100 * done / total_quarters)
    trouble = rng.random()
    if done == 1 and trouble < 0.3:
        return Decimal(0), ProjectStatus.NOT_STARTED
    if done == total_quarters:
        return Decimal(100), ProjectStatus.COMPLETED
    if trouble < 0.10:
        status, factor = ProjectStatus.DELAYED, 0.75
    elif trouble < 0.14:
        status, factor = ProjectStatus.AT_RISK, 0.55
    elif trouble < 0.16:
        status, factor = ProjectStatus.ON_HOLD, 0.0
    else:
        status, factor = ProjectStatus.ON_TRACK, rng.uniform(0.92, 1.05)
    progress = max(previous_progress, Decimal(str(round(min(99.0, expected * factor), 1))))
    if status == ProjectStatus.ON_HOLD:
        progress = previous_progress
    return progress, status


def _seed_reports(rng, projects, periods, users) -> int:
    created = 0
    coordinator = users["coordinator"]
    committee = users["committee"]
    for project in projects:
        staff = users[project.lead_department.code]
        progress = Decimal(0)
        targets = {
            indicator: {target.year: target.value for target in indicator.targets.all()}
            for indicator in project.indicators.all()
        }
        for (year, quarter), period in sorted(periods.items()):
            if not project.runs_in(year) or (year, quarter) > LAST_REPORTED:
                continue
            if year > project.end_year:
                break
            progress, status = _report_story(rng, project, year, quarter, progress)
            latest = (year, quarter) == LAST_REPORTED
            roll = rng.random()
            if latest and roll < 0.12:
                continue  # not filed yet: shows as 미제출
            if not latest and roll < 0.01:
                continue  # an old quarter that was never filed
            state = FilingState.APPROVED
            if latest:
                state = rng.choice(
                    [FilingState.APPROVED] * 8
                    + [FilingState.SUBMITTED] * 2
                    + [FilingState.RETURNED, FilingState.DRAFT]
                )
            late = rng.random() < (0.3 if latest else 0.08)
            due = at(period.due_on, 18)
            submitted = due + (
                timedelta(days=rng.randint(1, 20)) if late else -timedelta(days=rng.randint(0, 12))
            )
            filed = state != FilingState.DRAFT
            reviewed = state in (FilingState.APPROVED, FilingState.RETURNED)
            fraction = Decimal(quarter) / 4
            spent_share = Decimal(str(rng.uniform(0.8, 1.0))) * fraction
            budget = yearly_budget(project, year)
            explain = status in STATUSES_NEEDING_EXPLANATION
            pick = rng.randrange(len(PROBLEMS))
            values = {
                "progress": progress,
                "status": status,
                "achievements": f"{year}년 {quarter}분기 {project.name} 추진, 진척률 {progress}%",
                "problems": PROBLEMS[pick] if explain else "",
                "countermeasures": COUNTERMEASURES[pick] if explain else "",
                "next_steps": "다음 분기 계획에 따라 추진",
                **{
                    f"spent_{source}": int(budget[f"budget_{source}"] * spent_share)
                    for source in FundingSource.values
                },
                "state": state,
                "submitted_by": staff if filed else None,
                "submitted_at": submitted if filed else None,
                "submitted_late": late and filed,
                "reviewed_by": coordinator if reviewed else None,
                "reviewed_at": submitted + timedelta(days=rng.randint(2, 9)) if reviewed else None,
                "review_comment": rng.choice(RETURN_REASONS)
                if state == FilingState.RETURNED
                else "",
            }
            # Draw every random number before touching the database, so that a second run
            # makes the same choices whatever already exists.
            results = []
            for indicator, by_year in targets.items():
                target = by_year.get(year)
                if target is not None:
                    baseline = indicator.baseline or Decimal(0)
                    share = fraction * Decimal(str(rng.uniform(0.7, 1.1)))
                    value = baseline + (target - baseline) * share
                    results.append((indicator, value.quantize(Decimal("0.01"))))
            committee_opinion = explain and rng.random() < 0.5
            # Some approved reports were returned once before: their return stays in the thread.
            returned_before = state == FilingState.APPROVED and rng.random() < 0.06
            earlier_reason = rng.choice(RETURN_REASONS)
            report, made = create(
                ProgressReport,
                {"project": project, "year": year, "quarter": quarter},
                values,
                by=staff,
            )
            if not made:
                continue
            created += 1
            IndicatorResult.objects.bulk_create(
                IndicatorResult(report=report, indicator=indicator, value=value)
                for indicator, value in results
            )
            if state == FilingState.RETURNED:
                Comment.objects.create(
                    report=report,
                    author=coordinator,
                    kind=CommentKind.RETURN,
                    body=report.review_comment,
                )
            if returned_before:
                Comment.objects.create(
                    report=report,
                    author=coordinator,
                    kind=CommentKind.RETURN,
                    body=earlier_reason,
                )
            if committee_opinion:
                Comment.objects.create(
                    report=report,
                    author=committee,
                    kind=CommentKind.OPINION,
                    body="지연 원인이 반복되지 않도록 분기별 점검 결과를 위원회에 공유해 주십시오.",
                )
    return created


def _seed_proposals(users) -> None:
    committee, coordinator = users["committee"], users["coordinator"]
    proposals = [
        (
            "드론 기반 산단 환경감시 체계",
            "climate",
            ProposalResponse.ACCEPT,
            "2025년 시행계획에 반영하여 시범 운영하겠습니다.",
        ),
        (
            "시민 참여형 데이터 해커톤 정례화",
            "digital",
            ProposalResponse.PARTIAL,
            "연 1회 개최는 수용하되, 분기별 개최는 예산 여건상 어렵습니다.",
        ),
        ("항만 물류 인력 재교육 바우처", "youthjob", ProposalResponse.PENDING, ""),
    ]
    for title, department_code, response, reason in proposals:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            continue
        responded = response != ProposalResponse.PENDING
        create(
            Proposal,
            {"title": title},
            {
                "content": f"{title}을 검토해 주시기 바랍니다.",
                "year": 2024,
                "proposed_by": committee,
                "department": department,
                "response": response,
                "response_reason": reason,
                "responded_by": users.get(department_code, coordinator) if responded else None,
                "responded_at": at(date(2024, 9, 10)) if responded else None,
            },
            by=committee,
        )


def _seed_signoff(users) -> None:
    """Switch the department sign-off (결재선) on for every demo department, once: what was
    submitted or approved carries its head's sign-off (stamped when it was submitted), and
    of the departments with a submitted report of the latest quarter, every other one's first
    waits for its head (the head's queue on 내 업무; the rest stay in the coordinator's queue)."""
    candidates = 0
    for department in Department.objects.filter(signoff_required=False).order_by("code"):
        head = users.get(f"head-{department.code}")
        if head is None:
            continue
        ours = {"project__lead_department": department, "signed_off_by": None}
        waiting = (
            ProgressReport.objects.filter(
                **ours, state=FilingState.SUBMITTED, year=LAST_REPORTED[0], quarter=LAST_REPORTED[1]
            )
            .order_by("project__code")
            .first()
        )
        if waiting is not None and (candidates := candidates + 1) % 2 == 1:
            waiting.state = FilingState.SIGNOFF
            waiting.version += 1
            waiting._history_user = waiting.submitted_by
            waiting.save()
        sent = {**ours, "state__in": [FilingState.SUBMITTED, FilingState.APPROVED]}
        stamp = {"signed_off_by": head, "signed_off_at": F("submitted_at")}
        ProgressReport.objects.filter(**sent).update(**stamp)
        ImplementationPlan.objects.filter(**sent).update(**stamp)
        department.signoff_required = True
        department.save(update_fields=["signoff_required"])


REVISED_PROJECT = "2-2-1"  # the demo's example of a record changed after it was first saved


def _seed_revisions(users) -> None:
    """A few later versions, so the history lists show what changed on first run: the 2025
    plan of one project revised after a supplementary budget (추경), that project's weight and
    one of its indicator targets. Each only once (the coordinator's version marks it done)."""
    project = Project.objects.filter(code=REVISED_PROJECT).first()
    if project is None:
        return
    coordinator = users["coordinator"]
    plan = ImplementationPlan.objects.filter(project=project, year=2025, version=1).first()
    if plan is not None:
        plan.budget_city += 200_000_000
        plan.goal += "\n하반기 추경으로 실증 구역을 1곳 늘립니다."
        plan.q3_plan = "추경 반영 실증 구역 추가 및 중간 점검"
        plan.version += 1
        plan._history_user = coordinator  # approved records change only by the coordinator
        plan.save()
    if not project.history.filter(history_user=coordinator).exists():
        project.weight = Decimal("1.5")
        project._history_user = coordinator
        project.save()
    target = (
        IndicatorTarget.objects.filter(indicator__project=project, year=2026)
        .order_by("indicator__order", "pk")
        .first()
    )
    if target is not None and not target.history.filter(history_user=coordinator).exists():
        target.value += 5
        target._history_user = coordinator
        target.save()


def _seed_acknowledged_warnings() -> None:
    """What the checks before submission warned of on each filing sent in (as its submitter
    ticked them): the review queue and the filing pages show them as they will in use."""
    from ..selectors.checks import submission_checks

    sent = [FilingState.SUBMITTED, FilingState.SIGNOFF]
    for model in (ImplementationPlan, ProgressReport):
        for filing in model.objects.filter(state__in=sent).select_related("project"):
            warnings = [c.stored() for c in submission_checks(filing) if not c.is_error]
            model.objects.filter(pk=filing.pk).update(acknowledged_warnings=warnings)
