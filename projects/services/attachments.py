"""Evidence files on quarterly reports and yearly plans.

They are added and removed with the filing's own save: plan_save and report_save check
them (`evidence_check`) before they write anything, so a bad file refuses the whole save, and
store them (`evidence_apply`) as their last write, inside their transaction: the files stored
by a failing `evidence_apply` are deleted again, and a removed file leaves the disk only once
the save has committed. (`attachment_add` and `attachment_delete` serve the older one-file
actions, kept at their URLs.)"""

import math
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Attachment, Filing, ImplementationPlan, User
from .filings import edit_refusal


def _owner(filing: Filing) -> dict:
    return {"plan": filing} if isinstance(filing, ImplementationPlan) else {"report": filing}


def evidence_check(filing: Filing, *, uploads: Iterable, remove: Iterable[int]) -> list:
    """Check every upload and that each id to remove is one of the filing's files, before
    anything is written: a ValidationError on "evidence" (Korean), or the files to remove."""
    for upload in uploads:
        try:
            check_upload(upload)
        except ValidationError as error:  # named, as several files may come at once
            message = " ".join(error.messages)
            raise ValidationError({"evidence": f"{upload.name}: {message}"}) from None
    remove = set(remove)
    if not remove:
        return []
    found = list(Attachment.objects.filter(pk__in=remove, **_owner(filing))) if filing.pk else []
    if len(found) != len(remove):
        raise ValidationError({"evidence": _("이 문서의 증빙자료만 지울 수 있습니다.")})
    return found


def evidence_apply(*, user: User, filing: Filing, uploads: Iterable, removed: list) -> None:
    """Store `uploads` (checked by evidence_check) on the saved filing and delete the
    `removed` attachments. The last write of a save, inside its transaction: the files it
    stored are deleted again if it fails, and removed files leave the disk after the commit."""
    stored = []
    try:
        for upload in uploads:
            stored.append(_store(user=user, filing=filing, upload=upload).file.name)
        for attachment in removed:
            name = attachment.file.name
            attachment.delete()
            transaction.on_commit(lambda name=name: _delete_files([name]))
    except BaseException:
        _delete_files(stored)
        raise


def _store(*, user: User, filing: Filing, upload) -> Attachment:
    return Attachment.objects.create(
        **_owner(filing),
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=ALLOWED_UPLOADS[PurePath(upload.name).suffix.lower()][0],
        uploaded_by=user,
    )


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


@transaction.atomic
def attachment_add(*, user: User, filing: Filing, upload) -> Attachment:
    """Attach one evidence file (size and real type checked) to an editable filing."""
    permissions.check_may_file(user, filing.project)
    refusal = edit_refusal(user=user, filing=filing)
    if refusal:
        raise ValidationError(refusal)
    check_upload(upload)
    return _store(user=user, filing=filing, upload=upload)


@transaction.atomic
def attachment_delete(*, user: User, attachment: Attachment) -> None:
    owner = attachment.owner
    permissions.check_may_file(user, owner.project)
    refusal = edit_refusal(user=user, filing=owner)
    if refusal:
        raise ValidationError(refusal)
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _delete_files([name]))


# Extension → (content type, the bytes such a file starts with).
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_UPLOADS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".hwp": ("application/x-hwp", (_OLE,)),
    ".hwpx": ("application/hwp+zip", (_ZIP,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (_ZIP,)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def check_upload(upload) -> None:
    """Refuse files over the size limit, of a type not allowed, or whose bytes lie about it."""
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("파일이 너무 큽니다 (%(size).1fMB). %(limit)sMB 이하만 올릴 수 있습니다.")
                # Rounded up: a file just over the limit read "20.0MB … 20MB 이하만".
                % {
                    "size": math.ceil(upload.size / 1024 / 1024 * 10) / 10,
                    "limit": settings.ATTACHMENT_MAX_MB,
                }
            }
        )
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ALLOWED_UPLOADS:
        raise ValidationError(
            {
                "file": _(
                    "올릴 수 없는 형식입니다. pdf, hwp, hwpx, docx, xlsx, pptx, jpg, png만 됩니다."
                )
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ALLOWED_UPLOADS[suffix][1]):
        raise ValidationError(
            {"file": _("파일 내용이 확장자(%(suffix)s)와 맞지 않습니다.") % {"suffix": suffix}}
        )
