"""The data version: one counter that every committed change moves, so pages kept in Django's
cache under it are never served once the data they show have changed."""

import secrets
import threading

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


def new_epoch() -> str:
    return secrets.token_hex(8)


class DataVersion(models.Model):
    """The single row (pk 1) whose `epoch` and `n` make the data version (selectors.data_version).

    `n` moves by one after each committed transaction that saved or deleted anything of the
    `projects` and `strategies` apps, except an edit of what a draft says (see projects.signals).
    `epoch` is drawn anew when a backup is restored: the restored `n` is an old one, and servers
    may hold pages cached under it and under the numbers after it, built from other data.
    """

    SINGLE_ROW = 1

    epoch = models.CharField(_("세대"), max_length=32, default=new_epoch)
    n = models.BigIntegerField(_("번호"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("데이터 버전")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1),
                name="data_version_single_row",
                violation_error_message=_("데이터 버전은 한 행뿐입니다."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.epoch}-{self.n}"

    @classmethod
    def key(cls) -> str:
        """The current version as a cache key part, in one query on one row."""
        row = cls.objects.filter(pk=cls.SINGLE_ROW).values_list("epoch", "n")[:1]
        return "-".join(map(str, row[0])) if row else "none"

    @classmethod
    def advance(cls, *, new_era: bool = False) -> None:
        """Move the version now: `UPDATE … SET n = n + 1` (and a new epoch after a restore).
        The row is made again when it is missing (a database emptied by `flush`)."""
        changes = {"n": F("n") + 1} | ({"epoch": new_epoch()} if new_era else {})
        if not cls.objects.filter(pk=cls.SINGLE_ROW).update(**changes):
            cls.objects.get_or_create(pk=cls.SINGLE_ROW)


# The transaction whose commit will move the version: a token shared by every callback that
# transaction registered, so the first to run moves it and the rest see it has moved.
_pending = threading.local()


def bump_data_version() -> None:
    """Move the data version once the current transaction commits (at once outside one).

    However many writes a transaction makes, its commit moves the version once; a rolled-back
    transaction never runs its callbacks, so it moves nothing. Model signals call this for
    every save, delete and many-to-many change (projects.signals); a write that sends no
    signal (QuerySet.update, bulk_create, raw SQL) must call it itself.
    """
    token = getattr(_pending, "token", None)
    if token is None:
        token = _pending.token = object()
    transaction.on_commit(lambda: _advance_once(token))


def _advance_once(token: object) -> None:
    if getattr(_pending, "token", None) is not token:
        return  # an earlier callback of the same transaction moved it already
    _pending.token = None
    DataVersion.advance()
