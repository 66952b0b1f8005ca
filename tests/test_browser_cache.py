"""What a signed-in person saw does not stay in a shared office PC's browser cache after they
sign out: every response to a signed-in user (pages, evidence files, exports) is
`Cache-Control: private, no-store`; what anyone may see (/public/, static files) stays cacheable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from projects.models import Attachment

REPORT = "/projects/2-2-1/reports/2026/4/"
MONEY = {f"spent_{s}": "0" for s in ("national", "provincial", "city", "private", "other")}


def not_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.fixture
def staff(client, alice, digital_project, open_period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    return client


@pytest.mark.parametrize(
    "url",
    ["/", "/plan/", "/projects/", "/projects/2-2-1/", REPORT, "/my/", "/proposals/",
     "/export/workbook.xlsx?year=2026&quarter=4", "/import/template/reports.xlsx"],
)  # fmt: skip
def test_signed_in_pages_and_exports_are_not_kept_by_the_browser(staff, url):
    response = staff.get(url)
    assert response.status_code == 200
    assert not_stored(response)


def test_an_evidence_file_is_not_kept_by_the_browser(staff):
    staff.post(f"{REPORT}save/", {"progress": "30", "status": "on_track", **MONEY})
    upload = SimpleUploadedFile("결과.pdf", b"%PDF-1.7 ...")
    assert staff.post(f"{REPORT}attachments/", {"file": upload}).status_code == 302
    response = staff.get(f"/attachments/{Attachment.objects.get().pk}/")
    assert response.status_code == 200
    assert not_stored(response)


def test_an_action_answer_is_not_kept_either(staff):
    response = staff.post(f"{REPORT}save/", {"progress": "30", "status": "on_track", **MONEY})
    assert response.status_code == 302
    assert not_stored(response)


@pytest.mark.django_db
@override_settings(PUBLIC_PAGE=True)
def test_the_public_page_stays_cacheable_for_anonymous_visitors(client, plan):
    response = client.get("/public/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_stay_cacheable_even_for_a_signed_in_user(staff, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic
    response = staff.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
