"""The meeting workbook's `연차평가` sheet, in the workbook of a year's fourth quarter only: one
row per project running that year with its year-end evaluation (selectors.evaluation_table).

Approved data only, as every sheet the committee reads: a department's proposed grade once it
submitted its self-evaluation, the grade and its comment once given; blank otherwise."""

from django.utils.translation import gettext_lazy as _l

from .. import selectors
from ..choices import Grade
from .format import Col, SheetWriter, labels

SHEET_NAME = "연차평가"
COLUMNS = [
    Col(_l("전략방향"), wrap=True, width=18), Col(_l("전략과제"), wrap=True, width=20),
    Col(_l("코드")), Col(_l("사업명"), wrap=True, width=26), Col(_l("주관부서")),
    Col(_l("자체 평가 등급"), width=9), Col(_l("평가 등급"), width=9),
    Col(_l("평가 의견"), wrap=True, width=40),
]  # fmt: skip


def evaluation_sheet(workbook, heading, plan, year: int) -> None:
    sheet = SheetWriter(workbook, SHEET_NAME, COLUMNS, heading=heading)
    grade_label = labels(Grade)
    for p in selectors.evaluation_table(plan=plan, year=year).rows:
        sheet.add(
            [
                str(p.task.direction), str(p.task), p.code, p.name, p.lead_department.name,
                grade_label.get(p.proposed_grade or "", ""), grade_label.get(p.grade or "", ""),
                p.grade_comment if p.grade else "",
            ]
        )  # fmt: skip
    sheet.close()
