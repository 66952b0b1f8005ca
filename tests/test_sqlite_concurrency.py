"""On the SQLite default (make run), people writing at the same moment wait their turn instead of
getting "database is locked" (a 500): each transaction takes the write lock as it begins."""

import threading

import pytest
from django.db import OperationalError, connections, transaction

from gwangyang_plan.env import parse_database_url

ALIAS = "concurrent_sqlite"
WRITERS = 8


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A database file configured from DATABASE_URL as the app's is, with a counter table;
    each thread gets its own connection to it."""
    config = parse_database_url(f"sqlite:///{tmp_path / 'app.sqlite3'}", base_dir=tmp_path)
    databases = connections.configure_settings({"default": config, ALIAS: config})
    connections.settings[ALIAS] = databases[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n integer)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        yield
        connections[ALIAS].close()
    del connections.settings[ALIAS]


def add_one(start: threading.Barrier, outcomes: list) -> None:
    """Read the counter, then write it plus one, in one transaction (as a sign-in reads the
    user, then saves the session and the last sign-in)."""
    try:
        start.wait()
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (n,) = cursor.fetchone()
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
        outcomes.append("saved")
    except OperationalError as error:
        outcomes.append(str(error))
    finally:
        connections[ALIAS].close()


def test_simultaneous_read_then_write_transactions_all_succeed_in_turn(file_database):
    start, outcomes = threading.Barrier(WRITERS), []
    threads = [threading.Thread(target=add_one, args=(start, outcomes)) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["saved"] * WRITERS
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (WRITERS,)  # no write lost either
