"""Read settings from environment variables; a bad value stops start-up with one clear line."""

import os
from urllib.parse import unquote, urlsplit


class ConfigError(Exception):
    """A setting read from the environment has a value the app cannot run with."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r}: on/off, true/false, yes/no, 1/0 중 하나여야 합니다.")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: 정수여야 합니다.") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" 이상 {maximum} 이하" if maximum is not None else " 이상"
        raise ConfigError(f"{name}={raw!r}: {minimum}{upper}이어야 합니다.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str, *, base_dir) -> dict:
    """Turn `postgres://user:pass@host:port/name` or `sqlite:///path` into a DATABASES entry."""
    usage = (
        "postgres://사용자:비밀번호@호스트:5432/DB이름 또는 sqlite:///파일경로 형식이어야 합니다."
    )
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not parts.hostname and not name:
            raise ConfigError(f"DATABASE_URL={url!r}: {usage}")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"DATABASE_URL={url!r}: 포트 번호가 잘못되었습니다.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name or "postgres",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path or path == "/":
            raise ConfigError(f"DATABASE_URL={url!r}: {usage}")
        # sqlite:///db.sqlite3 is relative to the project; sqlite:////var/x.db is absolute.
        path = path[1:]
        full = path if os.path.isabs(path) else os.path.join(base_dir, path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": full,
            # A transaction takes the write lock when it begins, and waits up to 20 s for it:
            # SQLite's default (take it at the first write) refuses at once ("database is
            # locked") a transaction that read first while another one writes.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    raise ConfigError(f"DATABASE_URL={url!r}: {usage}")
