"""The plan and report pages as staff use them: forms, bad input, conflicts, review thread."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import selectors, services
from projects.choices import FilingState
from projects.models import Attachment, ProgressReport
from tests.factories import acknowledged_submit

URL = "/projects/2-2-1/reports/2026/4/"
MONEY = {f"spent_{s}": "0" for s in ("national", "provincial", "city", "private", "other")}


def form(**fields):
    return {"progress": "30", "status": "on_track", **MONEY, **fields}


def save(client, url=URL, **fields):
    return client.post(f"{url}save/", form(**fields))


def submit(client, url=URL, follow=False, **fields):
    return client.post(f"{url}submit/", form(**fields), follow=follow)


@pytest.fixture
def staff(client, alice, digital_project, open_period):
    client.force_login(alice)
    return client


def test_an_open_period_offers_the_empty_form_before_the_report_exists(staff):
    page = staff.get(URL).content.decode()
    assert 'name="progress"' in page
    assert "미작성" in page
    assert not ProgressReport.objects.exists()


def test_the_first_save_creates_the_report_with_indicator_values(staff, digital_project):
    indicator = digital_project.indicators.first()
    response = save(staff, **{f"indicator_{indicator.pk}": "12.5", "achievements": "착수"})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.progress, report.achievements) == (30, "착수")
    assert report.results.get().value == 12.5
    assert "임시 저장했습니다" in staff.get(URL).content.decode()


def test_submit_from_the_page_saves_then_asks_for_confirmation(staff):
    response = submit(staff, achievements="착수")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}submission/"
    report = ProgressReport.objects.get()
    assert (report.state, report.achievements) == (FilingState.DRAFT, "착수")  # saved, not sent
    page = staff.get(response["Location"]).content.decode()
    assert "아직 제출되지 않았습니다" in page
    keys = [c.key for c in selectors.submission_checks(report)]
    confirmed = staff.post(
        f"{URL}confirm/", {"version": report.version, "acknowledge": keys}
    )  # every warning ticked
    assert confirmed.status_code == 302
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED
    page = staff.get(URL).content.decode()
    assert "검토가 끝날 때까지 수정할 수 없습니다" in page
    assert 'name="progress"' not in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"progress": "-1"}, "진척률은 0~100 사이여야 합니다."),
        ({"progress": "101"}, "진척률은 0~100 사이여야 합니다."),
        ({"progress": "많이"}, "숫자"),
        ({"spent_city": "-5"}, "시비 금액은 0원 이상이어야 합니다."),
        ({"spent_city": "일억"}, "원 단위 숫자로 적어 주세요"),
        ({"status": "bogus"}, "올바르게 선택해 주세요"),
        ({"achievements": "가\x00나"}, "null 문자는 사용할 수 없습니다"),
    ],
)
def test_bad_input_gets_a_korean_message_and_saves_nothing(staff, fields, message):
    response = save(staff, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_too_many_digits_are_explained_once_in_words(staff, digital_project):
    """50.123456 read "전체 자릿수가 4 개를 넘지 않도록 해주세요." twice beside 진척률, and 1e400
    as an indicator value "전체 자릿수가 16 개를…"."""
    indicator = digital_project.indicators.order_by("order").first()
    response = save(staff, progress="50.123456", **{f"indicator_{indicator.pk}": "1e400"})
    assert response.status_code == 400
    page = response.content.decode()
    progress = re.search(r'id="id_progress_error">(.*?)</ul>', page, re.S)[1]
    assert re.findall(r"<li>(.*?)</li>", progress) == [
        "진척률은 0에서 100 사이의 숫자로, 소수 첫째 자리까지 적어 주세요."
    ]
    value = re.search(rf'id="id_indicator_{indicator.pk}_error">(.*?)</ul>', page, re.S)[1]
    assert "정수 부분은 14자리까지" in value
    assert "자릿수" not in page
    assert not ProgressReport.objects.exists()


def test_a_delayed_report_is_not_submitted_without_its_explanation(staff):
    response = submit(staff, status="delayed", problems="예산", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "대응방안을 적어야 제출할 수 있습니다" in page
    assert "confirm/" not in page  # no final 제출 while an error stands
    assert ProgressReport.objects.get().state == FilingState.DRAFT  # the draft itself is kept


@pytest.mark.parametrize(
    "url",
    [
        "/projects/2-2-1/reports/2026/5/",
        "/projects/2-2-1/reports/2027/1/",
        "/projects/no-such/reports/2026/1/",
        "/projects/2-2-1/plans/2030/",
    ],
)
def test_impossible_addresses_are_404_not_500(staff, url):
    assert staff.get(url).status_code == 404
    assert save(staff, url).status_code == 404


def test_the_page_itself_takes_no_post_and_an_unknown_action_is_404(staff):
    assert staff.post(URL, form()).status_code == 405
    assert staff.post(f"{URL}explode/", form()).status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_non_numeric_attachment_id_is_404_not_500(staff):
    assert staff.post(f"{URL}attachments/abc/delete/").status_code == 404


def test_the_second_of_two_concurrent_saves_is_refused_with_the_users_text_shown(
    client, alice, coordinator, digital_project, open_period
):
    from django.test import Client

    client.force_login(alice)
    save(client, achievements="처음")
    other = Client()
    other.force_login(coordinator)
    # Both open the page at version 1, then both save.
    assert 'name="version" value="1"' in client.get(URL).content.decode()
    assert 'name="version" value="1"' in other.get(URL).content.decode()
    assert save(client, version="1", achievements="담당자 수정").status_code == 302
    response = save(other, version="1", achievements="총괄 수정")
    assert response.status_code == 409
    page = response.content.decode()
    assert "다른 사람이 먼저 이 문서를 저장했습니다" in page
    assert "총괄 수정" in page  # their text is shown back
    assert "담당자 수정" in page  # beside what is saved now
    assert ProgressReport.objects.get().achievements == "담당자 수정"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(staff, name, content):
    return staff.post(f"{URL}attachments/", {"file": SimpleUploadedFile(name, content)})


def test_evidence_is_uploaded_with_a_safe_name(staff, media):
    save(staff)
    assert upload(staff, "../../etc/결과 보고.pdf", b"%PDF-1.7 ...").status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name.endswith("결과 보고.pdf")
    assert ".." not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert (media / attachment.file.name).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "올릴 수 없는 형식입니다"),
        ("virus.pdf", b"MZ\x90\x00", "파일 내용이 확장자(.pdf)와 맞지 않습니다"),
        ("photo.png", b"%PDF-1.4", "파일 내용이 확장자(.png)와 맞지 않습니다"),
    ],
)
def test_bad_files_are_refused_in_korean(staff, media, name, content, message):
    save(staff)
    response = upload(staff, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(staff, media, settings):
    settings.ATTACHMENT_MAX_MB = 1
    save(staff)
    response = upload(staff, "big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 400
    # Its size rounded up: "1.0MB" would not be over a 1MB limit.
    assert "파일이 너무 큽니다 (1.1MB). 1MB 이하만 올릴 수 있습니다" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_30_mb_file_is_refused_at_the_default_limit(staff, media):
    save(staff)
    response = upload(staff, "huge.pdf", b"%PDF-" + b"0" * (30 * 1024 * 1024))
    assert response.status_code == 413  # refused from its Content-Length, before it is read
    assert "20MB 이하만 올릴 수 있습니다" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_return_reason_is_shown_to_the_submitter_and_the_committee(
    client, alice, coordinator, committee, digital_project, open_period
):
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    acknowledged_submit(user=alice, filing=report)
    services.filing_return(user=coordinator, filing=report, reason="집행액 근거 부족")
    for user in (alice, committee):
        client.force_login(user)
        page = client.get(URL).content.decode()
        assert "보완요청 사유" in page
        assert "집행액 근거 부족" in page
    client.force_login(alice)
    assert "집행액 근거 부족" in client.get("/my/").content.decode()


def test_a_new_report_starts_from_the_previous_quarters_figures(staff, alice, digital_project):
    from datetime import timedelta

    from django.utils import timezone

    from projects.models import ReportingPeriod

    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2026, quarter=3, opens_on=today - timedelta(days=90), due_on=today + timedelta(days=1)
    )
    indicator = digital_project.indicators.first()
    services.report_save(
        user=alice, project=digital_project, year=2026, quarter=3,
        values={"progress": 64, "spent_city": 5_000_000}, results={indicator.pk: 7},
        version=None,
    )  # fmt: skip
    page = staff.get(URL).content.decode()
    assert 'name="progress" value="64.0"' in page
    assert 'name="spent_city" value="5,000,000"' in page
    assert f'name="indicator_{indicator.pk}" value="7.00"' in page


def test_submitting_someone_elses_report_by_its_address_is_refused(
    client, bob, alice, digital_project, open_period
):
    services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    client.force_login(bob)
    response = submit(client, version="1")
    assert response.status_code == 403
    report = ProgressReport.objects.get()
    assert (report.state, report.progress, report.version) == (FilingState.DRAFT, 10, 1)


def test_a_tampered_attachment_id_from_another_report_is_404(staff, alice, media, plan):
    from projects.models import Project, ReportingPeriod

    save(staff)
    upload(staff, "a.pdf", b"%PDF-1.4")
    other = Project.objects.filter(lead_department=alice.department).exclude(code="2-2-1").first()
    period = ReportingPeriod.objects.get(year=2026, quarter=4)
    assert other.runs_in(period.year)
    services.report_save(
        user=alice, project=other, year=2026, quarter=4, values={}, results={}, version=None
    )
    response = staff.post(
        f"/projects/{other.code}/reports/2026/4/attachments/{Attachment.objects.get().pk}/delete/"
    )
    assert response.status_code == 404
    assert Attachment.objects.exists()


@pytest.mark.parametrize(
    ("user", "action", "field"),
    [("committee", "comment", "body"), ("coordinator", "return", "reason")],
)
def test_a_null_character_in_a_comment_or_reason_is_refused_not_a_crash(
    client, request, alice, digital_project, open_period, user, action, field
):
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    acknowledged_submit(user=alice, filing=report)
    client.force_login(request.getfixturevalue(user))
    response = client.post(f"{URL}{action}/", {field: "가\x00나", "version": report.version})
    assert response.status_code == 400
    assert "null 문자는 사용할 수 없습니다" in response.content.decode()
    assert ProgressReport.objects.get().state == FilingState.SUBMITTED


def test_a_refused_submit_shows_why_and_the_language_switch_returns_to_it(staff):
    response = submit(staff, status="delayed", follow=True)
    page = response.content.decode()
    assert "문제점을 적어야 제출할 수 있습니다" in page
    assert f'name="next" type="hidden" value="{URL}submission/"' in page


def test_a_form_loaded_before_an_admin_edit_is_refused_not_saved_over_it(staff, admin_user, rf):
    from django.contrib import admin

    save(staff, achievements="처음")
    report = ProgressReport.objects.get()
    loaded = report.version
    report.achievements = "관리자가 고침"
    request = rf.post("/admin/")
    request.user = admin_user
    admin.site._registry[ProgressReport].save_model(request, report, form=None, change=True)
    response = save(staff, version=str(loaded), achievements="담당자 수정")
    assert response.status_code == 409
    assert ProgressReport.objects.get().achievements == "관리자가 고침"


@pytest.mark.parametrize(
    ("url", "fields", "model"),
    [
        (URL, {"achievements": "{}"}, ProgressReport),
        ("/projects/2-2-1/plans/2026/", {"goal": "{}"}, None),
    ],
)
def test_two_first_saves_of_a_new_record_keep_the_first_and_refuse_the_second(
    client, alice, coordinator, digital_project, open_period, url, fields, model
):
    from django.test import Client

    from projects.models import ImplementationPlan

    model = model or ImplementationPlan
    field = next(iter(fields))
    other = Client()
    client.force_login(alice)
    other.force_login(coordinator)
    # Both open the page before the record exists: their forms carry no version.
    for reader in (client, other):
        assert 'name="version" id="id_version"' in reader.get(url).content.decode()
    data = form() if model is ProgressReport else {f"budget_{s}": "0" for s in MONEY_SOURCES}
    assert client.post(f"{url}save/", data | {field: "담당자 작성"}).status_code == 302
    response = other.post(f"{url}save/", data | {field: "총괄 작성"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "다른 사람이 먼저 이 문서를 저장했습니다" in page
    assert "총괄 작성" in page and "담당자 작성" in page
    record = model.objects.get()
    assert (getattr(record, field), record.version) == ("담당자 작성", 1)
    # Saving again from the refused form (now at the stored version) is the user's choice.
    assert f'name="version" value="{record.version}"' in page


MONEY_SOURCES = ("national", "provincial", "city", "private", "other")
