"""Tables of the list pages (django-tables2)."""

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .choices import Grade
from .models import Project


class ProjectTable(tables.Table):
    """The project list's columns: headers, sorting and paging. Its rows are written in
    templates/projects/_table.html (see there why), one cell per column of `sequence`."""

    code = tables.Column(verbose_name=_("코드"))
    name = tables.Column(verbose_name=_("사업명"))
    task = tables.Column(verbose_name=_("전략과제"), order_by=("task__number",))
    lead_department = tables.Column(verbose_name=_("주관부서"), order_by=("lead_department__name",))
    years = tables.Column(verbose_name=_("기간"), order_by=("start_year", "end_year"))
    latest_status = tables.Column(verbose_name=_("최근 추진상태"))
    latest_progress = tables.Column(verbose_name=_("진척률(%)"))
    cost = tables.Column(verbose_name=_("총사업비(백만원)"), order_by=("cost_sum",))

    class Meta:
        model = Project
        fields = []
        sequence = [
            "code",
            "name",
            "task",
            "lead_department",
            "years",
            "latest_status",
            "latest_progress",
            "cost",
        ]
        attrs = {"class": "table table--cards table--sortable"}
        order_by = "code"
        empty_text = _("조건에 맞는 사업이 없습니다.")

    def order_cost(self, queryset, is_descending):
        total = (
            F("cost_national") + F("cost_provincial") + F("cost_city")
            + F("cost_private") + F("cost_other")
        )  # fmt: skip
        queryset = queryset.annotate(cost_sum=total).order_by(
            ("-" if is_descending else "") + "cost_sum"
        )
        return queryset, True


class ReportQueueTable(tables.Table):
    """/review/'s reports: headers, sorting and paging; rows are written in
    templates/projects/_queue.html (as the project list's are), one cell per column."""

    pick = tables.Column(verbose_name=_("선택"), empty_values=(), orderable=False)
    department = tables.Column(
        verbose_name=_("주관부서"), accessor="project__lead_department",
        order_by=("project__lead_department__name", "project__code"),
    )  # fmt: skip
    project = tables.Column(verbose_name=_("사업"), order_by=("project__code",))
    period = tables.Column(verbose_name=_("기간"), empty_values=(), order_by=("year", "quarter"))
    state = tables.Column(verbose_name=_("처리 상태"))
    progress = tables.Column(verbose_name=_("진척률(%)"))
    status = tables.Column(verbose_name=_("추진상태"))
    late = tables.Column(verbose_name=_("지연"), accessor="submitted_late")
    submitted_at = tables.Column(verbose_name=_("제출 일시"))
    # Waiting longer is submitted earlier.
    waiting = tables.Column(
        verbose_name=_("대기 일수"), empty_values=(), order_by=("-submitted_at",)
    )
    warnings = tables.Column(verbose_name=_("확인한 경고"), empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table table--cards table--sortable table--queue"}
        order_by = "submitted_at"
        empty_text = _("조건에 맞는 문서가 없습니다.")


class PlanQueueTable(ReportQueueTable):
    """/review/'s plans: a year each, without a progress or a status."""

    period = tables.Column(verbose_name=_("기간"), empty_values=(), order_by=("year",))
    progress = None
    status = None

    class Meta(ReportQueueTable.Meta):
        pass


class EvaluationRowsTable(tables.Table):
    """/evaluations/'s rows: one project of the year each, with its evaluation as others may
    read it (selectors.with_evaluation)."""

    code = tables.Column(verbose_name=_("코드"), attrs={"td": {"class": "code"}})
    name = tables.Column(verbose_name=_("사업명"))
    direction = tables.Column(verbose_name=_("전략방향"), accessor="task__direction__code")
    task = tables.Column(verbose_name=_("전략과제"), accessor="task__code")
    lead_department = tables.Column(verbose_name=_("주관부서"), accessor="lead_department__name")
    submitted = tables.Column(
        verbose_name=_("자체평가"), accessor="evaluation_submitted_at", empty_values=()
    )
    proposed_grade = tables.Column(verbose_name=_("자체 평가 등급"), empty_values=())
    grade = tables.Column(verbose_name=_("평가 등급"), empty_values=())

    class Meta:
        attrs = {"class": "table table--cards table--sortable evaluations"}
        order_by = "code"
        empty_text = _("이 해에 추진한 사업이 없습니다.")

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def render_name(self, value, record):
        url = reverse("projects:evaluation", args=[record.code, self.year])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_submitted(self, value):
        return _("제출") if value else _("미제출")

    def render_proposed_grade(self, value):
        return _grade_badge(value)

    def render_grade(self, value):
        return _grade_badge(value, unset=_("미평가"))


def _grade_badge(value, unset="—"):
    if not value:
        return unset
    return format_html(
        '<span class="krds-badge grade grade--{}">{}</span>', value, Grade(value).label
    )
