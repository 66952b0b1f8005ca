"""The reporting calendar: the coordinator opens next quarter's period with dates from the rule,
moves them before it opens, closes, reopens and extends — without Django admin — and every
change shows in its history with who and when."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from projects.models import PeriodExtension, ReportingPeriod


@pytest.fixture
def desk(client, coordinator, plan):
    client.force_login(coordinator)
    return client


def new_period(**changes):
    return {"year": 2027, "quarter": 1, "opens_on": "2027-02-01", "due_on": "2027-04-15"} | changes


def messages_of(response) -> str:
    return response.content.decode().split('class="messages"')[1].split("</ul>")[0]


def test_it_proposes_next_quarter_with_the_rules_dates(desk, open_period):
    page = desk.get("/review/periods/").content.decode()
    form = page.split('id="new-title"')[1].split("</form>")[0]
    assert 'value="2027"' in form
    assert '<option value="1" selected>' in form
    assert 'value="2027-02-01"' in form and 'value="2027-04-15"' in form  # 15 days after


def test_the_fourth_quarter_is_due_on_15_january_and_plans_on_31_march(desk):
    from projects.selectors.calendar import plan_due_on, quarter_due

    assert quarter_due(2026, 4) == date(2027, 1, 15)
    assert quarter_due(2027, 2) == date(2027, 7, 15)
    assert plan_due_on(2027) == date(2027, 3, 31)


def test_the_coordinator_opens_a_period_and_it_shows_in_the_history(desk, open_period):
    response = desk.post("/review/periods/new/", new_period(), follow=True)
    assert "2027년 1분기 보고 기간을 만들었습니다" in messages_of(response)
    period = ReportingPeriod.objects.get(year=2027, quarter=1)
    assert (period.opens_on, period.due_on) == (date(2027, 2, 1), date(2027, 4, 15))
    row = response.content.decode().split("2027년 1분기</th>")[1].split("</tr>")[0]
    assert "예정" in row
    assert "보고 기간을 만들었습니다" in row and "carol" in row


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": "2027-01-31"}, "제출 기한이 작성 시작일보다 빠릅니다"),
        ({"quarter": 4, "year": 2026, "opens_on": "2027-02-01"}, "이미 있습니다"),
        ({"quarter": 5}, "입력한 값을 확인해 주세요"),
        ({"due_on": "2027-02-30"}, "입력한 값을 확인해 주세요"),
        ({"year": "20x7"}, "입력한 값을 확인해 주세요"),
    ],
)
def test_bad_dates_are_refused_in_korean_and_nothing_is_made(desk, open_period, changes, message):
    before = ReportingPeriod.objects.count()
    response = desk.post("/review/periods/new/", new_period(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReportingPeriod.objects.count() == before
    assert 'value="2027-' in response.content.decode()  # what was typed is shown again


def test_a_period_outside_the_plans_years_is_refused(desk, open_period):
    """A 2035 period topped every period picker, which then showed another quarter."""
    response = desk.post(
        "/review/periods/new/", {"year": 2035, "quarter": 1, "opens_on": "2035-02-01",
                                 "due_on": "2035-04-15"}
    )  # fmt: skip
    assert response.status_code == 400
    assert "2035년은 기본계획 기간(2023~2027년)이 아닙니다" in response.content.decode()
    assert 'value="2035-02-01"' in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2035).exists()


def test_a_period_overlapping_another_is_refused_and_names_it(desk, open_period):
    opens_on = open_period.due_on - timedelta(days=5)  # inside 2026 Q4's window
    response = desk.post(
        "/review/periods/new/",
        new_period(opens_on=opens_on.isoformat(), due_on=(opens_on + timedelta(60)).isoformat()),
    )
    assert response.status_code == 400
    assert "2026년 4분기 보고 기간" in response.content.decode()
    assert "날짜가 겹칩니다" in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2027).exists()


@pytest.fixture
def scheduled(desk):
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        year=2027, quarter=1, opens_on=today + timedelta(days=20), due_on=today + timedelta(days=90)
    )


def test_dates_move_before_the_period_opens_and_the_history_says_from_what(desk, scheduled):
    due = scheduled.due_on + timedelta(days=5)
    response = desk.post(
        f"/review/periods/{scheduled.pk}/dates/",
        {"opens_on": scheduled.opens_on.isoformat(), "due_on": due.isoformat()},
        follow=True,
    )
    assert "날짜를 바꿨습니다" in messages_of(response)
    scheduled.refresh_from_db()
    assert scheduled.due_on == due
    row = response.content.decode().split("2027년 1분기</th>")[1].split("</tr>")[0]
    assert f"{due - timedelta(days=5)} → {due}" in row


def test_dates_of_a_period_that_has_opened_stay(desk, open_period):
    due = open_period.due_on
    response = desk.post(
        f"/review/periods/{open_period.pk}/dates/",
        {"opens_on": open_period.opens_on.isoformat(), "due_on": (due + timedelta(1)).isoformat()},
    )
    assert response.status_code == 400
    assert "이미 시작된 보고 기간의 날짜는 바꿀 수 없습니다" in response.content.decode()
    open_period.refresh_from_db()
    assert open_period.due_on == due


def test_a_move_into_the_past_or_before_the_start_is_refused(desk, scheduled):
    yesterday = timezone.localdate() - timedelta(days=1)
    for opens_on, due_on, message in [
        (yesterday, scheduled.due_on, "지난 날짜로 옮길 수 없습니다"),
        (scheduled.opens_on, scheduled.opens_on - timedelta(1), "작성 시작일보다 빠릅니다"),
    ]:
        response = desk.post(
            f"/review/periods/{scheduled.pk}/dates/",
            {"opens_on": opens_on.isoformat(), "due_on": due_on.isoformat()},
        )
        assert response.status_code == 400
        assert message in response.content.decode()


def test_closing_and_reopening_from_the_calendar_come_back_to_it(desk, open_period):
    url = f"/review/periods/{open_period.pk}"
    response = desk.post(f"{url}/close/", {"back": "periods"}, follow=True)
    assert response.redirect_chain[-1][0] == "/review/periods/"
    assert "보고 기간을 마감했습니다" in messages_of(response)
    response = desk.post(f"{url}/open/", {"back": "periods"}, follow=True)
    assert "보고 기간을 다시 열었습니다" in messages_of(response)
    row = response.content.decode().split("2026년 4분기</th>")[1].split("</tr>")[0]
    assert "마감 → 열림" in row and "열림 → 마감" in row


@pytest.mark.parametrize(
    ("action", "closed", "message"),
    [
        ("open", False, "이미 열려 있습니다"),
        ("close", True, "이미 마감되었습니다"),
    ],
)
def test_reopening_an_open_period_or_closing_a_closed_one_is_refused(
    desk, open_period, action, closed, message
):
    ReportingPeriod.objects.filter(pk=open_period.pk).update(closed=closed)
    response = desk.post(
        f"/review/periods/{open_period.pk}/{action}/", {"back": "periods"}, follow=True
    )
    assert message in messages_of(response)
    assert ReportingPeriod.objects.get(pk=open_period.pk).closed == closed


def test_a_period_that_has_not_opened_cannot_be_closed(desk, scheduled):
    response = desk.post(f"/review/periods/{scheduled.pk}/close/", {"back": "periods"}, follow=True)
    assert "아직 시작되지 않아 마감할 수 없습니다" in messages_of(response)
    assert not ReportingPeriod.objects.get(pk=scheduled.pk).closed


def test_an_extension_from_the_calendar_keeps_its_reason_in_the_history(desk, alice, open_period):
    due = open_period.due_on + timedelta(days=7)
    response = desk.post(
        f"/review/periods/{open_period.pk}/extend/",
        {"department": alice.department_id, "due_on": due.isoformat(), "reason": "인사 이동",
         "back": "periods"},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == "/review/periods/"
    row = response.content.decode().split("2026년 4분기</th>")[1].split("</tr>")[0]
    assert f"디지털산업과 → {due}" in row
    assert "인사 이동" in row and "carol" in row


def test_an_extension_without_a_reason_shows_the_calendar_again(desk, alice, open_period):
    response = desk.post(
        f"/review/periods/{open_period.pk}/extend/",
        {"department": alice.department_id, "due_on": "2027-02-01", "reason": "",
         "back": "periods"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "보고 일정" in page and "부서, 연장 기한, 사유를 모두 적어 주세요" in page
    assert not PeriodExtension.objects.exists()
