from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from projects.charts import clamp
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


@register.filter
def bar(value) -> str:
    """A percentage as an SVG length (0–100), with a dot as decimal mark whatever the locale."""
    return f"{clamp(value):.2f}"


STATUS_SHORT = {
    "on_track": "정",
    "delayed": "지",
    "at_risk": "부",
    "completed": "완",
    "not_started": "미",
    "on_hold": "보",
    "dropped": "중",
}
STATE_SHORT = {"submitted": "제", "draft": "작", "returned": "요", "approved": "승"}


@register.filter
def status_short(value: str) -> str:
    """One-letter status for the dense grid (the legend under it spells them out)."""
    return STATUS_SHORT.get(value, "")


@register.filter
def state_short(value: str) -> str:
    return STATE_SHORT.get(value, "")


@register.filter
def per_mille(value) -> str:
    """A percentage placed on a 0–1000 SVG axis."""
    return f"{clamp(value) * 10:.1f}"


@register.filter
def local_name(obj) -> str:
    """A direction's or task's English name on English pages (when it has one)."""
    english = getattr(obj, "name_en", "")
    return english if english and get_language() == "en" else obj.name


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """This page's query string with `param` set to `number` (the other filters kept)."""
    query = context["request"].GET.copy()
    query[param] = number
    return query.urlencode()
