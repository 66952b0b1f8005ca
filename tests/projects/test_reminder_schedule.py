"""A whole quarter of daily `send_reminders` runs on a frozen clock: the period opens, D-7, the
deadline, then every N days while overdue (the head too, once overdue), until the filing is
in; an extension moves the schedule; every mail goes once and is logged."""

import io
import smtplib
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from projects import services
from projects.choices import Role
from projects.models import Notification, Project, ReportingPeriod
from tests.factories import UserFactory, acknowledged_submit

OPENS, DUE = date(2026, 8, 1), date(2026, 10, 15)


class Clock:
    """timezone.now() (and so localdate(), auto_now_add) frozen at 10:00 of a chosen day."""

    def __init__(self):
        self.day = OPENS

    def now(self):
        return timezone.make_aware(datetime.combine(self.day, time(10)))


@pytest.fixture
def clock(monkeypatch, settings):
    settings.REMINDER_OVERDUE_EVERY_DAYS = 7
    frozen = Clock()
    monkeypatch.setattr(timezone, "now", frozen.now)
    return frozen


@pytest.fixture
def quarter(clock, alice, bob, digital_project):
    """2026 Q3 (opens 1 Aug, due 15 Oct); alice's department has a head, dana; bob's has none."""
    bob.email = "bob@example.org"
    bob.save(update_fields=["email"])
    UserFactory(
        username="dana", department=alice.department, role=Role.HEAD, email="dana@example.org"
    )
    return ReportingPeriod.objects.create(year=2026, quarter=3, opens_on=OPENS, due_on=DUE)


def run_days(clock, first: date, last: date, *, on_day=None) -> list[tuple[date, str, str]]:
    """Run send_reminders once a day from first to last: (day, recipient, subject) per mail."""
    sent = []
    day = first
    while day <= last:
        clock.day = day
        if on_day:
            on_day(day)
        before = len(mail.outbox)
        call_command("send_reminders", stdout=io.StringIO())
        sent += [(day, m.to[0].split("@")[0], m.subject) for m in mail.outbox[before:]]
        day += timedelta(days=1)
    return sent


def to(sent, who: str) -> list[tuple[date, str]]:
    return [(day, subject) for day, name, subject in sent if name == who]


def kinds(mails) -> list[tuple[date, str]]:
    """(day, which reminder) from the subjects a person received."""
    words = {
        "작성이 시작되었습니다": "opened",
        "제출 기한이": "D-7",
        "이 되었습니다": "deadline",
        "지났습니다": "overdue",
    }
    return [(day, next(k for w, k in words.items() if w in subject)) for day, subject in mails]


def file_everything(user, year=2026, quarter=3):
    for project in Project.objects.filter(
        lead_department=user.department, start_year__lte=year, end_year__gte=year
    ):
        report = services.report_save(
            user=user, project=project, year=year, quarter=quarter,
            values={"progress": 10}, results={}, version=None,
        )  # fmt: skip
        acknowledged_submit(user=user, filing=report)


def d(month, day):
    return date(2026, month, day)


def test_a_department_that_never_files_hears_on_schedule_and_its_head_once_overdue(clock, quarter):
    sent = run_days(clock, d(7, 25), d(11, 5))
    assert kinds(to(sent, "alice")) == [
        (d(8, 1), "opened"),
        (d(10, 8), "D-7"),
        (d(10, 15), "deadline"),
        (d(10, 22), "overdue"),
        (d(10, 29), "overdue"),
        (d(11, 5), "overdue"),
    ]
    assert kinds(to(sent, "dana")) == [
        (d(10, 22), "overdue"),
        (d(10, 29), "overdue"),
        (d(11, 5), "overdue"),
    ]
    assert "7일 지났습니다" in to(sent, "dana")[0][1]
    assert "21일 지났습니다" in to(sent, "dana")[2][1]


