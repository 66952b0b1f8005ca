import math
from functools import cache

from django import template
from django.template.defaultfilters import floatformat, linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from projects.charts import clamp
from projects.choices import FilingState, ProjectStatus
from projects.numbers import million_won, to_tenth
from projects.selectors import EndedCell

register = template.Library()


@register.filter
def datetime_attr(value) -> str:
    """A moment as a valid <time datetime> value: local time to the second with its offset
    (Django's `date:'c'` keeps microseconds, which HTML does not allow)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


@register.filter
def status_label(value: str) -> str:
    """The Korean label of a project status value (for annotated values that have no display)."""
    try:
        return ProjectStatus(value).label
    except ValueError:
        return value


@register.filter
def state_label(value: str) -> str:
    """The label of a filing state value (for annotated values that have no display)."""
    return _labels(get_language()).get(value, value)


@register.filter
def keep_words(text) -> str:
    """Text whose words never break inside (WeasyPrint breaks Korean between any two
    syllables, and knows no `word-break: keep-all`)."""
    return format_html_join(" ", '<span class="keep">{}</span>', ((w,) for w in str(text).split()))


@register.simple_tag
def status_count(figures: dict | None, key: str) -> int:
    """A selectors.task_totals row's count of one status ("" for no approved report)."""
    return figures["statuses"].get(key or None, 0) if figures else 0


@register.filter
def million(value) -> str:
    """Whole won as 백만원 with one decimal (1,234.5)."""
    if value is None:
        return "—"
    return million_won(value)


@register.filter
def change_value(value, kind: str):
    """One side of a change (old or new value) in a history or comparison: — for nothing, an
    amount in 백만원, a text with its line breaks; anything else as it is (the template
    localises and escapes it). A filter rather than an include: a report's history shows
    up to 20 versions with a few changes each, and an include per value was a quarter of its
    page's time."""
    if value is None:
        return mark_safe('<span class="muted">—</span>')
    if kind == "money":
        return format_html('{} <span class="muted">{}</span>', million(value), gettext("백만원"))
    if kind == "text":
        return linebreaksbr(value, autoescape=True)
    if kind == "number":  # as the report shows an indicator's value
        return floatformat(value, "-2")
    return value


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{to_tenth(value):,}%"


HISTORY_TYPES = {"+": _("작성"), "~": _("수정"), "-": _("삭제")}


@register.filter
def history_type(value: str) -> str:
    return HISTORY_TYPES.get(value, value)


# services.filings.WITHDRAWN, services.signoff.SIGNED_OFF and SIGNOFF_RETURNED
CHANGE_REASONS = {
    "withdrawn": _("회수"),
    "signed_off": _("부서장 확인"),
    "signoff_returned": _("부서장 반려"),
}


@register.filter
def change_reason(value: str) -> str:
    """What a history row's change reason says (a stable code from the services)."""
    return CHANGE_REASONS.get(value, value)


@register.filter
def bar(value) -> str:
    """A percentage as an SVG length (0–100), with a dot as decimal mark whatever the locale."""
    return f"{clamp(value):.2f}"


@register.filter
def split_title(title: str) -> list[str]:
    """A document title and its period ("… 추진상황", "2026년 3분기"), for a cover that sets the
    period on a line of its own rather than wherever the title wraps."""
    return title.split(" — ", 1)


@register.filter
def arc(value, radius) -> str:
    """A percentage as the stroke-dasharray of that share of a circle of `radius` (user units):
    drawn, then the rest of the circle left empty. In lengths, not pathLength="100": the
    meeting PDF's renderer (WeasyPrint) ignores pathLength and drew 100% as two thirds."""
    circumference = 2 * math.pi * float(radius)
    return f"{clamp(value) / 100 * circumference:.2f} {circumference:.2f}"


# The grid's one-letter marks, in the page's language (the legend under it spells them out).
STATUS_SHORT = {
    "on_track": pgettext_lazy("grid", "정"),
    "delayed": pgettext_lazy("grid", "지"),
    "at_risk": pgettext_lazy("grid", "부"),
    "completed": pgettext_lazy("grid", "완"),
    "not_started": pgettext_lazy("grid", "미"),
    "on_hold": pgettext_lazy("grid", "보"),
    "dropped": pgettext_lazy("grid", "중"),
}
STATE_SHORT = {
    "signoff": pgettext_lazy("grid", "확"),
    "submitted": pgettext_lazy("grid", "제"),
    "draft": pgettext_lazy("grid", "작"),
    "returned": pgettext_lazy("grid", "요"),
    "approved": pgettext_lazy("grid", "승"),
}


