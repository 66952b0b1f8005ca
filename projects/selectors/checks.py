"""The checks run before a plan or report is submitted, written once for every path: the
confirmation page, the submission itself (services.filing_submit), the reviewer's page and
the Excel import's preview.

Each result is an *error* (submission is blocked until it is fixed) or a *warning* (the
submitter must acknowledge it; the acknowledgement is kept with the submission). A result has a
stable `code`, its figures in `params` (plain JSON, so an acknowledged warning is stored as is)
and a message rendered when it is shown, in the reader's language.

The figures come from the rules every figure follows (`figures`): the last approved quarter
is `approved_as_of`, spending against the plan is `execution_rate`, an indicator against its
target is `achievement_rate`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from ..choices import STATUSES_NEEDING_EXPLANATION, FilingState, FundingSource
from ..models import (
    Attachment,
    Filing,
    ImplementationPlan,
    IndicatorTarget,
    ProgressReport,
    Project,
)
from ..numbers import million_won, to_tenth
from .figures import achievement_rate, approved_as_of, execution_rate, latest_approved_report

ERROR, WARNING = "error", "warning"
QUARTER_PLANS = ("q1_plan", "q2_plan", "q3_plan", "q4_plan")
NARRATIVE = ("achievements", "problems", "countermeasures")
EXPLANATION = ("problems", "countermeasures")


@dataclass(frozen=True)
class Check:
    """One result: `field` is the form field to fix (empty when none is)."""

    level: str
    code: str
    params: dict = field(default_factory=dict)
    field: str = ""

    @property
    def key(self) -> str:
        """Stable among one filing's results: what an acknowledgement names."""
        subject = self.params.get("subject")
        return f"{self.code}:{subject}" if subject is not None else self.code

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def message(self) -> str:
        return MESSAGES[self.code](self.params)

    def stored(self) -> dict:
        return {"code": self.code, "params": self.params, "field": self.field}

    @classmethod
    def acknowledged(cls, stored: dict) -> "Check":
        """A warning as kept with a submission (Filing.acknowledged_warnings)."""
        return cls(WARNING, stored["code"], stored.get("params", {}), stored.get("field", ""))


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _labels(model, names: Iterable[str]) -> str:
    return ", ".join(_label(model, name) for name in names)


def _explanation_missing(p: dict) -> str:
    return _("추진상태가 지연 또는 부진이면 %(label)s을 적어야 제출할 수 있습니다.") % {
        "label": _label(ProgressReport, p["subject"])
    }


def _quarter_plans_missing(p: dict) -> str:
    quarters = ", ".join(_("%(quarter)s분기") % {"quarter": q} for q in p["quarters"])
    return _(
        "분기별 계획이 비어 있습니다: %(quarters)s. 계획이 없는 분기는 '해당 없음'이라고 "
        "적어 주세요."
    ) % {"quarters": quarters}


def _spending_over_budget(p: dict) -> str:
    message = _(
        "%(source)s 집행액 %(spent)s백만원이 올해 승인된 계획의 %(source)s 예산 "
        "%(budget)s백만원을 넘습니다."
    ) % {
        "source": FundingSource(p["subject"]).label,
        "spent": million_won(p["spent"]),
        "budget": million_won(p["budget"]),
    }
    if p["rate"] is not None:
        message += " " + _("(집행률 %(rate)s%%)") % {"rate": p["rate"]}
    return message


def _indicator_off_target(p: dict) -> str:
    return (
        _(
            "성과지표 '%(name)s': 실적 %(value)s%(unit)s, 이번 분기까지의 기대치 "
            "%(expected)s%(unit)s(올해 목표 %(target)s%(unit)s) 대비 달성률 %(rate)s%% — "
            "기준 범위(100±%(margin)s%%) 밖입니다."
        )
        % p
    )


