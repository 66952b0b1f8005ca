import json

import pytest
from django.conf import settings

from projects.choices import Role
from projects.services import plan_load
from strategies.models import Plan
from tests.factories import DepartmentFactory, UserFactory


def load_shipped_plan():
    data = json.loads((settings.BASE_DIR / "fixtures" / "plan.json").read_text(encoding="utf-8"))
    return plan_load(data=data)[0]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped plan once into the test database; each test rolls back to it."""
    with django_db_blocker.unblock():
        load_shipped_plan()


@pytest.fixture
def plan(db):
    """The shipped plan: 4 phases, 4 directions, 10 tasks, 29 illustrative projects.

    Tests that flush the database (live-server tests) find it gone and load it again.
    """
    return Plan.objects.first() or load_shipped_plan()


@pytest.fixture
def alice(db):
    """Staff of the 디지털산업과 (digital) department."""
    department = DepartmentFactory(code="digital", name="디지털산업과")
    return UserFactory(username="alice", department=department, role=Role.STAFF)


@pytest.fixture
def coordinator(db):
    return UserFactory(username="carol", role=Role.COORDINATOR)


@pytest.fixture
def committee(db):
    return UserFactory(username="charlie", role=Role.COMMITTEE)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)
