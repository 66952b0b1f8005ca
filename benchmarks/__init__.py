"""`make bench` (__main__.py) and `make load` (load.py), on data from data.py."""

import copy
import os
import secrets
import statistics
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
    if connection.vendor != "sqlite":  # SQLite: TEST NAME None (Django's default) is in memory
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
    each behind a connection of its own kept open, and a cache of its own; `use(factor)` makes
    them Django's default ones. The bench times each page at every scale in turn (1×, 100×,
    100×, 1×…): this machine's speed drifts from minute to minute, and a 1× and a 100× figure
    measured minutes apart gave ratios that moved by 1.7× between runs.

    `use` switches this thread's connection only (Django keeps connections per thread), and
    settings.DATABASES is left naming the last database made: the bench makes no connection
    in another thread."""

    def __init__(self, factors: list[int]):
        from django.conf import settings
        from django.core.cache import caches
        from django.db import connections
        from django.utils.module_loading import import_string

        self._connections, self._caches = connections, caches
        configured = connections["default"]
        cache_config = settings.CACHES["default"]
        self.wrappers, self.caches, self._old_names = {}, {}, {}
        try:
            for factor in factors:
                settings_dict = copy.deepcopy(configured.settings_dict)
                if configured.vendor == "sqlite":  # one in-memory database each, not one shared
                    settings_dict["TEST"]["NAME"] = f"file:bench{factor}x?mode=memory&cache=shared"
                else:
                    settings_dict["NAME"] = f"{settings_dict['NAME']}_{factor}x"
                self.wrappers[factor] = type(configured)(settings_dict, "default")
                # /public/ is kept under a key without the data version: one cache per scale.
                self.caches[factor] = import_string(cache_config["BACKEND"])(
                    f"{cache_config['LOCATION']}-{factor}x",
                    cache_config,  # its OPTIONS too
                )
                self.use(factor)
                self._old_names[factor] = throwaway_database(self.wrappers[factor])
        except BaseException:
            self.destroy()
            raise

    def use(self, factor: int):
        """Make the `factor`× database and cache the default ones (the connection stays open)."""
        self._connections["default"] = self.wrappers[factor]
        self._caches["default"] = self.caches[factor]
        return self.wrappers[factor]

    def destroy(self) -> None:
        """Drop every database made (each one tried, whatever happens to another)."""
        failed = None
        for factor, old_name in self._old_names.items():
            try:
                self.use(factor).creation.destroy_test_db(old_name, verbosity=0)
            except Exception as error:
                failed = error
        if failed:
            raise failed


def median_ratio(series: list[float], base: list[float]) -> float:
    """The median of the ratios of two series measured in turns, pair by pair."""
    return statistics.median(value / by for value, by in zip(series, base, strict=True))


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
