"""One form, one save: the report's (and plan's) text and its evidence files travel in one
POST and are written together or not at all; money is typed with thousands separators; the
form shows the year's targets, the planned budget and the last approved quarter beside the
inputs; a save after the session ended comes back to the form."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects.choices import FilingState
from projects.models import (
    Attachment,
    ImplementationPlan,
    IndicatorResult,
    IndicatorTarget,
    ProgressReport,
)

URL = "/projects/2-2-1/reports/2026/4/"
PLAN_URL = "/projects/2-2-1/plans/2026/"
SOURCES = ("national", "provincial", "city", "private", "other")


def report_form(**fields):
    return {f"spent_{s}": "0" for s in SOURCES} | {"progress": "30", "status": "on_track"} | fields


def pdf(name="결과보고서.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7 evidence")


def text(response) -> str:
    """What the page says, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff(client, alice, digital_project, open_period):
    client.force_login(alice)
    return client


def test_text_and_a_file_are_saved_together_on_a_new_report(staff, media):
    response = staff.post(
        f"{URL}save/", report_form(achievements="플랫폼 설계 완료", evidence=pdf())
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.achievements == "플랫폼 설계 완료"
    attachment = report.attachments.get()
    assert attachment.original_name == "결과보고서.pdf"
    assert (media / attachment.file.name).exists()
    page = staff.get(URL).content.decode()
    assert "결과보고서.pdf" in page and 'enctype="multipart/form-data"' in page


def test_several_files_at_once_and_a_submit_keeps_them(staff, media):
    files = [pdf("하나.pdf"), SimpleUploadedFile("둘.png", b"\x89PNG\r\n\x1a\n...")]
    response = staff.post(f"{URL}submit/", report_form(achievements="완료", evidence=files))
    assert response["Location"] == f"{URL}submission/"  # saved; the confirmation step next
    report = ProgressReport.objects.get()
    assert report.state == FilingState.DRAFT
    assert sorted(a.original_name for a in report.attachments.all()) == ["둘.png", "하나.pdf"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "올릴 수 없는 형식입니다"),
        ("virus.pdf", b"MZ\x90\x00", "파일 내용이 확장자(.pdf)와 맞지 않습니다"),
    ],
)
def test_a_bad_file_on_a_new_report_writes_nothing_and_gives_the_text_back(
    staff, media, name, content, message
):
    files = [pdf(), SimpleUploadedFile(name, content)]  # one good, one bad: neither is kept
    response = staff.post(
        f"{URL}save/", report_form(achievements="잃으면 안 되는 글", evidence=files)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "잃으면 안 되는 글" in page
    assert not ProgressReport.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_bad_file_on_a_saved_report_changes_nothing(staff, media, settings):
    staff.post(f"{URL}save/", report_form(achievements="처음 글"))
    report = ProgressReport.objects.get()
    settings.ATTACHMENT_MAX_MB = 1
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1))
    response = staff.post(
        f"{URL}save/", report_form(achievements="고친 글", version=report.version, evidence=big)
    )
    assert response.status_code == 400
    assert "1MB 이하만 올릴 수 있습니다" in response.content.decode()
    assert "고친 글" in response.content.decode()
    report.refresh_from_db()
    assert (report.achievements, report.version) == ("처음 글", 1)
    assert stored_files(media) == []


def test_a_file_is_removed_with_its_checkbox_in_the_same_save(
    staff, media, django_capture_on_commit_callbacks
):
    staff.post(f"{URL}save/", report_form(evidence=[pdf("남길.pdf"), pdf("지울.pdf")]))
    report = ProgressReport.objects.get()
    gone = report.attachments.get(original_name="지울.pdf")
    path = media / gone.file.name
    page = staff.get(URL).content.decode()
    assert f'name="remove_evidence" value="{gone.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        response = staff.post(
            f"{URL}save/",
            report_form(achievements="정리", version=report.version, remove_evidence=[gone.pk]),
        )
    assert response.status_code == 302
    assert [a.original_name for a in report.attachments.all()] == ["남길.pdf"]
    assert not path.exists()
    assert ProgressReport.objects.get().achievements == "정리"


def test_a_removal_of_another_reports_file_is_refused(staff, media, alice, plan):
    other = ProgressReport.objects.create(project_id=plan_project(plan), year=2026, quarter=4)
    foreign = Attachment.objects.create(
        report=other, file=pdf(), original_name="남의.pdf", size=10, uploaded_by=alice
    )
    response = staff.post(f"{URL}save/", report_form(remove_evidence=[foreign.pk]))
    assert response.status_code == 400
    assert Attachment.objects.filter(pk=foreign.pk).exists()
    assert not ProgressReport.objects.filter(project__code="2-2-1").exists()


def plan_project(plan):
    from projects.models import Project

    return Project.objects.exclude(code="2-2-1").filter(start_year__lte=2026).first().pk


def test_a_plan_takes_evidence_in_its_form_too(staff, media):
    data = {f"budget_{s}": "0" for s in SOURCES} | {"goal": "목표", "evidence": pdf("계획서.pdf")}
    assert staff.post(f"{PLAN_URL}save/", data).status_code == 302
    plan = ImplementationPlan.objects.get()
    assert plan.attachments.get().original_name == "계획서.pdf"
    assert "계획서.pdf" in staff.get(PLAN_URL).content.decode()


@pytest.mark.parametrize(("typed", "stored"), [("1,234,567", 1234567), (" 289812087 ", 289812087)])
def test_money_is_typed_with_thousands_separators(staff, typed, stored):
    assert staff.post(f"{URL}save/", report_form(spent_city=typed)).status_code == 302
    assert ProgressReport.objects.get().spent_city == stored
    page = staff.get(URL).content.decode()
    assert f'value="{stored:,}"' in page  # shown again as typed, with separators


