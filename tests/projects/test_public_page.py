"""/public/: the citizens' view — approved figures only, no names, no comments, cached."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.choices import CommentKind, FilingState, ProjectStatus
from projects.models import Comment, ProgressReport, Project


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_it_is_404_when_the_public_page_is_off(client, plan):
    assert client.get("/public/").status_code == 404


@pytest.fixture
def mixed_reports(plan, alice, coordinator):
    alice.last_name, alice.first_name = "김", "담당"
    alice.save()
    now = timezone.now()
    project = Project.objects.get(code="2-2-1")
    approved = ProgressReport.objects.create(
        project=project, year=2026, quarter=1, progress=12.3, status=ProjectStatus.ON_TRACK,
        state=FilingState.APPROVED, submitted_by=alice, submitted_at=now,
        reviewed_by=coordinator, reviewed_at=now, achievements="공개되어도 되는 실적",
    )  # fmt: skip
    Comment.objects.create(report=approved, author=coordinator, kind=CommentKind.OPINION,
                           body="내부 검토 의견입니다")  # fmt: skip
    ProgressReport.objects.create(
        project=project, year=2026, quarter=2, progress=77.7, status=ProjectStatus.AT_RISK,
        state=FilingState.SUBMITTED, submitted_by=alice, submitted_at=now,
        problems="내부 문제점", countermeasures="내부 대책",
    )  # fmt: skip
    ProgressReport.objects.create(
        project=Project.objects.get(code="3-2-1"), year=2026, quarter=1, progress=55.5,
        status=ProjectStatus.DROPPED, state=FilingState.DRAFT,
    )  # fmt: skip


@override_settings(PUBLIC_PAGE=True)
def test_anyone_sees_only_approved_figures_without_names_or_comments(client, mixed_reports):
    response = client.get("/public/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "12.3%" in page  # the approved progress
    for secret in ("77.7", "55.5", "부진", "중단", "김담당", "alice", "carol",
                   "내부 검토 의견입니다", "내부 문제점", "로그아웃"):  # fmt: skip
        assert secret not in page, secret


@override_settings(PUBLIC_PAGE=True)
def test_it_is_served_from_the_cache_the_second_time(client, plan):
    client.get("/public/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/public/").status_code == 200
    assert len(queries) == 0


def cache_entries() -> int:
    """How many entries the shared (file-based) cache holds."""
    return sum(1 for path in Path(settings.CACHES["default"]["LOCATION"]).rglob("*.djcache"))


@override_settings(PUBLIC_PAGE=True)
def test_query_strings_make_no_new_cache_entries(client, plan):
    assert client.get("/public/").status_code == 200
    entries = cache_entries()
    for query in ("?x=1", "?x=2", "?utm=abc", "?page=1&y=2", "?page=abc", "?page=999", "?page=01"):
        assert client.get(f"/public/{query}").status_code in (200, 302), query
    assert cache_entries() == entries


@override_settings(PUBLIC_PAGE=True)
def test_a_page_that_does_not_exist_is_sent_to_the_page_shown(client, plan):
    response = client.get("/public/?page=999")
    assert response.status_code == 302
    assert response["Location"] == "/public/"


def test_dashboard_years_outside_the_plan_make_no_new_cache_entries(client, committee):
    client.force_login(committee)
    assert client.get("/?year=2026&quarter=1").status_code == 200
    entries = cache_entries()
    for year in (1, 999, 2022, 2028, 9999):
        response = client.get(f"/?year={year}&quarter=1")
        assert (response.status_code, response["Location"]) == (302, "/"), year
    for period in ("2022-2", "2028-1", "9999-4"):
        assert client.get(f"/?period={period}").status_code == 302
    assert cache_entries() == entries
