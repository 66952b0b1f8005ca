"""Departments and the people who sign in."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Department(models.Model):
    """A city department (부서) that leads or supports projects."""

    name = models.CharField(
        _("부서명"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("같은 이름의 부서가 이미 있습니다.")},
    )
    code = models.SlugField(
        _("부서 코드"),
        max_length=40,
        unique=True,
        help_text=_("영문 소문자 약어. 예: digital (담당자 계정 staff-digital에 쓰입니다)"),
        error_messages={"unique": _("이 부서 코드는 이미 쓰이고 있습니다.")},
    )
    is_active = models.BooleanField(_("사용"), default=True)
    signoff_required = models.BooleanField(
        _("부서장 확인 필요"),
        default=False,
        help_text=_(
            "사용하면 담당자가 제출한 문서가 부서장이 확인한 뒤 총괄 관리자에게 갑니다 (결재선)."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("부서")
        verbose_name_plural = _("부서")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in; staff belong to one department, committee members to none."""

    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("소속 부서"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")
        ordering = ["username"]

    def get_full_name(self) -> str:
        # Korean order: family name first, no space (홍길동).
        return f"{self.last_name}{self.first_name}".strip()

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username
