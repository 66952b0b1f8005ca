"""/public/: the citizens' view — approved figures only, no names, no comments, cached."""

import pytest
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
