"""A log of e-mails sent, so that a daily reminder run never mails the same thing twice, and
the coordinator sees every reminder (automatic or 독촉) with its outcome."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One e-mail to one person about one thing (`key`, e.g. "report:12:returned:3")."""

    class Kind(models.TextChoices):
        PERIOD_OPENED = "period_opened", _("보고 기간 시작")
        DUE_SOON = "due_soon", _("제출 기한 7일 전")
        DUE_TODAY = "due_today", _("제출 기한 당일")
        OVERDUE = "overdue", _("기한 경과")
        CHASE = "chase", _("독촉")
        RETURNED = "returned", _("보완요청")
        APPROVED = "approved", _("승인")
        SIGNOFF = "signoff", _("부서장 확인 요청")
        SIGNED_OFF = "signed_off", _("부서장 확인")

    class Outcome(models.TextChoices):
        SENT = "sent", _("발송")
        FAILED = "failed", _("실패")

    kind = models.CharField(_("종류"), max_length=20, choices=Kind)
    key = models.CharField(_("대상"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("받는 사람")
    )
    department = models.ForeignKey(
        "projects.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("부서"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("독촉한 사람"),
        help_text=_("비어 있으면 자동 알림입니다."),
    )
    subject = models.CharField(_("제목"), max_length=200)
    outcome = models.CharField(_("결과"), max_length=10, choices=Outcome, default=Outcome.SENT)
    sent_at = models.DateTimeField(_("보낸 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("알림 메일")
        verbose_name_plural = _("알림 메일")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            # A failed send does not count: the next run tries that mail again.
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"],
                condition=Q(outcome="sent"),
                name="notification_sent_once",
                violation_error_message=_("같은 알림을 이미 보냈습니다."),
            ),
        ]
        indexes = [models.Index(fields=["department", "-sent_at"], name="notification_by_dept")]

    def __str__(self) -> str:
        return self.subject
