"""A log of e-mails sent, so that a daily reminder run never mails the same thing twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One e-mail sent to one person about one thing (`key`, e.g. "report:12:returned:3")."""

    class Kind(models.TextChoices):
        PERIOD_OPENED = "period_opened", _("보고 기간 시작")
        DUE_SOON = "due_soon", _("제출 기한 7일 전")
        RETURNED = "returned", _("보완요청")
        APPROVED = "approved", _("승인")

    kind = models.CharField(_("종류"), max_length=20, choices=Kind)
    key = models.CharField(_("대상"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("받는 사람")
    )
    subject = models.CharField(_("제목"), max_length=200)
    sent_at = models.DateTimeField(_("보낸 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("알림 메일")
        verbose_name_plural = _("알림 메일")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"],
                name="notification_sent_once",
                violation_error_message=_("같은 알림을 이미 보냈습니다."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject
