"""Keeps the change log (models.DataChange) that tells cached pages when to be built again."""

from simple_history.signals import post_create_historical_record

from .choices import UNSEEN_EDIT
from .models.changes import DataChange

KEEP = 500  # rows kept: the log only has to change, not to remember


def note_change(sender, history_instance, **kwargs) -> None:
    """Every history row (a save or delete of a tracked model) is a change the cached pages
    may show, except the edits marked unseen (services._unseen_edit). Written in the same
    transaction, so a change rolled back leaves no trace either."""
    if history_instance.history_change_reason == UNSEEN_EDIT:
        return
    change = DataChange.objects.create()
    if change.pk % KEEP == 0:
        DataChange.objects.filter(pk__lte=change.pk - KEEP).delete()


def connect() -> None:
    post_create_historical_record.connect(note_change, dispatch_uid="projects.note_change")
