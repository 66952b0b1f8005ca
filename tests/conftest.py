import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from projects.choices import Role
from projects.models import Project, ReportingPeriod
from projects.services import plan_load
from strategies.models import Plan
from tests.factories import DepartmentFactory, UserFactory


def load_shipped_plan():
    data = json.loads((settings.BASE_DIR / "fixtures" / "plan.json").read_text(encoding="utf-8"))
    return plan_load(data=data)[0]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (the dashboard and the public page use it)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def korean_after_each_test():
    """Each test leaves Korean active: a request in English (LocaleMiddleware activates the
    cookie's language in this thread and leaves it) made a later test's workbook English."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped plan once into the test database; each test rolls back to it."""
    with django_db_blocker.unblock():
        load_shipped_plan()
    yield


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker):
    """The demo (seed_demo), made once for a module: each test rolls back its own writes to it,
    and the demo goes at the end of the module. A module that uses it has the demo under every
    test that touches the database from the first one that asks for it; live-server tests
    flush the database after each test and so seed their own."""
    with django_db_blocker.unblock(), transaction.atomic():
        if not Plan.objects.exists():  # a live-server test before it flushed the database
            load_shipped_plan()
        with override_settings(DEBUG=True):
            call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


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
    return UserFactory(
        username="alice", department=department, role=Role.STAFF, email="alice@example.org"
    )


@pytest.fixture
def bob(db):
    """Staff of the 기후환경과 (climate) department: another department than alice's."""
    department = DepartmentFactory(code="climate", name="기후환경과")
    return UserFactory(username="bob", department=department, role=Role.STAFF)


@pytest.fixture
def coordinator(db):
    return UserFactory(username="carol", role=Role.COORDINATOR)


@pytest.fixture
def committee(db):
    return UserFactory(username="charlie", role=Role.COMMITTEE)


@pytest.fixture
def digital_project(plan):
    """2-2-1, led by alice's department (디지털산업과), runs 2023–2026."""
    return Project.objects.get(code="2-2-1")


@pytest.fixture
def open_period(db):
    """The 2026 Q4 period: opened a month ago, due in a month."""
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        year=2026, quarter=4, opens_on=today - timedelta(days=30), due_on=today + timedelta(days=30)
    )


@pytest.fixture
def past_period(db):
    """The 2026 Q3 period: due yesterday, still open for late reports."""
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        year=2026, quarter=3, opens_on=today - timedelta(days=60), due_on=today - timedelta(days=1)
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)
