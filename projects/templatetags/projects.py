from django import template
from django.utils.translation import gettext_lazy as _

from projects.choices import ProjectStatus
from projects.tables import million_won

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The Korean label of a project status value (for annotated values that have no display)."""
    try:
        return ProjectStatus(value).label
    except ValueError:
        return value


@register.filter
def million(value) -> str:
    """Whole won as 백만원 with one decimal (1,234.5)."""
    if value is None:
        return "—"
    return million_won(value)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:,.1f}%"


HISTORY_TYPES = {"+": _("작성"), "~": _("수정"), "-": _("삭제")}


@register.filter
def history_type(value: str) -> str:
    return HISTORY_TYPES.get(value, value)
