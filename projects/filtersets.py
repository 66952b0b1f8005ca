"""Filters of the list pages (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategies.models import Direction, Phase, Task

from .choices import ProjectStatus
from .models import Department, Project


class ProjectFilterSet(django_filters.FilterSet):
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
        label=_("최근 추진상태"), field_name="latest_status", choices=ProjectStatus.choices
    )
    year = django_filters.NumberFilter(label=_("추진 연도"), method="running_in")

    class Meta:
        model = Project
        fields = ["q", "direction", "task", "department", "phase", "status", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(summary__icontains=value)
        )

    def running_in(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)
