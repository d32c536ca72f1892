"""Settings come only from the environment, through strict readers: empty means unset,
a comment kept as a value is refused, URLs are checked at start-up with a message
naming the variable, and secrets can come from files (Docker secrets)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from innovo_compliance import env

ROOT = Path(settings.BASE_DIR)


def test_empty_value_means_unset(monkeypatch):
    monkeypatch.setenv("INNOVO_T", "")
    assert env.env_str("INNOVO_T", "default") == "default"
    assert env.env_bool("INNOVO_T", True) is True
    assert env.env_int("INNOVO_T", 7) == 7
    assert env.env_url("INNOVO_T", "redis://x:6379/0", schemes=("redis",)) == "redis://x:6379/0"
    monkeypatch.setenv("INNOVO_T", "   ")
    assert env.env_str("INNOVO_T", "default") == "default"
    with pytest.raises(ImproperlyConfigured, match="INNOVO_T is required"):
        env.env_str("INNOVO_T")


def test_a_comment_kept_as_the_value_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "# default: REDIS_URL, else filesystem://")
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL .* is a comment"):
        env.env_str("CELERY_BROKER_URL", "")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("redis//redis:6379/0", "must be a URL starting with redis://"),
        ("http://redis:6379/0", "must be a URL starting with redis://"),
        ("redis://redis:port/0", "malformed port"),
        ("redis:///0", "must name a host"),
    ],
)
def test_malformed_urls_name_the_variable(monkeypatch, value, message):
    monkeypatch.setenv("REDIS_URL", value)
    with pytest.raises(ImproperlyConfigured, match=f"REDIS_URL .*{message}|REDIS_URL {message}"):
        env.env_url("REDIS_URL", "", schemes=("redis", "rediss"))


def test_url_errors_do_not_print_the_password(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://innovo:s3cret-pw@db/innovo")
    with pytest.raises(ImproperlyConfigured) as error:
        env.env_url("DATABASE_URL", "", schemes=("postgres",))
    assert "s3cret-pw" not in str(error.value) and "***" in str(error.value)


def test_secret_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "pw").write_text("hunter2-but-long\n")
    monkeypatch.delenv("EMAIL_HOST_PASSWORD", raising=False)
    monkeypatch.setenv("EMAIL_HOST_PASSWORD_FILE", str(tmp_path / "pw"))
    assert env.env_secret("EMAIL_HOST_PASSWORD") == "hunter2-but-long"
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "other")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_HOST_PASSWORD or EMAIL_HOST_PASSWORD_FILE, not both"):
        env.env_secret("EMAIL_HOST_PASSWORD")
    monkeypatch.delenv("EMAIL_HOST_PASSWORD")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="EMAIL_HOST_PASSWORD_FILE=.* cannot be read"):
        env.env_secret("EMAIL_HOST_PASSWORD")


def test_a_secret_may_start_with_a_hash(monkeypatch):
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "#not-a-comment")
    assert env.env_secret("EMAIL_HOST_PASSWORD") == "#not-a-comment"


def test_postgres_url_gives_psycopg3_with_the_pool(tmp_path):
    entry = env.database_from_url(
        "postgres://innovo:from-url@db:5432/innovo?sslmode=require",
        base_dir=tmp_path,
        password="from-secret",
        pool={"min_size": 1, "max_size": 4, "timeout": 10},
    )
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert entry["PASSWORD"] == "from-secret"
    assert entry["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10}
    assert entry["OPTIONS"]["sslmode"] == "require"
    assert entry["CONN_MAX_AGE"] == 0 and entry["CONN_HEALTH_CHECKS"] is True
    without = env.database_from_url("postgres://u@h/n", base_dir=tmp_path)
    assert "pool" not in without["OPTIONS"] and without["CONN_MAX_AGE"] == 60


def test_django_uses_psycopg_3():
    import psycopg
    from django.db.backends.postgresql import base

    assert base.is_psycopg3 and psycopg.__version__.startswith("3.")


def _settings_names() -> set[str]:
    """Every variable the app reads: env_*("NAME") in the settings, the Celery app and
    gunicorn's configuration, plus the _FILE twins of env_secret."""
    names = set()
    for path in ("innovo_compliance/settings.py", "innovo_compliance/celery.py", "gunicorn.conf.py"):
        text = (ROOT / path).read_text()
        for function, name in re.findall(r'env_(\w+)\(\s*"([A-Z0-9_]+)"', text):
            names.add(name)
            if function == "secret":
                names.add(f"{name}_FILE")
    return names


def _compose_names() -> set[str]:
    text = (ROOT / "docker-compose.yml").read_text() + (ROOT / "deploy" / "Caddyfile").read_text()
    return set(re.findall(r"\$\{([A-Z0-9_]+)", text)) | set(re.findall(r"\{\$([A-Z0-9_]+)", text))


def _example_names() -> list[str]:
    return [
        line.split("=", 1)[0].strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_every_variable_is_in_env_example_and_the_readme():
    names = _settings_names()
    assert {"DATABASE_URL", "SECRET_KEY_FILE", "SENTRY_DSN", "S3_BUCKET", "GUNICORN_THREADS"} <= names
    example = set(_example_names())
    readme = (ROOT / "README.md").read_text()
    # Caddy's CADDY_* are for running it outside compose (tests); UPSTREAM is set by compose.
    compose = _compose_names() - {"CADDY_HTTP_PORT", "CADDY_HTTPS_PORT", "CADDY_BIND", "UPSTREAM"}
    assert sorted((names | compose) - example) == []
    assert sorted(n for n in names | compose if f"`{n}`" not in readme) == []


def test_env_example_keeps_comments_on_their_own_lines():
    for number, line in enumerate((ROOT / ".env.example").read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*=[^#]*", line), f".env.example line {number}: {line!r}"
        assert line == line.rstrip(), f".env.example line {number} ends with blanks"
    names = _example_names()
    assert len(names) == len(set(names)), "a variable is listed twice"


def test_env_example_ships_no_secret_key():
    assert "SECRET_KEY=\n" in (ROOT / ".env.example").read_text()


def test_settings_load_from_env_example_as_compose_passes_it(tmp_path):
    """Every value of .env.example, as the containers get it, is accepted (compose's
    own `environment:` entries on top)."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value
    values.update(
        DATABASE_URL="postgres://innovo@db:5432/innovo",
        REDIS_URL="redis://redis:6379/0",
        VAR_DIR=str(tmp_path),
        SECRET_KEY="a-production-secret-key-with-plenty-of-entropy-Zq9xT2Zq9xT2",
    )
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH"}
    child = {k: v for k, v in os.environ.items() if k in keep} | values
    child["DJANGO_SETTINGS_MODULE"] = "innovo_compliance.settings"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_BROKER_URL, s.CACHES['default']['LOCATION'], s.DATABASES['default']['OPTIONS']['pool'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=child, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["redis://redis:6379/0", "redis://redis:6379/0"]
