"""Fixtures the permission tests share: one user of each role, an evidence file, and an
approved plan (for its change requests)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects import services
from projects.choices import FilingState
from projects.models import ImplementationPlan, IndicatorTarget
from tests.factories import UserFactory


@pytest.fixture
def users(alice, bob, committee, coordinator):
    from projects.choices import Role

    return {
        "lead_head": UserFactory(username="dana", department=alice.department, role=Role.HEAD),
        "anonymous": None,
        "lead_staff": alice,
        "other_staff": bob,
        "committee": committee,
        "coordinator": coordinator,
        "admin": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def evidence(alice, digital_project, open_period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": 10}, results={}, version=None,
    )  # fmt: skip
    upload = SimpleUploadedFile("근거.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    return services.attachment_add(user=alice, filing=report, upload=upload)


@pytest.fixture
def approved_plan(alice, coordinator, digital_project):
    """2-2-1's 2026 plan, approved: 시비 1억 원, and a target of 10 for its first indicator."""
    now = timezone.now()
    plan = ImplementationPlan.objects.create(
        project=digital_project, year=2026, goal="플랫폼 구축",
        **{f"q{q}_plan": f"{q}분기 추진" for q in range(1, 5)},
        budget_city=100_000_000, state=FilingState.APPROVED,
        submitted_by=alice, submitted_at=now, reviewed_by=coordinator, reviewed_at=now,
    )  # fmt: skip
    indicator = digital_project.indicators.first()
    IndicatorTarget.objects.update_or_create(
        indicator=indicator, year=2026, defaults={"value": Decimal(10)}
    )
    return plan
