"""Writes to the plan's structure: the shipped fixture and the plan-structure import."""

from decimal import Decimal

from django.db import transaction

from strategies.models import Direction, Phase, Plan, Task

from ..choices import (
    FundingSource,
)
from ..models import (
    Department,
    Indicator,
    IndicatorTarget,
    Project,
)


@transaction.atomic
def plan_load(*, data: dict) -> tuple[Plan, bool]:
    """Load a plan (structure, departments, projects, indicators) from the fixture's layout.

    Returns the plan and whether it was created. A plan that already exists by name is left
    untouched, so that loading the shipped fixture again never overwrites the city's edits.
    """
    existing = Plan.objects.filter(name=data["plan"]["name"]).first()
    if existing is not None:
        return existing, False

    plan = Plan.objects.create(**data["plan"])
    phases = {item["order"]: Phase.objects.create(plan=plan, **item) for item in data["phases"]}
    tasks: dict[int, Task] = {}
    for order, item in enumerate(data["directions"], start=1):
        direction = Direction.objects.create(
            plan=plan, order=order, code=item["code"], name=item["name"], name_en=item["name_en"]
        )
        for task_order, task in enumerate(item["tasks"], start=1):
            tasks[task["number"]] = Task.objects.create(
                direction=direction,
                order=task_order,
                code=f"{direction.code}-{task_order}",
                number=task["number"],
                name=task["name"],
                name_en=task["name_en"],
            )
    departments = {}
    for item in data["departments"]:
        departments[item["code"]], _created = Department.objects.get_or_create(
            code=item["code"], defaults={"name": item["name"]}
        )
    for item in data["projects"]:
        project = Project(
            task=tasks[item["task"]],
            code=item["code"],
            name=item["name"],
            summary=item["summary"],
            lead_department=departments[item["lead_department"]],
            start_year=item["start_year"],
            end_year=item["end_year"],
            is_continuing=item["is_continuing"],
            is_sample=True,
            **{f"cost_{source}": item["cost"][source] for source in FundingSource.values},
        )
        project.full_clean()
        project.save()
        project.phases.set([phases[order] for order in item["phases"]])
        project.support_departments.set([departments[code] for code in item["support_departments"]])
        for order, spec in enumerate(item["indicators"], start=1):
            indicator = Indicator.objects.create(
                project=project,
                order=order,
                name=spec["name"],
                kind=spec["kind"],
                unit=spec["unit"],
                baseline=Decimal(str(spec["baseline"])),
                baseline_year=spec["baseline_year"],
                higher_is_better=spec["higher_is_better"],
                source=spec["source"],
            )
            for year, value in spec["targets"].items():
                IndicatorTarget.objects.create(
                    indicator=indicator, year=int(year), value=Decimal(str(value))
                )
    return plan, True