MESSAGES = {
    "plan_goal_missing": lambda p: _("추진 목표를 적어 주세요."),
    "plan_quarters_missing": _quarter_plans_missing,
    "plan_budget_missing": lambda p: _(
        "올해 예산을 적거나, 예산이 없으면 '예산 없음'을 체크하세요."
    ),
    "plan_budget_contradiction": lambda p: _(
        "'예산 없음'을 체크했는데 예산이 0원이 아닙니다. 예산을 지우거나 체크를 해제하세요."
    ),
    "plan_over_project_budget": lambda p: (
        _(
            "올해 예산 합계 %(budget)s백만원이 이 사업의 총사업비(계획 기간 전체) "
            "%(cost)s백만원보다 큽니다."
        )
        % {"budget": million_won(p["budget"]), "cost": million_won(p["cost"])}
    ),
    "report_explanation_missing": _explanation_missing,
    "report_narrative_missing": lambda p: (
        _("비어 있는 서술 항목: %(fields)s.") % {"fields": _labels(ProgressReport, p["fields"])}
    ),
    "report_evidence_missing": lambda p: _("증빙자료가 없습니다."),
    "report_progress_fell": lambda p: (
        _(
            "누적 진척률이 마지막 승인 분기(%(year)s년 %(quarter)s분기)의 %(previous)s%%에서 "
            "%(progress)s%%로 낮아졌습니다."
        )
        % p
    ),
    "report_spending_over_budget": _spending_over_budget,
    "report_indicator_off_target": _indicator_off_target,
}


# --- Plans ------------------------------------------------------------------------------------


def plan_checks(plan: ImplementationPlan) -> list[Check]:
    """A yearly plan's checks; it needs nothing but the plan and its project."""
    checks = []
    if not plan.goal.strip():
        checks.append(Check(ERROR, "plan_goal_missing", field="goal"))
    empty = [n for n, name in enumerate(QUARTER_PLANS, 1) if not getattr(plan, name).strip()]
    if empty:
        checks.append(
            Check(ERROR, "plan_quarters_missing", {"quarters": empty}, f"q{empty[0]}_plan")
        )
    budget = plan.budget_total
    if budget == 0 and not plan.no_budget:
        checks.append(Check(ERROR, "plan_budget_missing", field="no_budget"))
    if budget > 0 and plan.no_budget:
        checks.append(Check(ERROR, "plan_budget_contradiction", field="no_budget"))
    cost = plan.project.cost_total
    if budget > cost:
        params = {"budget": budget, "cost": cost}
        checks.append(Check(WARNING, "plan_over_project_budget", params, "budget_national"))
    return checks


# --- Reports ----------------------------------------------------------------------------------


@dataclass
class ReportFacts:
    """What one project's report is compared with: its last approved report before the
    quarter, the year's approved plan, the year's indicator targets, its evidence count."""

    previous: ProgressReport | None = None
    plan: ImplementationPlan | None = None
    targets: dict[int, Decimal] = field(default_factory=dict)
    evidence: int = 0


