"""Filters of the list pages (django-filter)."""

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategies.models import Direction, Phase, Task

from .choices import ProjectStatus
from .models import Department, Project
from .selectors import FILED_STATES, with_period_figures

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
        label=_("그 분기 제출"),
        choices=[("yes", _("제출함")), ("no", _("미제출"))],
        method="by_filing",
    )

    class Meta:
        model = Project
        fields = ["q", "direction", "task", "department", "phase", "status", "year", "period"]

    def _period(self) -> tuple[int, int] | None:
        match = PERIOD.match(self.form.cleaned_data.get("period") or "")
        return (int(match[1]), int(match[2])) if match else None

    def filter_queryset(self, queryset):
        period = self._period()
        if period:
            queryset = with_period_figures(queryset, year=period[0], quarter=period[1]).filter(
                start_year__lte=period[0], end_year__gte=period[0]
            )
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(summary__icontains=value)
        )

    def running_in(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)

    def in_period(self, queryset, name, value):
        return queryset  # applied in filter_queryset, before status and filed

    def by_status(self, queryset, name, value):
        field = "period_status" if self._period() else "latest_status"
        if value == NO_APPROVED_REPORT:
            return queryset.filter(**{f"{field}__isnull": True})
        return queryset.filter(**{field: value})

    def by_filing(self, queryset, name, value):
        if not self._period():
            return queryset
        filed = Q(period_state__in=FILED_STATES)
        return queryset.filter(filed if value == "yes" else ~filed | Q(period_state__isnull=True))
