"""`make bench` (__main__.py) and `make load` (load.py), on data from data.py."""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Both commands drop and re-create the database they are given: a name without one of these
# words is refused, so a run never destroys the developer's database (or `postgres` itself).
THROWAWAY_WORDS = ("bench", "load")


def setup_django() -> None:
    """Django for a benchmark started with `python -m benchmarks…` from the project root: the
    bench settings (benchmarks/settings.py), DEBUG on, and a secret key of this run's own. The
    gunicorn servers the run starts inherit that key, so they read the sessions made here."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ.setdefault("DEBUG", "on")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(60))
    django.setup()


def throwaway_database(connection) -> str:
    """Create (or re-create) the database DATABASE_URL names, migrated and empty, and return
    the name to give back to `connection.creation.destroy_test_db` at the end. Refuses a
    name that does not say it is a throw-away one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        db["TEST"]["NAME"] = None  # in memory
    else:
        name = db["NAME"]
        if name == "postgres" or not any(word in name for word in THROWAWAY_WORDS):
            sys.exit(
                f"DATABASE_URL names the database {name!r}: this run drops and re-creates its "
                f"database, so its name must contain one of {THROWAWAY_WORDS} "
                "(e.g. postgres://postgres@127.0.0.1:5432/gwangyang_bench)."
            )
        db["TEST"]["NAME"] = name
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def database_url(connection) -> str:
    """The URL of the database the connection is using now (for the gunicorn it starts)."""
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


def memory_mb(pid: int | str = "self") -> tuple[float, float]:
    """Resident memory (VmRSS) and its peak (VmHWM) of a process, in MB, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value
    return tuple(int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))


def reset_peak_memory() -> None:
    """Start VmHWM again from the current resident size (Linux: /proc/self/clear_refs)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")
