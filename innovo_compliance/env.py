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
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    """The variable's value without surrounding blanks, or None when it is unset or empty.

    An empty value means unset: `KEY=` in compose's `.env` (or a blank in a secret
    store) must give the default, not an empty setting. A value that starts with `#`
    is a comment that a dotenv parser kept as the value (compose does, after spaces):
    refused, naming the variable, rather than used as a URL or a host name.
    """
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.startswith("#"):
        raise ImproperlyConfigured(
            f"{name} is {value!r}, which is a comment, not a value: put comments on their own lines in .env."
        )
    return value


def env_str(name: str, default: str | None = None) -> str:
    """A string; `default=None` makes the variable required. Empty means unset."""
    value = _raw(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_secret(name: str, default: str = "") -> str:
    """A secret from `NAME` or from the file named by `NAME_FILE` (Docker secrets:
    `NAME_FILE=/run/secrets/name`), never both. The file's trailing newline is dropped.
    Secrets are not checked for a leading `#`: a password may start with one."""
    value = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "").strip()
    if value.strip() and path:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if path:
        try:
            return Path(path).read_text().rstrip("\r\n")
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {error.strerror}.") from None
    return value.strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no), not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, matched without regard to case."""
    value = env_str(name, default)
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")


def env_url(name: str, default: str = "", *, schemes: tuple[str, ...], host: bool = True) -> str:
    """A URL whose scheme is one of `schemes` (and, with `host`, that names a host).
    Checked at start-up so that a typo names the variable instead of failing on the
    first request (a 500 at log-in, a worker that cannot reach its broker)."""
    value = env_str(name, default)
    if not value:
        return value
    parsed = urlparse(value)
    shown = redact_url(value)
    if parsed.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}, not {shown!r}."
        )
    try:
        parsed.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a malformed port: {shown!r}.") from None
    if host and not parsed.hostname:
        raise ImproperlyConfigured(f"{name} must name a host: {shown!r}.")
    return value


def redact_url(url: str) -> str:
    """The URL with any password replaced by `***`, for messages and logs."""
    parsed = urlparse(url)
    if not parsed.password:
        return url
    netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@", 1)
    return parsed._replace(netloc=netloc).geturl()


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


def database_from_url(
    url: str,
    *,
    base_dir: Path,
    password: str = "",
    pool: dict | None = None,
    connect_timeout: int = 10,
) -> dict:
    """Django's DATABASES entry from a URL.

    Supported: ``sqlite:///relative/or/absolute.sqlite3`` and
    ``postgres://user:password@host:port/name?sslmode=require``. `password`, when
    given (DATABASE_PASSWORD or its _FILE secret), replaces the URL's. `pool` turns on
    Django's psycopg 3 connection pool with those options (persistent connections
    are then the pool's business, so CONN_MAX_AGE is 0).
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
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured(f"DATABASE_URL must name a database: {redact_url(url)!r}.")
        options: dict = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        # Short OLTP queries: JIT compilation costs more than it saves (300 ms on a
        # 100,000-case count), and sorts/aggregates should stay in memory.
        options.setdefault("options", "-c jit=off -c work_mem=32MB")
        options.setdefault("connect_timeout", str(connect_timeout))
        if pool:
            options["pool"] = dict(pool)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": password or unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 0 if pool else 60,
            # With the pool this makes it check a connection before handing it out, so a
            # database restart costs no request an error.
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:/// or postgres://, not {parsed.scheme or redact_url(url)!r}."
    )


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
