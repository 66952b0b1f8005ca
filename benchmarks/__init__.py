"""`make bench` (__main__.py) and `make load` (load.py), on data from data.py."""

import copy
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
        db["TEST"].setdefault("NAME", None)  # in memory
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


class Scales:
    """A throw-away database per data scale (named after DATABASE_URL's, with `_1x`, `_100x`…),
    each behind a connection of its own kept open, and `use(factor)` to make one of them
    Django's default connection. The bench times each page at every scale in turn (1×, 100×,
    1×, 100×…): this machine's speed drifts from minute to minute, and a 1× and a 100× figure
    measured minutes apart gave ratios that moved by 1.7× between runs."""

    def __init__(self, factors: list[int]):
        from django.db import connections

        self._connections = connections
        configured = connections["default"]
        self.wrappers, self._old_names = {}, {}
        for factor in factors:
            settings_dict = copy.deepcopy(configured.settings_dict)
            if configured.vendor == "sqlite":  # one in-memory database each, not one shared
                settings_dict["TEST"]["NAME"] = f"file:bench{factor}x?mode=memory&cache=shared"
            else:
                settings_dict["NAME"] = f"{settings_dict['NAME']}_{factor}x"
            wrapper = type(configured)(settings_dict, "default")
            self.wrappers[factor] = wrapper
            self.use(factor)
            self._old_names[factor] = throwaway_database(wrapper)

    def use(self, factor: int):
        """Make the `factor`× database the default one (its connection stays open)."""
        self._connections["default"] = self.wrappers[factor]
        return self.wrappers[factor]

    def destroy(self) -> None:
        for factor, wrapper in self.wrappers.items():
            self.use(factor)
            wrapper.creation.destroy_test_db(self._old_names[factor], verbosity=0)


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
