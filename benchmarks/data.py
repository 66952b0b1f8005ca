"""Synthetic data like a real year, at any multiple of the shipped plan's 29 projects.

Relative to today: reporting periods from the plan's first year up to the one open now (with
extensions for some departments), each project's yearly plans with budgets up to this year
(and next year's in the last quarter), quarterly reports in every state — the quarter open
now mostly drafts and submissions, the last one due a mix of approved, submitted, returned and
missing, older ones approved — with indicator results against targets, review comments and
history rows, and committee proposals with answers. Departments stay the shipped nine (a
city does not get 100 times the departments): at 100× each leads about 320 projects.

Everything is written with bulk_create, so 100× (about 2,900 projects, 45,000 reports)
takes well under a minute. `grow()` only adds: it can be called with 1, then 100, then 300.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from projects import services
from projects.choices import (
    CommentKind,
    FilingState,
    FundingSource,
    ProjectStatus,
    ProposalResponse,
    Role,
)
from projects.models import (
    Comment,
    Department,
    ImplementationPlan,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    PeriodExtension,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
    User,
)
from strategies.models import Plan

COORDINATOR, COMMITTEE = "bench", "bench-committee"  # benchmarks/workbook.py signs in as "bench"
SHOWCASE = "1-1-1"  # the project whose pages are timed: a draft open now, this year's plan
PROPOSALS_PER_FACTOR = 5
BATCH = 2000

DRAFT, SUBMITTED, SIGNOFF = FilingState.DRAFT, FilingState.SUBMITTED, FilingState.SIGNOFF
APPROVED, RETURNED = FilingState.APPROVED, FilingState.RETURNED
# (state or None for "not filed", weight) by where a quarter stands today.
OPEN_NOW = [(DRAFT, 40), (SUBMITTED, 25), (SIGNOFF, 5), (RETURNED, 5), (None, 25)]
LAST_DUE = [(APPROVED, 55), (SUBMITTED, 20), (SIGNOFF, 5), (RETURNED, 8), (DRAFT, 4), (None, 8)]
EARLIER = [(APPROVED, 96), (SUBMITTED, 1), (RETURNED, 1), (None, 2)]
PLAN_THIS_YEAR = [(APPROVED, 90), (SUBMITTED, 5), (RETURNED, 5)]
PLAN_NEXT_YEAR = [(DRAFT, 40), (SUBMITTED, 30), (None, 30)]

RETURN_REASON = "집행액이 시행계획 예산과 맞지 않습니다. 재원별 집행액을 다시 확인해 주세요."
PROBLEM = "설비 납품이 지연되어 실증 일정이 밀렸습니다."
COUNTERMEASURE = "대체 공급처를 확보하고 실증 기간을 조정하겠습니다."
ACHIEVED = "사업자 선정, 설계, 시범 운영과 성과 점검을 진행함. 관계기관 협의를 두 차례 열었음. "


@dataclass(frozen=True)
class Calendar:
    """The periods as they stand today: which is open now, which was due last."""

    today: date
    periods: dict  # (year, quarter) -> ReportingPeriod, those opened by today
    open_now: tuple[int, int] | None
    last_due: tuple[int, int] | None

    @property
    def year(self) -> int:
        return self.today.year


def quarter_due(year: int, quarter: int) -> date:
    """Reports are due on the 15th of the month after the quarter ends."""
    return date(year + 1, 1, 15) if quarter == 4 else date(year, 3 * quarter + 1, 15)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _pick(rng: random.Random, weights):
    return rng.choices([s for s, _w in weights], [w for _s, w in weights])[0]


def grow(factor: int, *, today: date | None = None) -> Calendar:
    """Make the database hold `factor` × 29 projects with their filings (adding only)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        if not Plan.objects.exists():
            call_command("load_plan_fixture", verbosity=0, stdout=io.StringIO())
        users = _users()
        calendar = _periods(today, users)
        _projects(29 * factor, users)
        _filings(calendar, users)
        _proposals(PROPOSALS_PER_FACTOR * factor, calendar, users)
        services.bump_data_version()  # bulk_create sends no signal: no cached page survives
    # As autovacuum keeps a live database (it vacuums tables that only grew, too): statistics,
    # without which the planner takes the freshly bulk-loaded tables for empty ones, and the
    # visibility map, without which an index-only scan still reads every table page. (VACUUM
    # cannot run inside a transaction, as in a test.)
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return calendar


def signed_in_users() -> dict[str, User]:
    """The people the pages are timed as: coordinator, committee member, and the staff member
    of the department that leads the showcase project."""
    lead = Project.objects.get(code=SHOWCASE).lead_department
    return {
        "coordinator": User.objects.get(username=COORDINATOR),
        "committee": User.objects.get(username=COMMITTEE),
        "staff": User.objects.get(username=f"staff-{lead.code}"),
    }


