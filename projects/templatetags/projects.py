from django import template

from projects.choices import ProjectStatus

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The Korean label of a project status value (for annotated values that have no display)."""
    try:
        return ProjectStatus(value).label
    except ValueError:
        return value
