"""/my/ (내 업무): everything a department owes, most urgent first, each with its deadline, days
left or late and extension; the page staff land on after signing in."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from projects.choices import FilingState, Role
from projects.models import ImplementationPlan, PeriodExtension, ProgressReport, ReportingPeriod
from projects.selectors import todo
from projects.views.pages import OWED_PER_PAGE
from tests.factories import DepartmentFactory, ProjectFactory, UserFactory

TODAY = date(2026, 11, 16)


@pytest.fixture
def dana(plan):
    """Staff of a department of their own, so only the projects made here are theirs."""
    department = DepartmentFactory(code="desk", name="업무과")
    return UserFactory(username="dana", department=department, role=Role.STAFF)


@pytest.fixture
def desk(client, dana, monkeypatch):
    monkeypatch.setattr(todo, "_today", lambda: TODAY)
    client.force_login(dana)
    return client


def period(year, quarter, *, opens_on, due_on, closed=False):
    return ReportingPeriod.objects.create(
        year=year, quarter=quarter, opens_on=opens_on, due_on=due_on, closed=closed
    )


def filing(project, state, who, *, year, quarter=None, reason=""):
    now = timezone.now()
    stamps = {"state": state}
    if state != FilingState.DRAFT:
        stamps |= {"submitted_by": who, "submitted_at": now}
    if state in (FilingState.APPROVED, FilingState.RETURNED):
        stamps |= {"reviewed_by": who, "reviewed_at": now, "review_comment": reason}
    if quarter is None:
        return ImplementationPlan.objects.create(project=project, year=year, **stamps)
    return ProgressReport.objects.create(project=project, year=year, quarter=quarter, **stamps)


def items(page: str) -> list[str]:
    """Each listed thing: "<code> <what>", in the page's order."""
    found = re.findall(
        r'<p class="owed__what">([^<]+)</p>\s*<h3 class="owed__title"><a class="owed__link" '
        r'href="[^"]+"><span class="code">([^<]+)</span>',
        page,
    )
    return [f"{code} {what}" for what, code in found]


def item_text(page: str, code: str, what: str) -> str:
    """The text of one listed thing."""
    for li in re.findall(r'<li class="owed .*?</li>', page, re.S):
        if f'<span class="code">{code}</span>' in li and what in li:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", li))
    raise AssertionError(f"{code} {what} not listed")


@pytest.fixture
def owed(dana, coordinator):
    """Two projects: 9-9-01 runs 2025–2027, 9-9-02 only 2026. 2026 Q2 is closed and was due
    in July; Q3 was due 20 October, extended for this department to 20 November; Q4 is open."""
    department = dana.department
    ours = {"lead_department": department}
    long = ProjectFactory(code="9-9-01", start_year=2025, end_year=2027, **ours)
    short = ProjectFactory(code="9-9-02", start_year=2026, end_year=2026, **ours)
    q2 = period(2026, 2, opens_on=date(2026, 5, 1), due_on=date(2026, 7, 20), closed=True)
    q3 = period(2026, 3, opens_on=date(2026, 8, 1), due_on=date(2026, 10, 20))
    period(2026, 4, opens_on=date(2026, 11, 1), due_on=date(2027, 1, 20))
    period(2027, 1, opens_on=date(2027, 2, 1), due_on=date(2027, 4, 20))  # not open yet
    PeriodExtension.objects.create(
        period=q3, department=department, due_on=date(2026, 11, 20), reason="시스템 교체",
        granted_by=coordinator,
    )  # fmt: skip
    for project, year in ((long, 2025), (long, 2026), (short, 2026)):
        filing(project, FilingState.APPROVED, coordinator, year=year)
    filing(long, FilingState.APPROVED, coordinator, year=2026, quarter=2)
    filing(long, FilingState.RETURNED, coordinator, year=2026, quarter=3, reason="증빙 보완")
    filing(short, FilingState.DRAFT, dana, year=2026, quarter=3)
    filing(short, FilingState.SUBMITTED, dana, year=2026, quarter=4)
    assert q2.closed
    return long, short


def test_it_lists_returned_then_late_then_by_deadline_up_to_next_years_plans(desk, owed):
    page = desk.get("/my/").content.decode()
    assert items(page) == [
        "9-9-01 2026년 3분기 실적",  # returned
        "9-9-02 2026년 2분기 실적",  # late since July
        "9-9-02 2026년 3분기 실적",  # extended to 20 November
        "9-9-01 2026년 4분기 실적",  # due 20 January
        "9-9-01 2027년 시행계획",  # due 31 March
    ]  # not 9-9-02's Q4 report, submitted; nor 2027 Q1, not open yet


