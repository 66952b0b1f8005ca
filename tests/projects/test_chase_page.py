"""The 미제출·독촉 page: what each department and project owes, the 독촉 buttons and the log."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from projects import services
from projects.choices import Role
from projects.models import Notification, ReportingPeriod
from tests.factories import UserFactory, acknowledged_submit


@pytest.fixture
def dana(alice):
    """The head of alice's department (디지털산업과)."""
    return UserFactory(
        username="dana", department=alice.department, role=Role.HEAD, email="dana@example.org"
    )


@pytest.fixture
def desk(client, coordinator, alice, dana, digital_project, past_period):
    """The coordinator on the page, with 2026 Q3 due yesterday and nothing filed."""
    client.force_login(coordinator)
    return client


def chase_url(period, department):
    return f"/review/missing/{period.pk}/departments/{department.pk}/chase/"


def test_it_shows_per_department_and_per_project_what_is_late(desk):
    page = desk.get("/review/missing/").content.decode()
    assert "디지털산업과" in page
    assert "2-2-1" in page
    assert "2026년 3분기 실적" in page
    assert "1일" in page  # a day late
    assert "2026-03-31" in page  # the year's plans are due too


def test_a_filed_report_counts_as_filed_and_leaves_the_project_list(desk, alice, digital_project):
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=3,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    acknowledged_submit(user=alice, filing=report)
    page = desk.get("/review/missing/").content.decode()
    assert "1 / 6" in page
    assert report_rows(page, "2-2-1") == []


def report_rows(page: str, code: str) -> list[str]:
    """The rows of the per-project list about the project's quarterly report."""
    listed = page.split('id="projects-title"')[1].split("</table>")[0]
    return [row for row in listed.split("<tr>") if f">{code} " in row and "분기 실적" in row]


def test_an_extension_is_shown_with_its_reason_and_ends_the_lateness(
    desk, coordinator, alice, past_period
):
    services.extension_grant(
        user=coordinator, period=past_period, department=alice.department,
        due_on=past_period.due_on + timedelta(days=10), reason="전산 장애로 연장",
    )  # fmt: skip
    page = desk.get("/review/missing/").content.decode()
    digital = page.split("디지털산업과</th>")[1].split("</tr>")[0]
    extended = (past_period.due_on + timedelta(days=10)).isoformat()
    assert "연장" in digital and "전산 장애로 연장" in digital and extended in digital
    [row] = report_rows(page, "2-2-1")
    assert extended in row and "badge--late" not in row


def test_the_chase_button_mails_the_staff_and_the_head_now_and_logs_it(
    desk, alice, past_period, coordinator
):
    response = desk.post(chase_url(past_period, alice.department), follow=True)
    assert response.status_code == 200
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "dana@example.org"]
    assert "2-2-1" in mail.outbox[0].body
    page = response.content.decode()
    assert "디지털산업과에 독촉 메일 2통을 보냈습니다" in page
    log = page.split('id="log-title"')[1]
    assert "독촉" in log and "carol" in log and "dana" in log
    logged = Notification.objects.filter(kind=Notification.Kind.CHASE)
    assert {(n.sent_by, n.outcome) for n in logged} == {(coordinator, "sent")}


def test_pressing_it_again_chases_again(desk, alice, past_period):
    desk.post(chase_url(past_period, alice.department))
    desk.post(chase_url(past_period, alice.department))
    assert len(mail.outbox) == 4


def test_the_button_for_all_late_departments_mails_each_of_them(desk, bob, past_period):
    bob.email = "bob@example.org"
    bob.save(update_fields=["email"])
    response = desk.post(f"/review/missing/{past_period.pk}/chase/", follow=True)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org",
        "bob@example.org",
        "dana@example.org",
    ]
    assert "기한이 지난 모든 부서에 독촉 메일 3통을 보냈습니다" in response.content.decode()


def test_a_department_that_owes_nothing_is_not_chased(desk, coordinator, plan):
    from projects.models import Department

    quiet = Department.objects.create(name="조용한과", code="quiet")
    period = ReportingPeriod.objects.get(year=2026, quarter=3)
    response = desk.post(chase_url(period, quiet), follow=True)
    assert "낼 자료를 모두 제출했습니다" in response.content.decode()
    assert mail.outbox == []


def test_nothing_late_refuses_the_chase_all_button(desk):
    today = timezone.localdate()  # next year's plans and this report: neither due yet
    period = ReportingPeriod.objects.create(
        year=2027, quarter=1, opens_on=today, due_on=today + timedelta(days=3)
    )
    response = desk.post(f"/review/missing/{period.pk}/chase/", follow=True)
    assert "기한이 지난 미제출 부서가 없습니다" in response.content.decode()
    assert mail.outbox == []


def refusing_mail_server(*args, **kwargs):
    raise smtplib.SMTPException("451 try later")


def test_a_mail_server_that_refuses_is_logged_and_shown_never_a_500(
    desk, alice, past_period, monkeypatch
):
    monkeypatch.setattr("projects.notify.send_mail", refusing_mail_server)
    response = desk.post(chase_url(past_period, alice.department), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2통은 보내지 못했습니다" in page
    assert "실패" in page.split('id="log-title"')[1]
    assert set(Notification.objects.values_list("outcome", flat=True)) == {"failed"}


def test_a_department_without_addresses_is_told_not_sent(desk, alice, dana, past_period):
    type(alice).objects.filter(pk__in=[alice.pk, dana.pk]).update(email="")
    response = desk.post(chase_url(past_period, alice.department), follow=True)
    assert "메일 주소가 있는 담당자나 부서장이 없어" in response.content.decode()


def test_the_log_shows_automatic_reminders_too_and_is_paged(desk, alice, past_period):
    for n in range(35):
        Notification.objects.create(
            kind=Notification.Kind.OVERDUE, key=f"k{n}", recipient=alice,
            subject=f"기한 경과 {n}", department=alice.department,
        )  # fmt: skip
    page = desk.get("/review/missing/").content.decode()
    assert "자동" in page and "기한 경과 34" in page
    assert "log=2" in page
    assert "기한 경과 0<" in desk.get("/review/missing/?log=2").content.decode()


def test_another_period_can_be_chosen(desk, open_period):
    page = desk.get(f"/review/missing/?period={open_period.pk}").content.decode()
    assert "2026년 4분기 실적" in page


def test_without_any_opened_period_it_says_so(client, coordinator):
    client.force_login(coordinator)
    assert "아직 시작된 보고 기간이 없습니다" in client.get("/review/missing/").content.decode()