def _users() -> dict[str, User]:
    users = {}
    wanted = [(COORDINATOR, Role.COORDINATOR, None), (COMMITTEE, Role.COMMITTEE, None)]
    wanted += [(f"staff-{d.code}", Role.STAFF, d) for d in Department.objects.all()]
    for username, role, department in wanted:
        user, created = User.objects.get_or_create(
            username=username, defaults={"department": department, "last_name": "벤치"}
        )
        if created:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        users[username] = user
    return users


def _periods(today: date, users) -> Calendar:
    plan = Plan.objects.order_by("start_year").first()
    existing = {(p.year, p.quarter) for p in ReportingPeriod.objects.all()}
    ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            year=year,
            quarter=quarter,
            opens_on=date(year, 3 * quarter - 1, 1),
            due_on=quarter_due(year, quarter),
            closed=quarter_due(year, quarter) < today - timedelta(days=60),
        )
        for year in range(plan.start_year, min(today.year, plan.end_year) + 1)
        for quarter in range(1, 5)
        if (year, quarter) not in existing and date(year, 3 * quarter - 1, 1) <= today
    )
    periods = {(p.year, p.quarter): p for p in ReportingPeriod.objects.filter(opens_on__lte=today)}
    open_now = max((k for k, p in periods.items() if p.due_on > today), default=None)
    last_due = max((k for k, p in periods.items() if p.due_on <= today), default=None)
    departments = list(Department.objects.order_by("code"))
    granted = set(PeriodExtension.objects.values_list("period_id", "department_id"))
    PeriodExtension.objects.bulk_create(
        PeriodExtension(
            period=periods[key],
            department=department,
            due_on=periods[key].due_on + timedelta(days=14),
            reason="국비 공모 결과 발표가 늦어져 기한을 연장합니다.",
            granted_by=users[COORDINATOR],
        )
        for key in (open_now, last_due)
        if key is not None
        for department in departments[::4]
        if (periods[key].pk, department.pk) not in granted
    )
    return Calendar(today, periods, open_now, last_due)


def _projects(target: int, users) -> None:
    """Copies of the shipped projects (with their departments, phases and indicators with
    targets) until there are `target` of them."""
    shipped = list(
        Project.objects.filter(is_sample=True)
        .prefetch_related("support_departments", "phases", "indicators__targets")
        .order_by("code")
    )
    have = Project.objects.count()
    copies = []
    for n in range(have, target):
        source = shipped[n % len(shipped)]
        copy = Project(
            **{
                f.attname: getattr(source, f.attname)
                for f in Project._meta.concrete_fields
                if f.attname not in ("id", "code", "name", "is_sample")
            },
            code=f"{source.code}-{n // len(shipped)}",
            name=f"{source.name} {n // len(shipped)}",
        )
        copy.source = source
        copies.append(copy)
    Project.objects.bulk_create(copies, batch_size=BATCH)
    Project.phases.through.objects.bulk_create(
        (
            Project.phases.through(project_id=c.pk, phase_id=phase.pk)
            for c in copies
            for phase in c.source.phases.all()
        ),
        batch_size=BATCH,
    )
    Project.support_departments.through.objects.bulk_create(
        (
            Project.support_departments.through(project_id=c.pk, department_id=d.pk)
            for c in copies
            for d in c.source.support_departments.all()
        ),
        batch_size=BATCH,
    )
    indicators = []
    for c in copies:
        for source in c.source.indicators.all():
            indicator = Indicator(
                **{
                    f.attname: getattr(source, f.attname)
                    for f in Indicator._meta.concrete_fields
                    if f.attname not in ("id", "project_id")
                },
                project=c,
            )
            indicator.source_targets = list(source.targets.all())
            indicators.append(indicator)
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    IndicatorTarget.objects.bulk_create(
        (
            IndicatorTarget(indicator=i, year=t.year, value=t.value)
            for i in indicators
            for t in i.source_targets
        ),
        batch_size=BATCH,
    )
    Project.history.bulk_history_create(
        copies, batch_size=BATCH, default_user=users[COORDINATOR], default_date=timezone.now()
    )


@dataclass
class _Filings:
    plans: list
    reports: list
    results: list  # (report, indicator, value)
    comments: list  # (filing, kind, author, body)