@pytest.mark.parametrize("typed", ["1,23", "12,34,567", "1.5", "일억"])
def test_money_that_is_not_whole_won_is_refused_in_korean(staff, typed):
    response = staff.post(f"{URL}save/", report_form(spent_city=typed))
    assert response.status_code == 400
    assert "원 단위 숫자로 적어 주세요" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_refused_save_lists_what_to_fix_at_the_top_of_the_form(staff):
    """The only sign of a refused save was beside its field, screens below on a phone: the
    form now opens with the list, each item linking to its field."""
    response = staff.post(f"{URL}save/", report_form(spent_city="5천만원", progress="150"))
    assert response.status_code == 400
    page = response.content.decode()
    form = page.split('class="form card filing-form"')[1]
    summary = form.split("data-error-summary>")[1].split("</div>")[0]
    assert form.index("data-error-summary") < form.index('name="progress"')
    assert "저장하지 못했습니다" in summary
    assert '<a href="#id_spent_city">' in summary and "원 단위 숫자로 적어 주세요" in summary
    assert summary.count("진척률은 0~100 사이여야 합니다") == 1  # not only once the rest is right
    assert 'value="5천만원"' in page  # what was typed is kept


def test_the_form_shows_targets_planned_budget_and_the_last_approved_quarter(
    staff, digital_project, alice, coordinator
):
    indicator = digital_project.indicators.first()
    IndicatorTarget.objects.update_or_create(
        indicator=indicator, year=2026, defaults={"value": 150}
    )
    now = timezone.now()
    stamps = {"submitted_by": alice, "submitted_at": now, "reviewed_by": coordinator}
    ImplementationPlan.objects.create(
        project=digital_project, year=2026, state=FilingState.APPROVED, reviewed_at=now,
        budget_city=200_000_000, **stamps,
    )  # fmt: skip
    q3 = ProgressReport.objects.create(
        project=digital_project, year=2026, quarter=3, state=FilingState.APPROVED,
        reviewed_at=now, progress=40, spent_city=50_000_000, **stamps,
    )  # fmt: skip
    IndicatorResult.objects.create(report=q3, indicator=indicator, value=90)
    page = text(staff.get(URL))
    assert "목표 150" in page
    assert "계획 200.0" in page  # 백만원, from the approved plan
    assert "집행률 25.0%" in page  # the carried-over 50 of 200 백만원
    assert "3분기 승인 40.0%" in page
    assert "3분기 승인 90" in page


@pytest.mark.parametrize("url", [URL, PLAN_URL])
@pytest.mark.parametrize("action", ["save", "submit"])
def test_a_save_after_the_session_ended_signs_in_and_comes_back_to_the_form(staff, url, action):
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = staff.post(f"{url}{action}/", report_form(achievements="긴 글"))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert not ProgressReport.objects.exists() and not ImplementationPlan.objects.exists()


def test_the_keep_alive_moves_an_idle_sessions_expiry_on(staff):
    staff.get(URL)
    session = staff.session
    session["_touched"] = 0
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=2))
    assert staff.post("/session/keep-alive/").status_code == 204
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=20)


def test_the_form_carries_what_its_script_needs(staff):
    page = staff.get(URL).content.decode()
    assert 'src="/static/js/filing-form.js"' in page
    assert 'data-keep-alive="/session/keep-alive/"' in page
    assert f'data-draft-key="{staff.session["_auth_user_id"]}:{URL}"' in page


def test_a_file_sent_with_a_save_someone_else_beat_is_not_kept(staff, media, alice):
    staff.post(f"{URL}save/", report_form(achievements="처음"))
    stale = ProgressReport.objects.get().version + 1  # as if loaded before someone's save
    ProgressReport.objects.update(version=stale + 1)
    response = staff.post(
        f"{URL}save/", report_form(achievements="늦은 글", version=stale, evidence=pdf())
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "늦은 글" in page and "다시 선택해 주세요" in page
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("owners", ["both", "none"])
def test_an_attachment_belongs_to_exactly_one_report_or_plan(alice, digital_project, owners):
    from django.db import IntegrityError, transaction

    report = ProgressReport.objects.create(project=digital_project, year=2026, quarter=4)
    plan = ImplementationPlan.objects.create(project=digital_project, year=2026)
    owner = {"report": report, "plan": plan} if owners == "both" else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(
            **owner, file="evidence/x.pdf", original_name="x.pdf", size=1, uploaded_by=alice
        )


def test_a_submit_blocked_by_an_error_keeps_its_save_files_included(staff, media):
    staff.post(f"{URL}save/", report_form(evidence=pdf("지울.pdf")))
    report = ProgressReport.objects.get()
    gone = report.attachments.get()
    response = staff.post(
        f"{URL}submit/",
        report_form(status="delayed", version=report.version, evidence=pdf("새.pdf"),
                    remove_evidence=[gone.pk]),
    )  # fmt: skip
    assert response["Location"] == f"{URL}submission/"  # saved; the step shows what blocks it
    assert [a.original_name for a in ProgressReport.objects.get().attachments.all()] == ["새.pdf"]
    page = text(staff.get(f"{URL}submission/"))
    assert "문제점" in page and "새.pdf" in page and "지울.pdf" not in page


def test_an_input_with_figures_beside_it_is_described_by_them_and_by_its_error(staff):
    response = staff.post(f"{URL}save/", report_form(spent_city="1,23"))
    described = re.search(r'<input[^>]*name="spent_city"[^>]*>', response.content.decode())
    assert 'aria-describedby="id_spent_city_error id_spent_city_context"' in described.group()