def test_each_item_says_its_deadline_days_left_or_late_extension_and_state(desk, owed):
    page = desk.get("/my/").content.decode()
    late = item_text(page, "9-9-02", "2026년 2분기 실적")
    assert "기한 2026-07-20" in late and f"{(TODAY - date(2026, 7, 20)).days}일 지남" in late
    assert "미작성" in late and "마감" in late
    extended = item_text(page, "9-9-02", "2026년 3분기 실적")
    assert "기한 2026-11-20" in extended and "4일 남음" in extended
    assert "기한 연장 (원래 2026-10-20)" in extended and "작성중" in extended
    returned = item_text(page, "9-9-01", "2026년 3분기 실적")
    assert "보완요청" in returned and "증빙 보완" in returned
    plan = item_text(page, "9-9-01", "2027년 시행계획")
    assert "기한 2027-03-31" in plan and f"{(date(2027, 3, 31) - TODAY).days}일 남음" in plan
    assert re.search(r'id="owed-0">[^<]*보완요청', page)
    assert "보완요청 <strong>1</strong>" in page and "기한 지남 <strong>1</strong>" in page


def test_next_years_plans_are_listed_only_from_october(desk, owed, monkeypatch):
    monkeypatch.setattr(todo, "_today", lambda: date(2026, 9, 30))
    assert "9-9-01 2027년 시행계획" not in items(desk.get("/my/").content.decode())


def test_a_years_plan_not_sent_by_march_is_late_and_a_past_years_is_not_listed(desk, owed):
    long, _short = owed
    ImplementationPlan.objects.filter(project=long, year=2025).delete()
    ImplementationPlan.objects.filter(project=long, year=2026).update(
        state=FilingState.DRAFT, submitted_by=None, submitted_at=None, reviewed_by=None,
        reviewed_at=None,
    )  # fmt: skip
    page = desk.get("/my/").content.decode()
    assert items(page)[1] == "9-9-01 2026년 시행계획"
    assert "9-9-01 2025년 시행계획" not in items(page)
    assert f"{(TODAY - date(2026, 3, 31)).days}일 지남" in item_text(page, "9-9-01", "시행계획")


def test_a_long_list_is_paged(desk, dana):
    period(2026, 4, opens_on=date(2026, 11, 1), due_on=date(2027, 1, 20))
    for n in range(OWED_PER_PAGE + 3):
        ProjectFactory(code=f"9-8-{n:02}", start_year=2026, end_year=2026,
                       lead_department=dana.department)  # fmt: skip
    ImplementationPlan.objects.bulk_create(
        ImplementationPlan(project=p, year=2026, state=FilingState.APPROVED,
                           submitted_by=dana, submitted_at=timezone.now(), reviewed_by=dana,
                           reviewed_at=timezone.now())
        for p in dana.department.led_projects.all()
    )  # fmt: skip
    first = desk.get("/my/").content.decode()
    assert len(items(first)) == OWED_PER_PAGE
    assert "1 / 2쪽 (모두 23건)" in first
    rest = items(desk.get("/my/?page=2").content.decode())
    last = range(OWED_PER_PAGE, OWED_PER_PAGE + 3)
    assert rest == [f"9-8-{n:02} 2026년 4분기 실적" for n in last]


def test_nothing_owed_says_so(desk):
    assert "지금 제출할 문서가 없습니다" in desk.get("/my/").content.decode()


@pytest.mark.parametrize(("who", "lands_on"), [("alice", "/my/"), ("charlie", "/"), ("carol", "/")])
def test_staff_land_on_their_work_after_signing_in_and_others_on_the_dashboard(
    client, alice, committee, coordinator, plan, who, lands_on
):
    response = client.post(
        "/accounts/login/", {"username": who, "password": "demo1234!"}, follow=True
    )
    assert response.redirect_chain[-1][0] == lands_on
    assert response.status_code == 200


def test_a_next_address_still_wins_over_the_landing_page(client, alice, plan):
    response = client.post("/accounts/login/?next=/plan/", {"username": "alice",
                           "password": "demo1234!"})  # fmt: skip
    assert response["Location"] == "/plan/"


def test_a_department_head_reads_the_departments_to_do_and_lands_on_it(
    client, dana, owed, monkeypatch
):
    monkeypatch.setattr(todo, "_today", lambda: TODAY)
    head = UserFactory(username="hana", department=dana.department, role=Role.HEAD)
    response = client.post("/accounts/login/", {"username": "hana", "password": "demo1234!"})
    assert client.get(response["Location"])["Location"] == "/my/"
    client.force_login(head)
    assert items(client.get("/my/").content.decode()) == items(
        client.force_login(dana) or client.get("/my/").content.decode()
    )


def test_the_days_are_counted_from_today(owed, dana):
    listed = todo.department_owed(department_id=dana.department_id, today=TODAY + timedelta(5))
    extended = next(o for o in listed if o.code == "9-9-02" and o.quarter == 3)
    assert extended.days_late == 1 and extended.urgency == todo.Urgency.LATE
