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


@pytest.mark.parametrize("kind", ["report", "plan"])
def test_first_saves_racing_to_create_a_record_keep_one_and_refuse_the_rest(
    alice, coordinator, digital_project, open_period, kind
):
    """Four people save a record that did not exist when each of them opened it."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite의 메모리 테스트 DB는 쓰기를 줄 세우므로 경합은 PostgreSQL에서 봅니다")
    from projects.models import ImplementationPlan

    start = threading.Barrier(4)
    outcomes = {}

    def save(user, n):
        from django.db import connections

        try:
            start.wait()
            if kind == "report":
                services.report_save(
                    user=user, project=digital_project, year=2026, quarter=4,
                    values={"achievements": f"작성 {n}"}, results={}, version=None,
                )  # fmt: skip
            else:
                services.plan_save(
                    user=user, project=digital_project, year=2026,
                    values={"goal": f"작성 {n}"}, version=None,
                )  # fmt: skip
            outcomes[n] = "saved"
        except services.ConflictError:
            outcomes[n] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(user, n))
        for n, user in enumerate([alice, coordinator, alice, coordinator])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["refused", "refused", "refused", "saved"]
    winner = next(n for n, outcome in outcomes.items() if outcome == "saved")
    model = ProgressReport if kind == "report" else ImplementationPlan
    record = model.objects.get()
    text = record.achievements if kind == "report" else record.goal
    assert (text, record.version) == (f"작성 {winner}", 1)
    assert record.history.count() == 1  # nobody's save went over the first one


@pytest.mark.parametrize("kind", ["report", "plan"])
def test_a_first_save_that_meets_a_record_created_meanwhile_is_refused(
    alice, coordinator, digital_project, open_period, kind, monkeypatch
):
    """The interleaving on any database: both looked (no record), one inserted first."""
    from projects.models import ImplementationPlan

    model = ProgressReport if kind == "report" else ImplementationPlan
    key = {"project": digital_project, "year": 2026} | ({"quarter": 4} if kind == "report" else {})
    model.objects.create(**key, edited_by=alice)
    looked_before = model.objects.none()
    monkeypatch.setattr(model.objects, "filter", lambda **lookup: looked_before)
    with pytest.raises(services.ConflictError):
        if kind == "report":
            services.report_save(
                user=coordinator, project=digital_project, year=2026, quarter=4,
                values={"achievements": "나중"}, results={}, version=None,
            )  # fmt: skip
        else:
            services.plan_save(
                user=coordinator, project=digital_project, year=2026,
                values={"goal": "나중"}, version=None,
            )  # fmt: skip
    monkeypatch.undo()
    assert model.objects.get().edited_by == alice