def _filings(calendar: Calendar, users) -> None:
    """Plans and reports of every project that has none yet."""
    projects = (
        Project.objects.filter(plans__isnull=True)
        .select_related("lead_department")
        .prefetch_related("indicators__targets")
        .order_by("pk")
    )
    made = _Filings([], [], [], [])
    for project in projects:
        rng = random.Random(project.code)  # the same data on every run and machine
        staff = users[f"staff-{project.lead_department.code}"]
        _project_filings(made, rng, project, calendar, staff, users)
    ImplementationPlan.objects.bulk_create(made.plans, batch_size=BATCH)
    ProgressReport.objects.bulk_create(made.reports, batch_size=BATCH)
    IndicatorResult.objects.bulk_create(
        (IndicatorResult(report=r, indicator=i, value=v) for r, i, v in made.results),
        batch_size=BATCH,
    )
    Comment.objects.bulk_create(
        (
            Comment(
                plan=f if isinstance(f, ImplementationPlan) else None,
                report=f if isinstance(f, ProgressReport) else None,
                kind=kind,
                author=author,
                body=body,
            )
            for f, kind, author, body in made.comments
        ),
        batch_size=BATCH,
    )
    for model, filings in ((ImplementationPlan, made.plans), (ProgressReport, made.reports)):
        _history(model, filings)


def _history(model, filings) -> None:
    """Two history rows per filing, as the app writes them: created by its author, then its
    last step (submission or review), both holding the filing's present values."""
    for filing in filings:
        filing._history_user = filing.submitted_by or filing.history_author
        filing._history_date = filing.created
    model.history.bulk_history_create(filings, batch_size=BATCH)
    moved = [f for f in filings if f.state != DRAFT]
    for filing in moved:
        filing._history_user = filing.reviewed_by or filing.submitted_by
        filing._history_date = filing.reviewed_at or filing.submitted_at
    model.history.bulk_history_create(moved, batch_size=BATCH, update=True)


def _stamp(filing, rng, state, *, due: date, staff, users) -> None:
    """Workflow fields for `state`: filed around `due` (one in ten late), never in the future."""
    now = timezone.now()
    filed = state != DRAFT
    late = rng.random() < 0.1
    submitted = min(
        _at(due) + timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 12)),
        now - timedelta(hours=rng.randint(1, 72)),
    )
    reviewed = state in (APPROVED, RETURNED)
    filing.state = state
    filing.history_author = staff
    filing.created = submitted - timedelta(days=10)
    filing.submitted_by = staff if filed else None
    filing.submitted_at = submitted if filed else None
    filing.submitted_late = filed and submitted.date() > due
    filing.reviewed_by = users[COORDINATOR] if reviewed else None
    reviewed_at = min(submitted + timedelta(days=rng.randint(2, 9)), now)
    filing.reviewed_at = reviewed_at if reviewed else None
    filing.review_comment = RETURN_REASON if state == RETURNED else ""


def _budget(project: Project, year: int) -> dict[str, int]:
    years = project.end_year - project.start_year + 1
    return {
        f"budget_{s}": getattr(project, f"cost_{s}") // years // 1_000_000 * 1_000_000
        for s in FundingSource.values
    }


def _project_filings(made: _Filings, rng, project, calendar: Calendar, staff, users) -> None:
    showcase = project.code == SHOWCASE
    plan_years = [y for y in range(project.start_year, calendar.year + 1) if project.runs_in(y)]
    if calendar.open_now and calendar.open_now[1] == 4 and project.runs_in(calendar.year + 1):
        plan_years.append(calendar.year + 1)  # next year's plans are drafted in the last quarter
    for year in plan_years:
        weights = (
            PLAN_NEXT_YEAR if year > calendar.year
            else PLAN_THIS_YEAR if year == calendar.year
            else [(APPROVED, 1)]
        )  # fmt: skip
        state = APPROVED if showcase and year == calendar.year else _pick(rng, weights)
        if state is None:
            continue
        plan = ImplementationPlan(
            project=project,
            year=year,
            goal=f"{year}년 {project.name} 단계별 목표 달성",
            content=f"{project.summary}\n{year}년 주요 추진 내용을 정리합니다.",
            q1_plan="사업 계획 수립 및 예산 확보",
            q2_plan="사업자 선정 및 계약",
            q3_plan="본 사업 추진 및 중간 점검",
            q4_plan="성과 점검 및 차년도 계획 수립",
            **_budget(project, year),
        )
        _stamp(plan, rng, state, due=date(year, 3, 1), staff=staff, users=users)
        made.plans.append(plan)
        if state == RETURNED:
            made.comments.append((plan, CommentKind.RETURN, users[COORDINATOR], RETURN_REASON))
    progress = Decimal(0)
    quarters = (project.end_year - project.start_year + 1) * 4
    for (year, quarter), period in sorted(calendar.periods.items()):
        if not project.runs_in(year):
            continue
        key = (year, quarter)
        weights = (
            OPEN_NOW if key == calendar.open_now
            else LAST_DUE if key == calendar.last_due
            else EARLIER
        )  # fmt: skip
        state = DRAFT if showcase and key == calendar.open_now else _pick(rng, weights)
        done = (year - project.start_year) * 4 + quarter
        status, progress = _status(rng, done, quarters, progress)
        if state is None:
            continue
        share = Decimal(quarter) / 4 * Decimal(str(round(rng.uniform(0.8, 1.0), 3)))
        budget = _budget(project, year)
        explain = status in (ProjectStatus.DELAYED, ProjectStatus.AT_RISK)
        report = ProgressReport(
            project=project,
            year=year,
            quarter=quarter,
            progress=progress,
            status=status,
            achievements=f"{year}년 {quarter}분기: " + ACHIEVED * 2,
            problems=PROBLEM if explain else "",
            countermeasures=COUNTERMEASURE if explain else "",
            next_steps="다음 분기 계획에 따라 추진",
            **{f"spent_{s}": int(budget[f"budget_{s}"] * share) for s in FundingSource.values},
        )
        _stamp(report, rng, state, due=period.due_on, staff=staff, users=users)
        made.reports.append(report)
        for indicator in project.indicators.all():
            target = next((t.value for t in indicator.targets.all() if t.year == year), None)
            if target is not None:
                base = indicator.baseline or Decimal(0)
                value = base + (target - base) * share * Decimal(str(rng.uniform(0.7, 1.1)))
                made.results.append((report, indicator, value.quantize(Decimal("0.01"))))
        if state == RETURNED:
            made.comments.append((report, CommentKind.RETURN, users[COORDINATOR], RETURN_REASON))
        if explain and rng.random() < 0.5:
            body = "지연 원인이 반복되지 않도록 분기별 점검 결과를 위원회에 공유해 주십시오."
            made.comments.append((report, CommentKind.OPINION, users[COMMITTEE], body))


