"""Exports of the list pages as they are filtered: /projects/ and /review/."""

from django.utils.translation import gettext as _

from ..choices import ProjectStatus
from .format import MILLION_WON, PERCENT, Col, fraction, labels, local_time, single_sheet


def project_list_workbook(projects) -> bytes:
    """/projects/ as filtered: one row per project (queryset from selectors.project_list)."""
    columns = [
        Col(_("코드")),
        Col(_("사업명"), width=40),
        Col(_("전략방향"), width=30),
        Col(_("전략과제"), width=30),
        Col(_("주관부서")),
        Col(_("시작 연도")),
        Col(_("종료 연도")),
        Col(_("최근 추진상태")),
        Col(_("진척률"), PERCENT),
        Col(_("총사업비"), MILLION_WON),
    ]
    status_label = labels(ProjectStatus)
    rows = (
        [
            p.code, p.name, p.task.direction.name, p.task.name, p.lead_department.name,
            p.start_year, p.end_year, status_label.get(p.latest_status, ""),
            fraction(p.latest_progress), p.cost_total,
        ]
        for p in projects
    )  # fmt: skip
    return single_sheet(_("사업"), columns, rows)


def review_queue_workbook(queue: dict) -> bytes:
    """/review/: the submissions waiting for review."""
    columns = [
        Col(_("구분")),
        Col(_("코드")),
        Col(_("사업명"), width=40),
        Col(_("연도")),
        Col(_("분기")),
        Col(_("주관부서")),
        Col(_("제출자")),
        Col(_("제출 일시"), width=17),
        Col(_("지연제출")),
    ]
    kinds = {"report": _("분기 실적"), "plan": _("시행계획")}
    rows = (
        [
            kinds[kind], f.project.code, f.project.name, f.year, getattr(f, "quarter", None),
            f.project.lead_department.name, str(f.submitted_by or ""), local_time(f.submitted_at),
            f.submitted_late,
        ]
        for kind in ("report", "plan")
        for f in queue[f"{kind}s"]
    )  # fmt: skip
    return single_sheet(_("검토 대기"), columns, rows)