def test_every_mail_goes_once_and_is_logged(clock, quarter):
    sent = run_days(clock, d(7, 25), d(11, 5))
    assert len(sent) == len(set(sent)) == Notification.objects.count()
    rerun = run_days(clock, d(11, 5), d(11, 5))
    assert rerun == []
    logged = Notification.objects.filter(recipient__username="dana")
    assert {n.outcome for n in logged} == {Notification.Outcome.SENT}
    assert {n.department.code for n in logged} == {"digital"}
    assert [n.sent_at.date() for n in logged.order_by("sent_at")] == [
        d(10, 22),
        d(10, 29),
        d(11, 5),
    ]


def test_reminders_stop_as_soon_as_the_department_has_filed(clock, quarter, alice):
    def files_on_the_twentieth(day):
        if day == d(10, 20):
            file_everything(alice)

    sent = run_days(clock, d(7, 25), d(11, 12), on_day=files_on_the_twentieth)
    assert kinds(to(sent, "alice")) == [
        (d(8, 1), "opened"),
        (d(10, 8), "D-7"),
        (d(10, 15), "deadline"),
    ]
    assert to(sent, "dana") == []
    assert [day for day, _ in kinds(to(sent, "bob"))][-1] == d(11, 12)  # bob still owes


def test_an_extension_moves_one_departments_schedule(clock, quarter, alice, coordinator):
    def extends_on_the_tenth(day):
        if day == d(10, 10):
            services.extension_grant(
                user=coordinator, period=quarter, department=alice.department,
                due_on=d(10, 29), reason="전산 장애",
            )  # fmt: skip

    sent = run_days(clock, d(7, 25), d(11, 5), on_day=extends_on_the_tenth)
    assert kinds(to(sent, "alice")) == [
        (d(8, 1), "opened"),
        (d(10, 8), "D-7"),
        (d(10, 22), "D-7"),  # the extended deadline's
        (d(10, 29), "deadline"),
        (d(11, 5), "overdue"),
    ]
    assert kinds(to(sent, "dana")) == [(d(11, 5), "overdue")]
    assert kinds(to(sent, "bob"))[2:4] == [(d(10, 15), "deadline"), (d(10, 22), "overdue")]


def test_the_overdue_interval_is_a_setting(clock, quarter, settings):
    settings.REMINDER_OVERDUE_EVERY_DAYS = 3
    sent = run_days(clock, d(10, 14), d(10, 24))
    assert kinds(to(sent, "dana")) == [(d(10, 18), "overdue"), (d(10, 21), "overdue"),
                                       (d(10, 24), "overdue")]  # fmt: skip


def test_a_closed_period_sends_nothing(clock, quarter):
    ReportingPeriod.objects.filter(pk=quarter.pk).update(closed=True)
    assert run_days(clock, d(10, 14), d(10, 24)) == []


def refusing_mail_server(*args, **kwargs):
    raise smtplib.SMTPException("550 refused")


def test_a_mail_server_that_refuses_is_logged_as_failed_and_tried_again(
    clock, quarter, monkeypatch
):
    with monkeypatch.context() as patched:
        patched.setattr("projects.notify.send_mail", refusing_mail_server)
        run_days(clock, d(8, 1), d(8, 1))
    assert set(Notification.objects.values_list("outcome", flat=True)) == {"failed"}
    run_days(clock, d(8, 2), d(8, 2))
    assert Notification.objects.filter(outcome="sent").count() == 2  # alice and bob


def test_a_closed_period_still_reminds_a_department_whose_extension_runs(
    clock, quarter, alice, coordinator
):
    def extends_and_closes_on_the_sixteenth(day):
        if day == d(10, 16):
            services.extension_grant(
                user=coordinator, period=quarter, department=alice.department,
                due_on=d(10, 29), reason="전산 장애",
            )  # fmt: skip
            ReportingPeriod.objects.filter(pk=quarter.pk).update(closed=True)

    sent = run_days(clock, d(8, 1), d(11, 12), on_day=extends_and_closes_on_the_sixteenth)
    after = [(day, kind) for day, kind in kinds(to(sent, "alice")) if day > d(10, 15)]
    assert after == [(d(10, 22), "D-7"), (d(10, 29), "deadline")]
    assert [day for day, _ in to(sent, "bob") if day > d(10, 15)] == []
    assert to(sent, "dana") == []
