"""Load the settings module first, so that a bad setting ends start-up with one clear line."""

import importlib
import os
import sys

from .env import ConfigError


def load_settings_or_exit() -> None:
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ConfigError as exc:
        sys.stderr.write(f"설정 오류: {exc}\n")
        raise SystemExit(2) from None
