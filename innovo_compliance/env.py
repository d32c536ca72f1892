"""Strict readers for the environment variables that configure the app.

Every setting comes from the environment (twelve-factor style). A value that is
present but malformed stops the app at start-up with a message naming the
variable: a typo in production should fail loudly, not fall back silently.
Every variable read here is listed in `.env.example` and in the README.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """A string; `default=None` makes the variable required."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks are dropped."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_dates(name: str) -> frozenset[date]:
    """A comma-separated list of ISO dates (for example public holidays)."""
    out = set()
    for item in env_list(name):
        try:
            out.add(date.fromisoformat(item))
        except ValueError:
            raise ImproperlyConfigured(f"{name} must hold dates as YYYY-MM-DD, not {item!r}.") from None
    return frozenset(out)


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Django's DATABASES entry from a URL.

    Supported: ``sqlite:///relative/or/absolute.sqlite3`` and
    ``postgres://user:password@host:port/name?sslmode=require``.
    """
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        raw = unquote(parsed.path)
        # sqlite:///var/db.sqlite3 -> "/var/db.sqlite3": relative to the project;
        # sqlite:////abs/path.sqlite3 -> "//abs/path.sqlite3": absolute.
        path = Path(raw[1:]) if raw.startswith("//") else base_dir / raw.lstrip("/")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        # Short OLTP queries: JIT compilation costs more than it saves (300 ms on a
        # 100,000-case count), and sorts/aggregates should stay in memory.
        options.setdefault("options", "-c jit=off -c work_mem=32MB")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL must start with sqlite:/// or postgres://, not {parsed.scheme or url!r}.")


def secret_key_file(path: Path) -> str:
    """The installation's own random secret key, created on first use (mode 0600)."""
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process (web, worker, beat) made it first
            return secret_key_file(path)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    if len(key) < 50:
        raise ImproperlyConfigured(f"{path} holds a secret key shorter than 50 characters.")
    return key
