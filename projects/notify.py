"""E-mail notifications, each sent at most once per person and subject matter."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification, User


def send_once(*, kind: str, key: str, recipients, subject: str, body: str) -> int:
    """Mail each recipient who has not had this (kind, key) yet; returns how many were sent.

    The subject is made one line (a header cannot hold a line break) that fits the log."""
    subject = " ".join(subject.split())[: Notification._meta.get_field("subject").max_length]
    sent = 0
    for user in recipients:
        if not user.email or not user.is_active:
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(kind=kind, key=key, recipient=user, subject=subject)
        except IntegrityError:
            continue  # already told
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
        sent += 1
    return sent


def department_staff(department_id: int):
    return User.objects.filter(
        department_id=department_id, is_active=True, groups__name="staff"
    ).distinct()
