"""Filters of the list pages (django-filter)."""

import re

import django_filters
from django.db.models import Q
from django.forms import CheckboxInput
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strategies.models import Direction, Phase, Task

from .choices import FilingState, Origin, ProjectEnd, ProjectStatus
from .models import Department, ProgressReport, Project
from .selectors import FILED_STATES, running_in, with_period_figures

NO_APPROVED_REPORT = "none"
PERIOD = re.compile(r"^(\d{4})-([1-4])$")


class ProjectFilterSet(django_filters.FilterSet):
    """Filters of /projects/. With `period=2026-3`, status and `filed` refer to that quarter's
    report (what the dashboard counts); without it, status is the latest approved one."""

    q = django_filters.CharFilter(label=_("검색"), method="search")
    direction = django_filters.ModelChoiceFilter(
        label=_("전략방향"), field_name="task__direction", queryset=Direction.objects.all()
    )
    task = django_filters.ModelChoiceFilter(label=_("전략과제"), queryset=Task.objects.all())
    department = django_filters.ModelChoiceFilter(
        label=_("주관부서"), field_name="lead_department", queryset=Department.objects.all()
    )
    phase = django_filters.ModelChoiceFilter(
        label=_("추진단계"), field_name="phases", queryset=Phase.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("추진상태"),
        choices=[*ProjectStatus.choices, (NO_APPROVED_REPORT, _("승인된 실적 없음"))],
        method="by_status",
    )
    year = django_filters.NumberFilter(label=_("추진 연도"), method="running_in")
    period = django_filters.CharFilter(label=_("분기 (예: 2026-3)"), method="in_period")
    filed = django_filters.ChoiceFilter(
        label=_("해당 분기 제출"),
        choices=[("yes", _("제출함")), ("no", _("미제출"))],
        method="by_filing",
    )
    change = django_filters.ChoiceFilter(
        label=_("사업 변동"),
        choices=[
            ("ended", _("종료된 사업")),
            ("active", _("종료되지 않은 사업")),
            ("added", _("위원회 제안으로 추가")),
        ],
        method="by_change",
    )

    class Meta:
        model = Project
        fields = [
            "q", "direction", "task", "department", "phase", "status", "year", "period", "change",
        ]  # fmt: skip

    def _period(self) -> tuple[int, int] | None:
        match = PERIOD.match(self.form.cleaned_data.get("period") or "")
        return (int(match[1]), int(match[2])) if match else None

    def filter_queryset(self, queryset):
        period = self._period()
        if period:
            queryset = with_period_figures(queryset, year=period[0], quarter=period[1]).filter(
                running_in(period[0], period[1])
            )
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(summary__icontains=value)
        )

    def running_in(self, queryset, name, value):
        return queryset.filter(running_in(int(value)))

    def by_change(self, queryset, name, value):
        if value == "ended":
            return queryset.filter(ended_on__isnull=False)
        if value == "active":
            return queryset.filter(ended_on__isnull=True)
        return queryset.filter(origin=Origin.PROPOSAL)

    def in_period(self, queryset, name, value):
        return queryset  # applied in filter_queryset, before status and filed

    def by_status(self, queryset, name, value):
        if self._period():
            field = "period_status"
        else:
            # An ended project's state is its end, not its last report's status (a project
            # suspended after a 정상 report was listed under 정상, and not under 중단).
            field = "latest_status"
            if value == ProjectStatus.DROPPED:
                return queryset.filter(
                    Q(end_kind="", latest_status=value) | Q(end_kind=ProjectEnd.SUSPENDED)
                )
            queryset = queryset.filter(end_kind="")
        if value == NO_APPROVED_REPORT:
            return queryset.filter(**{f"{field}__isnull": True})
        return queryset.filter(**{field: value})

    def by_filing(self, queryset, name, value):
        if not self._period():
            return queryset
        filed = Q(period_state__in=FILED_STATES)
        return queryset.filter(filed if value == "yes" else ~filed | Q(period_state__isnull=True))


# 부서 확인 대기 too: what is coming once the departments' heads have signed it off.
QUEUE_STATES = (
    FilingState.SUBMITTED,
    FilingState.SIGNOFF,
    FilingState.RETURNED,
    FilingState.APPROVED,
)


def quarter_choices() -> list[tuple[int, str]]:
    return [(q, gettext("%(quarter)s분기") % {"quarter": q}) for q in range(1, 5)]


class ReviewFilterSet(django_filters.FilterSet):
    """Filters of /review/, applied to its plans and to its reports (a filter that only a
    report answers — quarter, status — leaves no plan). Without `state`, what waits for
    review (제출)."""

    department = django_filters.ModelChoiceFilter(
        label=_("주관부서"), field_name="project__lead_department",
        queryset=Department.objects.all(),
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(
        label=_("종류"), choices=[("report", _("분기 실적")), ("plan", _("시행계획"))],
        method="of_kind",
    )  # fmt: skip
    year = django_filters.NumberFilter(label=_("연도"), field_name="year")
    quarter = django_filters.ChoiceFilter(
        label=_("분기"), choices=quarter_choices, method="reports_only"
    )
    state = django_filters.ChoiceFilter(
        label=_("처리 상태"), choices=[(s.value, s.label) for s in QUEUE_STATES],
        empty_label=None, method="in_state",
    )  # fmt: skip
    status = django_filters.ChoiceFilter(
        label=_("추진상태"), choices=ProjectStatus.choices, method="reports_only"
    )
    late = django_filters.BooleanFilter(
        label=_("지연제출만"), widget=CheckboxInput, method="late_only"
    )
    warned = django_filters.BooleanFilter(
        label=_("확인한 경고가 있는 것만"), widget=CheckboxInput, method="warned_only"
    )

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(state=FilingState.SUBMITTED)
        return super().filter_queryset(queryset)

    def of_kind(self, queryset, name, value):
        kind = "report" if queryset.model is ProgressReport else "plan"
        return queryset if value == kind else queryset.none()

    def reports_only(self, queryset, name, value):
        if queryset.model is not ProgressReport:
            return queryset.none()
        return queryset.filter(**{name: value})

    def in_state(self, queryset, name, value):
        return queryset.filter(state=value)

    def late_only(self, queryset, name, value):
        return queryset.filter(submitted_late=True) if value else queryset

    def warned_only(self, queryset, name, value):
        return queryset.exclude(acknowledged_warnings=[]) if value else queryset
