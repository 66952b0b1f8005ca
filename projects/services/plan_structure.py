"""Writes to the plan's structure: the shipped fixture and the plan-structure import."""

from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from strategies.models import Direction, Phase, Plan, Task

from .. import permissions
from ..choices import (
    FundingSource,
)
from ..models import (
    Department,
    Indicator,
    IndicatorTarget,
    Project,
    User,
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


class StructureChange(NamedTuple):
    """One change the replacement makes: what, which field, old → new."""

    target: str
    field: str
    old: object
    new: object


class _DryRun(Exception):
    """Rolls back a trial run."""


def plan_structure_replace(
    *, user: User, plan: Plan, departments: dict, projects: dict, indicators: dict,
    dry_run: bool = False,
) -> list[StructureChange]:  # fmt: skip
    """Replace the plan's project list (and update departments, indicators, targets) with the
    checked rows of an upload, in one transaction; history names `user`. Only fields that
    differ are saved. Projects left out are deleted (the import refuses that for projects with
    filed work). A `dry_run` makes every change and rolls it back: the preview and the real
    run are one piece of code, so they cannot disagree. Returns the changes.

    `departments`: code → {name, is_active}; `projects`: code → project fields with `lead`
    and `support` department codes and `phases`; `indicators`: (project code, name) → fields
    with `targets` (year → value). A ValidationError names what the database refuses.
    """
    permissions.check_coordinator(user)
    log: list[StructureChange] = []
    try:
        with transaction.atomic():
            _replace(plan, departments, projects, indicators, user=user, log=log)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return log


def _differs(old, new) -> bool:
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return old != new
    if isinstance(old, Decimal | int) or isinstance(new, Decimal | int):
        if old is None or new is None:
            return old != new
        return Decimal(old) != Decimal(new)
    return (old or "") != (new or "")


def _set(obj, values: dict, log: list, target: str, user) -> bool:
    """Change only the fields that differ, log them, save with history naming `user`."""
    if obj.pk is None:  # a new record: its creation is logged by the caller
        for name, value in values.items():
            setattr(obj, name, value)
        obj._history_user = user
        obj.full_clean()
        obj.save()
        return True
    changed = False
    for name, value in values.items():
        old = getattr(obj, name)
        if _differs(old, value):
            label = str(obj._meta.get_field(name).verbose_name)
            log.append(StructureChange(target, label, old, value))
            setattr(obj, name, value)
            changed = True
    if changed:
        obj._history_user = user
        obj.full_clean()
        obj.save()
    return changed


def _replace(plan, departments, projects, indicators, *, user, log: list) -> None:
    by_code = {d.code: d for d in Department.objects.all()}
    for code, spec in departments.items():
        department = by_code.get(code) or Department(code=code)
        if department.pk is None:
            log.append(StructureChange(code, _("부서"), None, _("추가")))
        _set(department, spec, log, code, user)
        by_code[code] = department

    existing = {
        p.code: p
        for p in Project.objects.filter(task__direction__plan=plan).prefetch_related(
            "support_departments", "phases", "indicators__targets"
        )
    }
    for project in existing.values():
        if project.code not in projects:
            project._history_user = user
            project.delete()
    for code, spec in projects.items():
        project = existing.get(code) or Project(code=code, origin="plan")
        if project.pk is None:
            log.append(StructureChange(code, _("사업"), None, _("추가")))
        fields = {k: v for k, v in spec.items() if k not in ("lead", "support", "phases")}
        fields["lead_department"] = by_code[spec["lead"]]
        _set(project, fields, log, code, user)
        _set_many(project, "support_departments", [by_code[c] for c in spec["support"]], log, user)
        _set_many(project, "phases", spec["phases"], log, user)
        _replace_indicators(project, indicators, log, user)


def _set_many(project, name: str, wanted: list, log: list, user) -> None:
    manager = getattr(project, name)
    current = set(manager.all()) if project.pk else set()
    if current != set(wanted):
        label = str(Project._meta.get_field(name).verbose_name)
        log.append(StructureChange(project.code, label, ", ".join(map(str, current)),
                                   ", ".join(map(str, wanted))))  # fmt: skip
        project._history_user = user
        manager.set(wanted)


def _replace_indicators(project, indicators, log: list, user) -> None:
    mine = {name: spec for (code, name), spec in indicators.items() if code == project.code}
    current = {i.name: i for i in project.indicators.all()}
    for name, indicator in current.items():
        if name not in mine:
            if indicator.results.exists():
                raise ValidationError(
                    _("사업 %(code)s의 지표 '%(name)s'는 실적이 있어 뺄 수 없습니다.")
                    % {"code": project.code, "name": name}
                )
            log.append(StructureChange(project.code, _("성과지표"), name, _("삭제")))
            indicator._history_user = user
            indicator.delete()
    for order, (name, spec) in enumerate(mine.items(), start=1):
        indicator = current.get(name)
        target = f"{project.code} · {name}"
        if indicator is None:
            indicator = Indicator(project=project, name=name)
            log.append(StructureChange(target, _("성과지표"), None, _("추가")))
        fields = {k: v for k, v in spec.items() if k != "targets"} | {"order": order}
        _set(indicator, fields, log, target, user)
        targets = {t.year: t for t in indicator.targets.all()} if indicator.pk else {}
        for year, value in spec["targets"].items():
            existing = targets.pop(year, None) or IndicatorTarget(indicator=indicator, year=year)
            _set(existing, {"value": value}, log, f"{target} {year}", user)
        for leftover in targets.values():
            log.append(
                StructureChange(f"{target} {leftover.year}", _("목표값"), leftover.value, None)
            )
            leftover._history_user = user
            leftover.delete()
