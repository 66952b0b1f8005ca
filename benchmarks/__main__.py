"""`make bench`: server time and SQL queries of the main pages at 1×, 10× and 100× the plan.

Runs in a throw-away test database (Django's test_<name>, made and dropped here) on the engine
DATABASE_URL names, so it never touches real or demo data.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gwangyang_plan.settings")
os.environ.setdefault("DEBUG", "on")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from projects.choices import FilingState, ProjectStatus, Role  # noqa: E402
from projects.models import Department, ProgressReport, Project, User  # noqa: E402
from strategies.models import Phase, Task  # noqa: E402

from . import workbook  # noqa: E402

PAGES = [
    "/",
    "/plan/",
    "/projects/",
    "/projects/1-1-1/",
    "/projects/1-1-1/reports/2024/2/",
    "/review/",
    "/proposals/",
    "/public/",
    "/healthz",
]
REPEAT = 7
FACTORS = [int(f) for f in os.environ.get("BENCH_FACTORS", "1,10,100").split(",")]


def build(factor: int) -> None:
    """Grow the shipped plan to `factor` times its 29 projects, each with 2024's four reports."""
    target = 29 * factor
    tasks = list(Task.objects.all())
    departments = list(Department.objects.all())
    phases = list(Phase.objects.all())
    have = Project.objects.count()
    new = Project.objects.bulk_create(
        Project(
            task=tasks[n % len(tasks)],
            code=f"B-{n}",
            name=f"벤치마크 사업 {n}",
            lead_department=departments[n % len(departments)],
            start_year=2023,
            end_year=2027,
        )
        for n in range(have, target)
    )
    Project.phases.through.objects.bulk_create(
        Project.phases.through(project_id=p.pk, phase_id=phases[p.pk % 4].pk) for p in new
    )
    someone = User.objects.get(username="bench")
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=project,
            year=2024,
            quarter=quarter,
            progress=quarter * 20,
            status=ProjectStatus.ON_TRACK,
            achievements="분기 추진 실적: 사업자 선정, 설계, 시범 운영과 성과 점검을 진행함. " * 3,
            spent_city=quarter * 25_000_000,
            state=FilingState.APPROVED,
            submitted_by=someone,
            submitted_at="2024-12-01T10:00+09:00",
            reviewed_by=someone,
            reviewed_at="2024-12-02T10:00+09:00",
        )
        for project in Project.objects.filter(reports__isnull=True)
        for quarter in range(1, 5)
    )


def measure(client: Client, url: str) -> tuple[int, float]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    count = len(queries)  # read now: later requests reset the connection's query log
    times = []
    for _ in range(REPEAT):
        cache.clear()  # measure the work, not the citizens' page cache
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times)


def main() -> None:
    setup_test_environment()
    settings.PUBLIC_PAGE = True
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    call_command("load_plan_fixture", verbosity=0, stdout=io.StringIO())
    user = User.objects.create(username="bench")
    user.groups.add(Group.objects.get(name=Role.COORDINATOR))
    client = Client()
    client.force_login(user)

    vendor = connection.vendor
    print(f"database: {vendor}; median of {REPEAT} requests after one warm-up")
    print(f"{'page':<34} {'scale':>6} {'projects':>9} {'queries':>8} {'median ms':>10}")
    excel = []
    for factor in FACTORS:
        build(factor)
        count = Project.objects.count()
        for url in PAGES:
            queries, median = measure(client, url)
            print(f"{url:<34} {f'{factor}×':>6} {count:>9} {queries:>8} {median:>10.1f}")
        if factor in (FACTORS[0], FACTORS[-1]):
            excel += workbook.export_rows(f"{factor}×", 2024, 4)
    excel += workbook.import_rows(1000)
    print()
    print(f"{'what':<18} {'how':<40} {'rows':>7} {'seconds':>8} {'peak MB':>8}")
    for what, how, rows, seconds, peak in excel:
        print(f"{what:<18} {how:<40} {rows:>7} {seconds:>8.2f} {peak:>8.1f}")


if __name__ == "__main__":
    main()