@register.filter
def status_short(value: str) -> str:
    """One-letter status for the dense grid (the legend under it spells them out)."""
    return str(STATUS_SHORT.get(value, ""))


@register.filter
def state_short(value: str) -> str:
    return str(STATE_SHORT.get(value, ""))


@register.simple_tag
def quarter_label(year: int, quarter: int) -> str:
    """The name of a quarter, 2026년 3분기 (a tag, not blocktranslate: the plan tree has one
    per row)."""
    return gettext("%(year)s년 %(quarter)s분기") % {"year": year, "quarter": quarter}


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


@cache
def _labels(language: str | None) -> dict[str, str]:
    """Status and state labels, and as `short:<value>` the grid's marks, in one language,
    translated once (a grid has a thousand cells)."""
    labels = {key: str(label) for key, label in [*ProjectStatus.choices, *FilingState.choices]}
    marks = [*STATUS_SHORT.items(), *STATE_SHORT.items()]
    return labels | {f"short:{key}": str(mark) for key, mark in marks}


@register.simple_tag
def grid_cell(cell, by_task: bool, code: str = "", column: int = 0, latest: int = 0) -> str:
    """One cell of the status grid: a report (its status once approved, else its state in
    italics, linked to the report of that quarter), a task's count per status, or an empty
    cell; an empty one of a column after the `latest` one filed is marked (a phone leaves
    those out)."""
    later = column > latest
    if isinstance(cell, EndedCell):  # as on the project page's timeline
        context = {"kind": cell.kind, "classes": "q q--later" if later else "q"}
        return render_to_string("projects/_ended_cell.html", context)
    if later and not cell:
        return mark_safe('<td class="q q--later"></td>')
    labels = _labels(get_language())
    if by_task:
        counts = format_html_join(
            "",
            '<span class="mini status--{}" title="{}">{}{}</span>',
            ((status, labels.get(status, status), labels.get(f"short:{status}", ""), n)
             for status, n in cell.items()),
        )  # fmt: skip
        return format_html('<td class="q">{}</td>', counts)
    if not cell:
        return mark_safe('<td class="q"></td>')
    state = labels.get(cell.state, cell.state)
    url = reverse("projects:report", args=[code, cell.year, cell.quarter])
    if cell.state == FilingState.APPROVED:
        return format_html(
            '<td class="q cell--{}"><a href="{}" title="{} · {}">{}</a></td>',
            cell.status, url, labels.get(cell.status, cell.status), state,
            labels.get(f"short:{cell.status}", ""),
        )  # fmt: skip
    return format_html(
        '<td class="q cell--{}"><a href="{}" title="{}"><em>{}</em></a></td>',
        cell.state, url, state, labels.get(f"short:{cell.state}", ""),
    )  # fmt: skip


@register.simple_tag
def filing_link(filing) -> str:
    """A link to a plan's or report's page, named by project and period (a tag, not an
    include: the review queue shows a hundred of them)."""
    project = filing.project
    quarter = getattr(filing, "quarter", None)
    if quarter:
        url = reverse("projects:report", args=[project.code, filing.year, quarter])
        period = gettext("%(year)s년 %(quarter)s분기 실적") % {
            "year": filing.year,
            "quarter": quarter,
        }
    else:
        url = reverse("projects:plan", args=[project.code, filing.year])
        period = gettext("%(year)s년 시행계획") % {"year": filing.year}
    return format_html('<a href="{}">{} {} · {}</a>', url, project.code, project.name, period)


@register.filter
def compared_with(original, plan) -> list:
    """당초 → 변경 rows of a plan a change revised (selectors.Original.compared)."""
    return original.compared(plan)


@register.filter
def difference(now: int, before: int) -> str:
    """변경 − 당초 in 백만원, signed."""
    change = now - before
    return ("+" if change > 0 else "−") + million_won(abs(change))


@register.simple_tag
def original_amount(original: dict, key: str, now: int) -> str:
    """당초 of one budget row (source or "total") in 백만원: the amount now when it did not
    change, so that the column adds up to its 합계 (a "—" there left 국비 + 시비 printed
    against a 합계 they did not make)."""
    return million_won(original.get(key, now))
