"""The department head's sign-off (결재): one action per step, posted from the filing page,
each on the version the head was shown (as the coordinator's approve and return)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..permissions import permission_required_by
from .filings import load_page, run_review


@permission_required_by(permissions.may_sign_off_any)
@require_POST
def sign_off(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    page = load_page(code, year, quarter)
    link = request.build_absolute_uri(page.url)
    return run_review(
        request, page,
        lambda filing, shown: services.filing_sign_off(
            user=request.user, filing=filing, version=shown, link=link
        ),
        _("확인했습니다. 총괄 관리자에게 보냈습니다."),
    )  # fmt: skip


@permission_required_by(permissions.may_sign_off_any)
@require_POST
def sign_off_return(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    page = load_page(code, year, quarter)
    reason = request.POST.get("reason", "")
    link = request.build_absolute_uri(page.url)
    return run_review(
        request, page,
        lambda filing, shown: services.filing_sign_off_return(
            user=request.user, filing=filing, reason=reason, version=shown, link=link
        ),
        _("반려했습니다. 담당자에게 돌려보냈습니다."),
    )  # fmt: skip
