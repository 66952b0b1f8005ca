"""What moves the data version (models.versions): every save, delete and many-to-many change of
a model a cached page can show, and a restore; and a sign-out drops the file its person left
waiting for import. Connected once, in ProjectsConfig.ready."""

from contextlib import suppress

from django.apps import apps
from django.contrib.auth.signals import user_logged_out
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from gwangyang_plan.backup import restored

from .models.versions import DataVersion, bump_data_version
from .workbooks import pending

TRACKED_APPS = ("projects", "strategies")
# Written all day long, and shown on no cached page: a sign-in saves the user's last_login, and
# reminders fill the outbox. (History rows, and the version itself, are not data either.)
UNSHOWN = {"projects.User", "projects.Notification", "projects.DataVersion"}


def tracked_models() -> list:
    return [
        model
        for app in TRACKED_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in UNSHOWN and not issubclass(model, HistoricalChanges)
    ]


def _saved_or_deleted(sender, **kwargs) -> None:
    bump_data_version()


def _m2m_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        bump_data_version()


def _restored(sender, **kwargs) -> None:
    """After a restore: a new epoch, so the version is none that any server has cached under."""
    # A backup older than the version table has none: `migrate` makes it, with a new epoch.
    with suppress(DatabaseError):
        DataVersion.advance(new_era=True)


def _signed_out(sender, request, **kwargs) -> None:
    """The file a person previewed for import is theirs only: it goes when they sign out."""
    if request is not None and hasattr(request, "session"):
        pending.discard(request.session)


def connect() -> None:
    for model in tracked_models():
        uid = f"data-version:{model._meta.label}"
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}:{field.name}")
    restored.connect(_restored, dispatch_uid="data-version:restored")
    user_logged_out.connect(_signed_out, dispatch_uid="pending-import:signed-out")
