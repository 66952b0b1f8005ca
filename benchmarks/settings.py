"""Settings of `make bench` and `make load`: the app's own, plus what only a benchmark needs."""

import atexit
import shutil
import tempfile

from gwangyang_plan.settings import *  # noqa: F403

# The floor row's trivial view lives in the bench's URL conf, never in the app's.
ROOT_URLCONF = "benchmarks.urls"
PUBLIC_PAGE = True
# A cache and media directory of this run's own: the bench clears its cache before every
# uncached request, and must never clear (or read) the developer's.
_scratch = tempfile.mkdtemp(prefix="gwangyang-bench-")
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
CACHES["default"]["LOCATION"] = f"{_scratch}/cache"  # noqa: F405
MEDIA_ROOT = f"{_scratch}/media"
LOGGING["loggers"]["gwangyang_plan.audit"]["level"] = "WARNING"  # noqa: F405 (a line per sign-in)
