"""Writing the quarterly reports of an uploaded template: every row in one transaction, with
the period, the reports and their results read once for the whole file.

The import has checked every value with `report_check` at its preview; here the rules that
can change between the preview and now are checked again (who may file, the period, that
nobody saved the report meanwhile). Each report is saved on its own, so its history names the
importing user as a form's save does; indicator results are written in bulk with history.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from .. import permissions
from ..models import ProgressReport, Project, ReportingPeriod, User
from .filings import REPORT_FIELDS, ConflictError, apply_values, edit_refusal, results_save

VERSION_CHECK_BATCH = 200  # (id, version) pairs per UPDATE: SQLite limits expression depth


@dataclass(frozen=True)
class ReportUpload:
    """One report of an upload: checked values, indicator id → value (None clears it), and
    the version the file was made from (None for a report that did not exist then)."""

    project: Project
    values: dict
    results: dict[int, Decimal | None]
    version: int | None


@transaction.atomic
def reports_import(*, user: User, year: int, quarter: int, rows: list[ReportUpload]) -> int:
    """Create or update the drafts of the uploaded reports; all of them, or none."""
    if not rows:
        return 0
    period = (
        ReportingPeriod.objects.prefetch_related("extensions")
        .filter(year=year, quarter=quarter)
        .first()
    )
    stored = {
        r.project_id: r
        for r in ProgressReport.objects.select_for_update()
        .filter(project__in=[row.project.pk for row in rows], year=year, quarter=quarter)
        .prefetch_related("results")
    }
    reports, stored_before = [], []
    for row in rows:
        permissions.check_may_file(user, row.project)
        report = stored.get(row.project.pk)
        if (report.version if report else None) != row.version:
            raise ConflictError
        stored_before.append(report is not None)
        if report is None:
            report = ProgressReport(project=row.project, year=year, quarter=quarter, version=1)
        report.project = row.project
        refusal = edit_refusal(user=user, filing=report, period=period)
        if refusal:
            raise ValidationError(refusal)
        apply_values(report, row.values, REPORT_FIELDS)
        report.edited_by = user
        reports.append(report)
    _bump_versions([r for r in reports if r.pk is not None])
    try:
        for report in reports:
            report._history_user = user
            report.save()
    except IntegrityError:
        raise ConflictError from None  # someone created one of these reports meanwhile
    results = [row.results for row in rows]
    results_save(list(zip(reports, results, stored_before, strict=True)), user=user)
    return len(rows)


def _bump_versions(reports: list[ProgressReport]) -> None:
    """The optimistic lock of every stored report at once: each version moves on only if it is
    still the one the file was made from; otherwise nothing is written (see _save_versioned)."""
    for start in range(0, len(reports), VERSION_CHECK_BATCH):
        batch = reports[start : start + VERSION_CHECK_BATCH]
        loaded = Q()
        for report in batch:
            loaded |= Q(pk=report.pk, version=report.version)
        bumped = ProgressReport.objects.filter(loaded).update(version=F("version") + 1)
        if bumped != len(batch):
            raise ConflictError
        for report in batch:
            report.version += 1
