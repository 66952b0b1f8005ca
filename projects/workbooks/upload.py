"""An upload of either template: read it (checked, changes planned) and apply it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..models import User
from .format import TEMPLATE_VERSION
from .import_plan import read_plan
from .import_reports import read_reports
from .reading import ImportRefused, Preview, open_template

KIND_NAMES = {"reports": gettext_lazy("분기실적 양식"), "plan": gettext_lazy("계획 구조 양식")}
READERS = {"reports": read_reports, "plan": read_plan}


def read(upload, *, user: User, kind: str | None = None) -> Preview:
    """Open an uploaded template (of `kind`, when given) and plan its changes."""
    workbook, found, meta = open_template(upload)
    try:
        if kind is not None and found != kind:
            raise ImportRefused(_("%(kind)s만 받습니다.") % {"kind": KIND_NAMES.get(kind, kind)})
        if meta[-1:] != [TEMPLATE_VERSION]:
            raise ImportRefused(_("예전 형식의 양식입니다. 새 양식을 내려받아 입력해 주세요."))
        if found not in READERS:
            raise ImportRefused(_("알 수 없는 양식입니다."))
        return READERS[found](workbook, meta, user=user)
    finally:
        workbook.close()


def apply(preview: Preview, *, user: User) -> int:
    """Write every planned change in one transaction; all of them, or none. Returns how many
    records were written (reports; 1 for a plan structure)."""
    if not preview.ok:
        raise ImportRefused(_("오류가 있는 파일은 반영하지 않습니다."))
    try:
        with transaction.atomic():
            written = sum(write(user) for write in preview.writes)
    except (ValidationError, PermissionDenied, services.ConflictError) as exc:
        message = " ".join(getattr(exc, "messages", [])) or _("그 사이 자료가 바뀌었습니다.")
        raise ImportRefused(
            _("반영하지 못했습니다 (아무것도 바뀌지 않았습니다): %(why)s") % {"why": message}
        ) from None
    return written
