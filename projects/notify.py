"""E-mail notifications, each sent at most once per person and subject matter, each logged
with its outcome (a mail server that refuses is logged as failed, never an error page)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .choices import Role
from .models import Notification, User

logger = logging.getLogger(__name__)


def send_once(
    *,
    kind: str,
    key: str,
    recipients,
    subject: str,
    body: str,
    department_id: int | None = None,
    sent_by: User | None = None,
) -> dict[str, int]:
    """Mail each recipient who has not had this (kind, key) yet; returns how many were sent
    and how many failed. A failed mail is logged as such and tried again by the next run.

    The subject is made one line (a header cannot hold a line break) that fits the log."""
    subject = " ".join(subject.split())[: Notification._meta.get_field("subject").max_length]
    counts = {Notification.Outcome.SENT: 0, Notification.Outcome.FAILED: 0}
    for user in recipients:
        if not user.email or not user.is_active:
            continue
        try:
            with transaction.atomic():
                logged = Notification.objects.create(
                    kind=kind,
                    key=key,
                    recipient=user,
                    subject=subject,
                    department_id=department_id,
                    sent_by=sent_by,
                )
        except IntegrityError:
            continue  # already told
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except (smtplib.SMTPException, OSError):
            logger.warning("mail to %s failed: %s", user.username, subject, exc_info=True)
            logged.outcome = Notification.Outcome.FAILED
            logged.save(update_fields=["outcome"])
        counts[logged.outcome] += 1
    return counts


def department_staff(department_id: int):
    return department_members(department_id, Role.STAFF)


def department_heads(department_id: int):
    return department_members(department_id, Role.HEAD)


def coordinators():
    """Every active coordinator (총괄 관리자): told when a head signs a filing off."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.COORDINATOR)
        .distinct()
        .order_by("username")
    )


def department_members(department_id: int, *roles: str):
    return (
        User.objects.filter(department_id=department_id, is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("username")
    )
