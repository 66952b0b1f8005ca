"""`send_reminders` mails each reminder once, however often it runs."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from projects import services
from projects.models import ReportingPeriod
from tests.factories import acknowledged_submit


@pytest.fixture
def due_in_five_days(db):
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today - timedelta(days=20), due_on=today + timedelta(days=5)
    )


def subjects():
    return sorted(m.subject for m in mail.outbox)


def test_staff_hear_that_the_period_opened_and_that_it_is_due_soon(
    alice, digital_project, due_in_five_days
):
    call_command("send_reminders", verbosity=0)
    mine = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert len(mine) == 2
    assert any("작성이 시작되었습니다" in m.subject for m in mine)
    due = next(m for m in mine if "제출 기한" in m.subject)
    assert "2-2-1" in due.body


def test_running_it_again_sends_nothing_new(alice, digital_project, due_in_five_days):
    call_command("send_reminders", verbosity=0)
    first = subjects()
    call_command("send_reminders", verbosity=0)
    assert subjects() == first


def test_no_due_reminder_when_everything_is_filed(alice, digital_project, due_in_five_days):
    from projects.models import Project

    for project in Project.objects.filter(lead_department=alice.department).filter(
        start_year__lte=2026, end_year__gte=2026
    ):
        report = services.report_save(
            user=alice, project=project, year=2026, quarter=4,
            values={"progress": 10}, results={}, version=None,
        )  # fmt: skip
        acknowledged_submit(user=alice, filing=report)
    call_command("send_reminders", verbosity=0)
    assert not any("제출 기한" in s for s in subjects())


def test_no_due_reminder_more_than_seven_days_ahead(alice, digital_project, open_period):
    call_command("send_reminders", verbosity=0)
    assert [s for s in subjects() if "제출 기한" in s] == []
    assert any("작성이 시작되었습니다" in s for s in subjects())


def test_an_extension_brings_a_new_due_reminder(
    alice, coordinator, digital_project, due_in_five_days
):
    call_command("send_reminders", verbosity=0)
    services.extension_grant(
        user=coordinator, period=due_in_five_days, department=alice.department,
        due_on=due_in_five_days.due_on + timedelta(days=2), reason="연장",
    )  # fmt: skip
    call_command("send_reminders", verbosity=0)
    due = [m for m in mail.outbox if m.to == ["alice@example.org"] and "제출 기한" in m.subject]
    assert len(due) == 2  # the first deadline, then the extended one
