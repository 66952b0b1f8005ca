"""Fixtures the permission tests share: one user of each role, and an evidence file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
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
