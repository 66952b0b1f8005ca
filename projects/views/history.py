"""A filing's versions side by side (the coordinator's view of what changed between two)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import permissions, selectors
from ..permissions import permission_required_by
from .filings import load_page


def _version_param(request: HttpRequest, name: str) -> tuple[int | None, bool]:
    """(the version number asked for or None, whether what was sent is a number at all)."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None, True
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value), True
    return None, False


def _versions(request: HttpRequest, code: str, year: int, quarter: int | None = None):
    page = load_page(code, year, quarter)
    context = {"page": page, "project": page.project, "record": page.record, "problem": None}
    (a, a_ok), (b, b_ok) = _version_param(request, "a"), _version_param(request, "b")
    status = 200
    if not (a_ok and b_ok):
        context["problem"] = _("버전 번호는 1 이상의 숫자여야 합니다. 예: ?a=1&b=2")
        status = 400
    elif page.record is None:  # the page exists; the document does not yet
        context["problem"] = _("아직 작성된 문서가 없어 비교할 버전이 없습니다.")
    else:
        try:
            context["compared"] = selectors.compare_versions(page.record, a, b)
        except selectors.VersionNotFound as missing:
            context["problem"] = str(missing)
            status = 404
    context["url"] = reverse(f"projects:{page.kind}_versions", args=page.args)
    return render(request, "projects/versions.html", context, status=status)


@permission_required_by(permissions.may_compare_versions)
@require_safe
def plan_versions(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _versions(request, code, year)


@permission_required_by(permissions.may_compare_versions)
@require_safe
def report_versions(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    return _versions(request, code, year, quarter)