def _quarter_before(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def report_facts(
    projects: list[Project], *, year: int, quarter: int, report_ids: Iterable[int] = ()
) -> dict[int, ReportFacts]:
    """Project id → its ReportFacts for (year, quarter), in four queries for any number of
    projects (the import checks a whole file with them). `report_ids`: the stored reports
    whose evidence files are counted."""
    ids = [p.pk for p in projects]
    facts = {pk: ReportFacts() for pk in ids}
    before = _quarter_before(year, quarter)
    previous = approved_as_of(*before).filter(
        project__in=ids, pk=latest_approved_report(*before, project="project")
    )
    for report in previous:
        facts[report.project_id].previous = report
    plans = ImplementationPlan.objects.filter(
        project__in=ids, year=year, state=FilingState.APPROVED
    )
    for plan in plans:
        facts[plan.project_id].plan = plan
    targets = IndicatorTarget.objects.filter(indicator__project__in=ids, year=year)
    for indicator_id, project_id, value in targets.values_list(
        "indicator_id", "indicator__project_id", "value"
    ):
        facts[project_id].targets[indicator_id] = value
    report_ids = [pk for pk in report_ids if pk is not None]
    if report_ids:
        counts = (
            Attachment.objects.filter(report__in=report_ids)
            .values_list("report__project_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for project_id, count in counts:
            facts[project_id].evidence = count
    return facts


def _percent(value: Decimal) -> str:
    return f"{to_tenth(value):,}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def report_checks(
    report: ProgressReport,
    *,
    results: dict[int, Decimal | None],
    facts: ReportFacts,
    with_evidence: bool = True,
) -> list[Check]:
    """A quarterly report's checks against its `facts`; `results`: indicator id → value.
    `with_evidence=False` leaves out the evidence check (an import row carries no files)."""
    checks = []
    explain = report.status in STATUSES_NEEDING_EXPLANATION
    missing = [name for name in NARRATIVE if not getattr(report, name).strip()]
    for name in missing:
        if explain and name in EXPLANATION:
            params = {"subject": name}
            checks.append(Check(ERROR, "report_explanation_missing", params, name))
    narrative = [name for name in missing if not (explain and name in EXPLANATION)]
    if narrative:
        checks.append(
            Check(WARNING, "report_narrative_missing", {"fields": narrative}, narrative[0])
        )
    if with_evidence and not facts.evidence:
        checks.append(Check(WARNING, "report_evidence_missing"))
    previous = facts.previous
    if previous is not None and report.progress < previous.progress:
        params = {
            "year": previous.year,
            "quarter": previous.quarter,
            "previous": _percent(previous.progress),
            "progress": _percent(Decimal(report.progress)),
        }
        checks.append(Check(WARNING, "report_progress_fell", params, "progress"))
    checks += _spending_checks(report, facts.plan)
    checks += _indicator_checks(report, results, facts.targets)
    return checks


def _spending_checks(report: ProgressReport, plan: ImplementationPlan | None) -> list[Check]:
    if plan is None:  # no approved plan for the year: nothing planned to compare with
        return []
    checks = []
    for source in FundingSource.values:
        spent, budget = getattr(report, f"spent_{source}"), getattr(plan, f"budget_{source}")
        if spent > budget:
            share = execution_rate(spent, budget)
            params = {
                "subject": source,
                "spent": spent,
                "budget": budget,
                "rate": None if share is None else _percent(share),
            }
            checks.append(Check(WARNING, "report_spending_over_budget", params, f"spent_{source}"))
    return checks


def _indicator_checks(report: ProgressReport, results: dict, targets: dict) -> list[Check]:
    """An indicator further off its target than CHECK_INDICATOR_MARGIN % (달성률 under
    100 − margin or over 100 + margin). A quarter's value is compared with where the year's
    path from the baseline to the year's target stands at the end of that quarter (baseline +
    (target − baseline) × quarter ÷ 4: all of the target by Q4), the path seed_demo draws."""
    margin = settings.CHECK_INDICATOR_MARGIN
    checks = []
    for indicator in report.project.indicators.all():
        value, target = results.get(indicator.pk), targets.get(indicator.pk)
        if value is None or target is None:
            continue
        baseline = indicator.baseline or Decimal(0)
        expected = baseline + (Decimal(target) - baseline) * Decimal(report.quarter) / 4
        achieved = achievement_rate(value, expected, higher_is_better=indicator.higher_is_better)
        if achieved is None or abs(achieved - 100) <= margin:
            continue
        params = {
            "subject": indicator.pk,
            "name": indicator.name,
            "unit": indicator.unit,
            "value": _number(Decimal(value)),
            "expected": _number(expected.quantize(Decimal("0.01"))),
            "target": _number(Decimal(target)),
            "rate": _percent(achieved),
            "margin": margin,
        }
        checks.append(
            Check(WARNING, "report_indicator_off_target", params, f"indicator_{indicator.pk}")
        )
    return checks


# --- Any filing -------------------------------------------------------------------------------


def submission_checks(filing: Filing) -> list[Check]:
    """The checks of a stored plan or report as it is now: errors first."""
    if isinstance(filing, ImplementationPlan):
        checks = plan_checks(filing)
    else:
        facts = report_facts(
            [filing.project], year=filing.year, quarter=filing.quarter, report_ids=[filing.pk]
        )[filing.project_id]
        results = {r.indicator_id: r.value for r in filing.results.all()} if filing.pk else {}
        checks = report_checks(filing, results=results, facts=facts)
    return sorted(checks, key=lambda check: not check.is_error)


def acknowledged_warnings(filing: Filing) -> list[Check]:
    """The warnings the submitter acknowledged when they submitted `filing`."""
    return [Check.acknowledged(stored) for stored in filing.acknowledged_warnings or []]
