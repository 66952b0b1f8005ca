"""Evidence files on quarterly reports."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import (
    Attachment,
    ProgressReport,
    User,
)
from .filings import edit_refusal


@transaction.atomic
def attachment_add(*, user: User, report: ProgressReport, upload) -> Attachment:
    """Attach an evidence file (size and real type checked) to an editable report."""
    permissions.check_may_file(user, report.project)
    refusal = edit_refusal(user=user, filing=report)
    if refusal:
        raise ValidationError(refusal)
    check_upload(upload)
    return Attachment.objects.create(
        report=report,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=ALLOWED_UPLOADS[PurePath(upload.name).suffix.lower()][0],
        uploaded_by=user,
    )


@transaction.atomic
def attachment_delete(*, user: User, attachment: Attachment) -> None:
    permissions.check_may_file(user, attachment.report.project)
    refusal = edit_refusal(user=user, filing=attachment.report)
    if refusal:
        raise ValidationError(refusal)
    attachment.file.delete(save=False)
    attachment.delete()


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
                % {"size": upload.size / 1024 / 1024, "limit": settings.ATTACHMENT_MAX_MB}
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
