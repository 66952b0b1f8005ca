"""Files waiting between an import's preview and its apply, in MEDIA_ROOT/imports: one per
person, named in their session. A file is gone once applied, at sign-out, or an hour after
its preview (removed at the next preview, or by `manage.py expire_imports`)."""

import uuid
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "imports"  # gwangyang_plan.backup leaves it out of backups
MAX_AGE = timedelta(hours=1)
SESSION_KEY = "pending_import"


def keep(upload, session) -> str:
    """Store the previewed file as the session's one waiting file and return its name."""
    discard(session)
    expire()
    upload.seek(0)
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.xlsx", upload)
    session[SESSION_KEY] = name
    return name


def discard(session) -> None:
    """Delete the session's waiting file, if any."""
    name = session.pop(SESSION_KEY, None)
    if name:
        default_storage.delete(name)


def expire(*, now=None) -> int:
    """Delete every waiting file older than MAX_AGE; returns how many."""
    if not default_storage.exists(FOLDER):
        return 0
    oldest = (now or timezone.now()) - MAX_AGE
    expired = 0
    for filename in default_storage.listdir(FOLDER)[1]:
        name = f"{FOLDER}/{filename}"
        if default_storage.get_modified_time(name) < oldest:
            default_storage.delete(name)
            expired += 1
    return expired
