"""The change log behind cached pages: one row per saved change a page of approved data can show."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataChange(models.Model):
    """Written beside every history row except unseen edits (see projects.changes).

    Cached pages are keyed by the log's last id and row count (selectors.data_version): one
    query on one small table. The count matters: a transaction that took its id earlier but
    commits later raises the count though not the last id.
    """

    at = models.DateTimeField(_("일시"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("변경 기록")

    def __str__(self) -> str:
        return f"{self.pk} {self.at:%Y-%m-%d %H:%M:%S}"
