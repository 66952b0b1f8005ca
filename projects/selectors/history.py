"""What changed, field by field: versions kept by django-simple-history, compared with its
own `diff_against`, and labelled for people (verbose names, choice labels, 백만원, names).

Every history list reads its versions in one query (with the people and related records
they name joined) and compares neighbours in memory, so a list costs the same whatever the
number of versions."""

import re
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import models
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject

from ..models import Department, Filing, IndicatorResult, IndicatorTarget, ProgressReport, Project

# Never shown as a change: identity, counters and timestamps (each version carries its own
# date and author), the keys of the warnings a submitter ticked (the page shows those in
# words), a plan change's snapshot of its plan (its page shows it as 당초), and many-to-many
# fields (simple-history compares them with a query per version).
BOOKKEEPING = {"id", "version", "created_at", "updated_at", "acknowledged_warnings", "original"}
MONEY_PREFIXES = ("cost_", "budget_", "spent_")
UNIT_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")  # "예산 국비(원)" → "예산 국비"

# What a reviewer compares between the version they were shown and the one stored now (a
# 409): what the department writes, and the state; not the stamps and counters around it.
NOT_COMPARED = BOOKKEEPING | {
    "project", "year", "quarter", "edited_by", "submitted_by", "submitted_at",
    "submitted_late", "reviewed_by", "reviewed_at", "review_comment", "reopened_by",
    "reopened_at", "signed_off_by", "signed_off_at",
}  # fmt: skip
# A filing's history and side-by-side view leave out when each step happened (the version's
# own date says it) and what never changes (the project and period).
FILING_NOT_SHOWN = BOOKKEEPING | {
    "project", "year", "quarter", "submitted_at", "reviewed_at", "reopened_at", "signed_off_at",
}  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One field of a version: its label, old and new value as shown, and how to show them
    (`money` in 백만원, `text` with line breaks, `number` as the report shows an indicator
    value, else as is)."""

    label: str
    old: object
    new: object
    kind: str = "plain"
    changed: bool = True


@dataclass
class Version:
    """One stored version of a record with what changed since the one before it."""

    record: object  # the historical row (history_date, history_user, history_type, …)
    subject: str  # what the record is, on a list mixing several kinds
    changes: list[Change] = field(default_factory=list)


def _model_field(model, name: str) -> models.Field:
    return model._meta.get_field(name)


def shown_fields(model) -> list[models.Field]:
    """The model's fields in the order a person reads them: what the record says, then its
    money, then the workflow stamps of a plan or report (its Filing fields)."""
    workflow = {f.name for f in Filing._meta.fields}
    return sorted(model._meta.fields, key=lambda f: (f.name in workflow, _kind(f) == "money"))


def _kind(model_field: models.Field) -> str:
    if model_field.name.startswith(MONEY_PREFIXES) and isinstance(
        model_field, models.BigIntegerField
    ):
        return "money"
    if isinstance(model_field, models.TextField):
        return "text"
    return "plain"


def _label(model_field: models.Field) -> str:
    label = str(model_field.verbose_name)
    return UNIT_SUFFIX.sub("", label) if _kind(model_field) == "money" else label


def shown_value(model_field: models.Field, value):
    """A stored value as a person reads it: a choice's label, yes/no, a related record by its
    name (a person by name), a missing one as —."""
    if value is None or value == "" and not model_field.choices:
        return None
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("예") if value else _("아니요")
    if isinstance(value, DeletedObject):  # diff_against's stand-in for a missing record
        return None if value.pk is None else _("(삭제된 자료)")
    return value


def version_changes(new, old, *, model, excluded=BOOKKEEPING) -> list[Change]:
    """What changed from historical row `old` to `new` (simple-history's diff_against), in
    the model's field order, labelled. Related records come from the rows themselves: read
    them with select_related (see `related_fields`) and this makes no query."""
    delta = new.diff_against(old, excluded_fields=excluded | m2m_names(model),
                             foreign_keys_are_objs=True)  # fmt: skip
    order = {f.name: n for n, f in enumerate(shown_fields(model))}
    changes = []
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, len(order))):
        model_field = _model_field(model, change.field)
        changes.append(
            Change(
                _label(model_field),
                shown_value(model_field, change.old),
                shown_value(model_field, change.new),
                _kind(model_field),
            )
        )
    return changes


def side_by_side(a, b, *, model, excluded=FILING_NOT_SHOWN) -> list[Change]:
    """Every compared field of two historical rows of one record, `changed` marking the
    ones that differ (diff_against decides which)."""
    changed = {
        c.field for c in b.diff_against(a, excluded_fields=excluded | m2m_names(model)).changes
    }
    rows = []
    for model_field in shown_fields(model):
        if model_field.name in excluded:
            continue
        name = model_field.name
        rows.append(
            Change(
                _label(model_field),
                shown_value(model_field, getattr(a, name)),
                shown_value(model_field, getattr(b, name)),
                _kind(model_field),
                changed=name in changed,
            )
        )
    return rows


def m2m_names(model) -> set[str]:
    return {f.name for f in model._meta.many_to_many}


def related_fields(model, excluded=BOOKKEEPING) -> list[str]:
    """The foreign keys a history list shows by name: joined in the versions' own query."""
    return [
        f.name
        for f in model._meta.fields
        if isinstance(f, models.ForeignKey) and f.name not in excluded
    ]


def versions(history, *, model, limit: int, subject: str = "", excluded=BOOKKEEPING, read: int = 0):
    """The latest `limit` versions of a `history` manager or queryset (of one record or of
    several), newest first, each with its changes since that record's version before it: one
    query, whatever the number of versions. The window read is `read` rows (by default twice
    `limit`; one record's history needs only one more than `limit`). (The oldest version of a
    record whose previous one is outside the window shows no changes.)"""
    rows = list(
        history.select_related("history_user", *related_fields(model, excluded)).order_by(
            "-history_date", "-history_id"
        )[: read or limit * 2]
    )
    shown = {row.history_id for row in rows[:limit]}
    by_record: dict = {}
    for row in rows:
        by_record.setdefault(row.id, []).append(row)
    listed = {}
    for record_rows in by_record.values():
        for newer, older in pairwise([*record_rows, None]):
            if newer.history_id not in shown:
                continue  # read only as the version before a shown one
            entry = Version(newer, subject)
            if older is not None:
                entry.changes = version_changes(newer, older, model=model, excluded=excluded)
            listed[newer.history_id] = entry
    return [listed[row.history_id] for row in rows[:limit]]


def filing_history(filing, *, limit: int = 20) -> list[Version]:
    """A plan's or report's versions, newest first, with what each changed."""
    if filing is None or filing.pk is None:
        return []
    model = type(filing)
    listed = versions(
        filing.history, model=model, limit=limit, excluded=FILING_NOT_SHOWN, read=limit + 1
    )
    results = ReportResults.of(filing)
    if results:
        # A save's indicator values against the version before it (newest first: the next
        # entry is the one before, and the oldest version read has nothing to compare with).
        starts = _version_starts(entry.record for entry in listed)
        for entry, older in pairwise([*listed, None]):
            number = entry.record.version
            if older is not None and older.record.version != number:
                entry.changes += results.changes(older.record.version, number, starts)
    return listed


def filing_changes(filing, *, since_version: int) -> list[Change]:
    """What changed since the version a reviewer was shown (a 409), from the filing's history;
    empty when that version is not in it."""
    model = type(filing)
    rows = {
        row.version: row
        for row in filing.history.filter(version__in=[since_version, filing.version])
        .select_related(*related_fields(model, NOT_COMPARED))
        .order_by("history_date", "history_id")
    }
    if since_version not in rows or filing.version not in rows:
        return []
    changes = version_changes(
        rows[filing.version], rows[since_version], model=model, excluded=NOT_COMPARED
    )
    results = ReportResults.of(filing)
    if results:
        starts = _version_starts(filing.history.filter(version__gt=since_version))
        changes += results.changes(since_version, filing.version, starts)
    return changes


PROJECT_HISTORY_SHOWN = 20


def project_history(*, project: Project, limit: int = PROJECT_HISTORY_SHOWN) -> list[Version]:
    """변경 이력 of a project page: the project, its indicators' yearly targets and its lead
    department, newest first (four queries, whatever the number of versions)."""
    indicator_names = {i.pk: i.name for i in project.indicators.all()}
    targets = versions(
        IndicatorTarget.history.filter(indicator_id__in=list(indicator_names)),
        model=IndicatorTarget,
        limit=limit,
        excluded=BOOKKEEPING | {"indicator", "year"},
    )
    for entry in targets:
        entry.subject = _("%(indicator)s %(year)s년 목표") % {
            "indicator": indicator_names.get(entry.record.indicator_id, ""),
            "year": entry.record.year,
        }
    department = project.lead_department
    listed = [
        *versions(
            project.history, model=Project, limit=limit, subject=_("사업 정보"), read=limit + 1
        ),
        *targets,
        *versions(
            department.history, model=Department, limit=limit, read=limit + 1,
            subject=_("주관부서 %(name)s") % {"name": department.name},
        ),
    ]  # fmt: skip
    listed.sort(key=lambda v: (v.record.history_date, v.record.history_id), reverse=True)
    return listed[:limit]


class VersionNotFound(LookupError):
    """A version number the filing never had (the message says which it has)."""


def compare_versions(filing, a: int | None, b: int | None) -> dict:
    """Two versions of a filing side by side (a and b are version numbers; by default the
    latest and the one before b). A number the filing never had: VersionNotFound."""
    model = type(filing)
    rows = list(
        filing.history.select_related(
            "history_user", *related_fields(model, FILING_NOT_SHOWN)
        ).order_by("history_date", "history_id")
    )
    numbered = {row.version: row for row in rows}  # the latest row of each number
    if not numbered:
        raise VersionNotFound(_("이 문서에는 저장된 버전이 없습니다."))
    numbers = sorted(numbered)
    b = numbers[-1] if b is None else b
    if a is None:  # the version before b
        a = max([n for n in numbers if n < b], default=b)
    for asked in (a, b):
        if asked not in numbered:
            raise VersionNotFound(
                _("%(version)s번 버전은 없습니다. 있는 버전: %(first)s~%(last)s")
                % {"version": asked, "first": numbers[0], "last": numbers[-1]}
            )
    compared = side_by_side(numbered[a], numbered[b], model=model)
    results = ReportResults.of(filing)
    if results:
        compared += results.side_by_side(a, b, _version_starts(rows))
    return {"a": numbered[a], "b": numbered[b], "numbers": numbers, "rows": compared}


# --- A report's indicator values by version ---------------------------------------------------
#
# A report's indicator values (IndicatorResult) keep a history of their own. A save writes the
# report (its version moves on) and then its values, in one transaction; so the values of
# version N are the ones stored before version N+1's first row.


def _version_starts(rows) -> dict[int, object]:
    """Version number → when its first historical row was written, from some of a filing's
    rows (every row of each version after the oldest one needed: they are the newer ones)."""
    starts: dict = {}
    for row in rows:
        if row.version not in starts or row.history_date < starts[row.version]:
            starts[row.version] = row.history_date
    return starts


@dataclass
class ReportResults:
    """Every stored value of one report's indicators, oldest first (one query): what each
    version of the report said, indicator by indicator."""

    rows: list  # (indicator id, label, value, history type, history date)

    @classmethod
    def of(cls, filing) -> "ReportResults | None":
        if not isinstance(filing, ProgressReport) or filing.pk is None:
            return None
        rows = IndicatorResult.history.filter(report_id=filing.pk).order_by(
            "history_date", "history_id"
        )
        return cls([
            (indicator, _result_label(name, unit), value, kind, when)
            for indicator, name, unit, value, kind, when in rows.values_list(
                "indicator_id", "indicator__name", "indicator__unit", "value", "history_type",
                "history_date",
            )
        ])  # fmt: skip

    def __bool__(self) -> bool:
        return bool(self.rows)

    def values_at(self, version: int, starts: dict) -> dict[int, tuple]:
        """Indicator id → (label, value) as version `version` stood: its values stored before
        the next version's first row (every value stored so far for the latest version)."""
        later = [when for number, when in starts.items() if number > version]
        until = min(later, default=None)
        values: dict = {}
        for indicator, label, value, kind, when in self.rows:
            if until is not None and when >= until:
                break
            if kind == "-":
                values.pop(indicator, None)
            else:
                values[indicator] = (label, value)
        return values

    def side_by_side(self, a: int, b: int, starts: dict) -> list[Change]:
        """Each indicator of either version, its value in a and in b, `changed` marking the
        ones that differ."""
        old, new = self.values_at(a, starts), self.values_at(b, starts)
        rows = []
        for indicator in sorted(old.keys() | new.keys()):
            label = (new.get(indicator) or old[indicator])[0]
            before, after = (
                old.get(indicator, (label, None))[1],
                new.get(indicator, (label, None))[1],
            )
            rows.append(Change(label, before, after, "number", changed=before != after))
        return rows

    def changes(self, a: int, b: int, starts: dict) -> list[Change]:
        """The indicator values that changed from version a to version b."""
        return [row for row in self.side_by_side(a, b, starts) if row.changed]


def _result_label(name: str | None, unit: str | None) -> str:
    if name is None:  # the indicator was deleted since
        return _("(삭제된 성과지표) 실적")
    return _("%(indicator)s 실적 (%(unit)s)") % {"indicator": name, "unit": unit}
