"""`make bench` (__main__.py) and `make load` (load.py)."""

import os
import secrets
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Django for a benchmark started with `python -m benchmarks…` from the project root: its
    settings, DEBUG on, and a secret key of this run's own. The gunicorn servers the run starts
    inherit that key, so they read the sessions made here."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gwangyang_plan.settings")
    os.environ.setdefault("DEBUG", "on")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(60))
    django.setup()
