"""Exports of the list pages as they are filtered: /projects/ and /review/."""

from django.utils.translation import gettext as _

from ..choices import FilingState, ProjectStatus
from .format import COLUMNS, fraction, labels, local_time, single_sheet


def project_list_workbook(projects) -> bytes:
    """/projects/ as filtered: one row per project (queryset from selectors.project_list)."""
    status_label = labels(ProjectStatus)
    rows = (
        [
            p.code, p.name, p.task.direction.name, p.task.name, p.lead_department.name,
            p.start_year, p.end_year, _state(p, status_label),
            fraction(p.latest_progress), p.cost_total,
        ]
        for p in projects
    )  # fmt: skip
    return single_sheet(_("사업"), COLUMNS["사업"], rows)


def _state(project, status_label: dict) -> str:
    """Its latest approved status, or its end (e.g. "중단 (2025-06-30)") once it has ended."""
    if project.end_kind:
        return f"{project.get_end_kind_display()} ({project.ended_on.isoformat()})"
    return status_label.get(project.latest_status, "")


def review_queue_workbook(queue: dict, changes=()) -> bytes:
    """/review/ as filtered: its reports, then its plans, then the plan changes waiting for
    review that the page lists beside them (`changes`); each as selectors.for_review leaves it
    when it has been through it: days late and waiting, the acknowledged warnings."""
    kinds = {"report": _("분기 실적"), "plan": _("시행계획")}
    state_label, status_label = labels(FilingState), labels(ProjectStatus)
    listed = [(kinds[kind], f) for kind in ("report", "plan") for f in queue[f"{kind}s"]]
    listed += [(_("변경계획(%(kind)s)") % {"kind": c.get_kind_display()}, c) for c in changes]
    rows = (
        [
            label, f.project.code, f.project.name, f.year, getattr(f, "quarter", None),
            f.project.lead_department.name, str(f.submitted_by or ""), local_time(f.submitted_at),
            f.submitted_late, state_label.get(f.state, ""), fraction(getattr(f, "progress", None)),
            status_label.get(getattr(f, "status", ""), ""), getattr(f, "days_late", None) or None,
            getattr(f, "days_waiting", None),
            "\n".join(w.message for w in getattr(f, "warnings", [])),
        ]
        for label, f in listed
    )  # fmt: skip
    return single_sheet(_("검토 대기"), COLUMNS["검토 대기"], rows)