def _status(rng, done: int, quarters: int, progress: Decimal) -> tuple[str, Decimal]:
    """Status and cumulative progress of a project's `done`-th quarter of `quarters`."""
    expected = min(100.0, 100 * done / quarters)
    roll = rng.random()
    if done == quarters:
        return ProjectStatus.COMPLETED, Decimal(100)
    if done == 1 and roll < 0.2:
        return ProjectStatus.NOT_STARTED, Decimal(0)
    if roll < 0.08:
        status, factor = ProjectStatus.DELAYED, 0.75
    elif roll < 0.12:
        status, factor = ProjectStatus.AT_RISK, 0.55
    elif roll < 0.14:
        return ProjectStatus.ON_HOLD, progress
    else:
        status, factor = ProjectStatus.ON_TRACK, rng.uniform(0.92, 1.05)
    return status, max(progress, Decimal(str(round(min(99.0, expected * factor), 1))))


def _proposals(target: int, calendar: Calendar, users) -> None:
    departments = list(Department.objects.order_by("code"))
    answers = [
        (ProposalResponse.ACCEPT, "다음 연도 시행계획에 반영하여 시범 운영하겠습니다."),
        (ProposalResponse.PARTIAL, "연 1회 개최는 수용하되, 분기별 개최는 예산 여건상 어렵습니다."),
        (ProposalResponse.DECLINE, "유사 사업이 이미 추진 중이어서 통합 운영하겠습니다."),
        (ProposalResponse.PENDING, ""),
    ]
    proposals = []
    for n in range(Proposal.objects.count(), target):
        department = departments[n % len(departments)]
        response, reason = answers[n % len(answers)]
        answered = response != ProposalResponse.PENDING
        proposals.append(
            Proposal(
                title=f"위원회 제안 {n + 1}: 산단 데이터 공유 플랫폼",
                content="산업단지 입주기업의 에너지 사용 자료를 공유하는 플랫폼을 제안합니다.",
                year=calendar.year - n % 3,
                proposed_by=users[COMMITTEE],
                department=department,
                response=response,
                response_reason=reason,
                responded_by=users[f"staff-{department.code}"] if answered else None,
                responded_at=_at(calendar.today - timedelta(days=n % 90)) if answered else None,
            )
        )
    Proposal.objects.bulk_create(proposals, batch_size=BATCH)


def sizes() -> dict[str, int]:
    """What the database holds, for the results' table of data sizes."""
    submitted = (
        ImplementationPlan.objects.filter(state=SUBMITTED).count()
        + ProgressReport.objects.filter(state=SUBMITTED).count()
    )
    return {
        "projects": Project.objects.count(),
        "plans": ImplementationPlan.objects.count(),
        "reports": ProgressReport.objects.count(),
        "submitted filings": submitted,
        "indicator results": IndicatorResult.objects.count(),
        "proposals": Proposal.objects.count(),
        "history rows": ProgressReport.history.count() + ImplementationPlan.history.count(),
    }
