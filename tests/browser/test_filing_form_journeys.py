"""The report form in a browser: text and files saved in one go, the typed text restored
after the session ended, and a whole quarter filed in a counted number of interactions."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from projects.choices import FilingState
from projects.models import ProgressReport, ReportingPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/projects/2-2-1/reports/2026/4/"
NARRATIVE = "빅데이터 플랫폼 1차 개통, 데이터셋 120종 개방"


@pytest.fixture
def open_period(db):
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today - timedelta(days=10), due_on=today + timedelta(days=20)
    )


@pytest.fixture
def evidence(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "결과보고서.pdf"
    path.write_bytes(b"%PDF-1.4 evidence")
    return path


def sign_in_here(page, username: str) -> None:
    """Through the sign-in form the page is on (keeping its ?next=)."""
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo1234!")
    page.locator("main button[type=submit]").click()


def test_typed_text_comes_back_after_the_session_ended_mid_typing(
    live_server, page, sign_in, plan, alice, open_period
):
    sign_in(page, "alice")
    page.goto(f"{live_server.url}{REPORT}")
    page.get_by_label("추진실적", exact=True).fill(NARRATIVE)
    page.get_by_label("문제점").fill("예산 집행 지연")
    page.get_by_label("집행액 시비(원)").fill("1,234,567")
    Session.objects.all().delete()  # the idle sign-out, while the person was typing

    page.get_by_role("button", name="임시 저장").click()
    page.wait_for_url(lambda url: "/accounts/login/" in url)
    assert page.url.endswith(f"/accounts/login/?next={REPORT}")
    assert not ProgressReport.objects.exists()
    sign_in_here(page, "alice")
    page.wait_for_url(f"{live_server.url}{REPORT}")

    assert page.get_by_label("추진실적", exact=True).input_value() == NARRATIVE
    assert page.get_by_label("문제점").input_value() == "예산 집행 지연"
    assert page.get_by_label("집행액 시비(원)").input_value() == "1,234,567"
    expect(page.get_by_text("저장하지 않은 입력 내용을 이 기기에서 복원했습니다")).to_be_visible()

    page.get_by_role("button", name="임시 저장").click()
    page.wait_for_url(f"{live_server.url}{REPORT}")
    expect(page.locator("body")).to_contain_text("임시 저장했습니다")
    report = ProgressReport.objects.get()
    assert (report.achievements, report.spent_city) == (NARRATIVE, 1_234_567)
    page.reload()  # saved: the draft is gone, nothing is restored over the record
    expect(page.get_by_text("저장하지 않은 입력 내용을 이 기기에서 복원했습니다")).to_be_hidden()


class Counted:
    """The page as a person uses it, counting each click and each field typed or chosen."""

    def __init__(self, page):
        self.page, self.interactions = page, 0

    def click(self, locator) -> None:
        self.interactions += 1
        locator.click()

    def type(self, locator, value: str) -> None:
        self.interactions += 1
        locator.fill(value)

    def choose_file(self, locator, path) -> None:
        self.interactions += 1
        locator.set_input_files(str(path))


def test_a_staff_member_files_a_complete_quarter_in_at_most_25_interactions(
    live_server, page, plan, alice, open_period, evidence
):
    me = Counted(page)
    page.goto(f"{live_server.url}/accounts/login/")
    me.type(page.locator("#id_username"), "alice")
    me.type(page.locator("#id_password"), "demo1234!")
    me.click(page.locator("main button[type=submit]"))
    page.wait_for_url(f"{live_server.url}/my/")  # staff land on 내 업무
    me.click(page.locator(f'a[href="{REPORT}"]').first)

    me.type(page.get_by_label("진척률(%)"), "45")
    me.type(page.get_by_label("추진실적", exact=True), NARRATIVE)
    me.type(page.get_by_label("향후계획"), "2단계 분석 과제 착수")
    me.type(page.get_by_label("개방 데이터셋 수 (종)"), "120")
    me.type(page.get_by_label("데이터 분석 과제 수 (건)"), "8")
    me.type(page.get_by_label("집행액 국비(원)"), "150,000,000")
    me.type(page.get_by_label("집행액 시비(원)"), "60,000,000")
    me.choose_file(page.get_by_label("증빙자료 추가"), evidence)
    me.click(page.get_by_role("button", name="제출하기"))
    page.wait_for_url("**/submission/")  # the confirmation step: each warning ticked
    warnings = page.get_by_role("checkbox")
    for index in range(warnings.count()):
        me.click(warnings.nth(index))
    me.click(page.get_by_role("button", name="제출하기"))
    page.wait_for_url(f"{live_server.url}{REPORT}")
    expect(page.locator("body")).to_contain_text("제출했습니다")

    assert me.interactions <= 25, me.interactions
    report = ProgressReport.objects.get()
    assert report.state == FilingState.SUBMITTED
    assert (report.achievements, report.spent_national, report.spent_city) == (
        NARRATIVE, 150_000_000, 60_000_000,
    )  # fmt: skip
    assert sorted(r.value for r in report.results.all()) == [8, 120]
    assert report.attachments.get().original_name == "결과보고서.pdf"
    print(f"interactions: {me.interactions}")
