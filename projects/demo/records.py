"""What every part of the demo builds with: aware timestamps, records created once with
the demo user who made them in their history, and a yearly budget from a project's cost."""

from datetime import date, datetime, time

from django.utils import timezone

from ..choices import FundingSource
from ..models import Project, User

FIRST_YEAR, LAST_YEAR = 2023, 2026  # the years the demo fills


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def create(model, lookup: dict, values: dict, *, by: User):
    """Create the record unless it exists; history rows name the demo user who made it."""
    existing = model.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    record = model(**lookup, **values)
    record._history_user = by
    record.save()
    return record, True


def yearly_budget(project: Project, year: int) -> dict[str, int]:
    years = project.end_year - project.start_year + 1
    return {
        f"budget_{source}": getattr(project, f"cost_{source}") // years // 1_000_000 * 1_000_000
        for source in FundingSource.values
    }
