"""What moves the data version (models.versions): every save, delete and many-to-many change of
a model a cached page can show (not an edit of a draft's content), and a restore; and a sign-out
drops the file its person left waiting for import. Connected once, in ProjectsConfig.ready."""

from contextlib import suppress

from django.apps import apps
from django.contrib.auth.signals import user_logged_out
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from gwangyang_plan.backup import restored

from .models.filings import Filing, IndicatorResult
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


def _saved(sender, instance, **kwargs) -> None:
    if not _edit_of_unapproved_filing(instance):
        bump_data_version()


def _deleted(sender, instance, **kwargs) -> None:
    if not (isinstance(instance, IndicatorResult) and _edit_of_unapproved_filing(instance)):
        bump_data_version()


def _edit_of_unapproved_filing(instance) -> bool:
    """Whether the write changes only what a filing not approved yet says (or its indicator
    results), leaving it in its state. Cached pages show such a filing by its state (the
    dashboard's grid and its list of reports not filed), never by what it says; staff save
    drafts all day, and the dashboard need not be rebuilt for each save."""
    if isinstance(instance, IndicatorResult):
        if not IndicatorResult.report.is_cached(instance):
            return False
        instance = instance.report
    return isinstance(instance, Filing) and instance.edits_only_unapproved_content()


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
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}:{field.name}")
    restored.connect(_restored, dispatch_uid="data-version:restored")
    user_logged_out.connect(_signed_out, dispatch_uid="pending-import:signed-out")
