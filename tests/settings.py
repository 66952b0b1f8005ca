"""Test settings: the real settings, with a dev key and a fast password hasher."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DEBUG", "on")

from gwangyang_plan.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Per pytest-xdist worker: two workers never write or clean up the same upload.
MEDIA_ROOT = BASE_DIR / "build" / f"test-media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
# The production cache backend (files), in a directory of this run's own.
CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="gwangyang-test-cache-")  # noqa: F405
atexit.register(shutil.rmtree, CACHES["default"]["LOCATION"], ignore_errors=True)  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (WhiteNoise warns when it is missing)
