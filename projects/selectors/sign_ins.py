"""Sign-in lockouts, read from django-axes' records, for the page that lifts them."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone


@dataclass(frozen=True)
class Lockout:
    username: str
    addresses: int  # from how many addresses the name is locked
    last_failure: datetime
    ends_at: datetime  # when it lifts by itself


def sign_in_lockouts() -> list[Lockout]:
    """User names locked out now: AXES_FAILURE_LIMIT failures from one address within the
    cool-off (settings.py), newest first."""
    cool_off = settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(
            username__isnull=False,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gt=timezone.now() - cool_off,
        )
        .values("username")
        .annotate(last_failure=Max("attempt_time"), addresses=Count("ip_address", distinct=True))
        .order_by("-last_failure", "username")
    )
    return [
        Lockout(
            username=row["username"],
            addresses=row["addresses"],
            last_failure=row["last_failure"],
            ends_at=row["last_failure"] + cool_off,
        )
        for row in rows
    ]
