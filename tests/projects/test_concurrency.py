"""Two people save the same report at the same moment: one wins, the other is refused."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from projects import services
from projects.models import ProgressReport

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_racing_saves_keep_one_and_refuse_the_other(alice, coordinator, digital_project,
                                                        open_period):  # fmt: skip
    if connection.vendor == "sqlite":
        pytest.skip("SQLite의 메모리 테스트 DB는 쓰기를 줄 세우므로 경합은 PostgreSQL에서 봅니다")
    services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": Decimal(10)}, results={}, version=None,
    )  # fmt: skip
    start = threading.Barrier(2)
    outcomes = {}

    def save(user, progress):
        from django.db import connections

        try:
            start.wait()
            services.report_save(
                user=user, project=digital_project, year=2026, quarter=4,
                values={"progress": Decimal(progress)}, results={}, version=1,
            )  # fmt: skip
            outcomes[progress] = "saved"
        except services.ConflictError:
            outcomes[progress] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(alice, 20)),
        threading.Thread(target=save, args=(coordinator, 30)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(p for p, outcome in outcomes.items() if outcome == "saved")
    report = ProgressReport.objects.get()
    assert (report.progress, report.version) == (winner, 2)
    assert report.history.count() == 2  # the draft and the one winning save, nothing else


def test_two_sessions_that_loaded_the_same_version_cannot_both_save(
    alice, coordinator, digital_project, open_period
):
    first = services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": Decimal(10)}, results={}, version=None,
    )  # fmt: skip
    loaded = first.version
    services.report_save(
        user=alice, project=digital_project, year=2026, quarter=4,
        values={"progress": Decimal(20)}, results={}, version=loaded,
    )  # fmt: skip
    with pytest.raises(services.ConflictError):
        services.report_save(
            user=coordinator, project=digital_project, year=2026, quarter=4,
            values={"progress": Decimal(30)}, results={}, version=loaded,
        )  # fmt: skip
    assert ProgressReport.objects.get().progress == 20
