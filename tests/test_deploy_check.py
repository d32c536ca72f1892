"""`manage.py check --deploy` with production-like settings prints no warning."""

import os
import subprocess
import sys

from django.conf import settings


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "EMAIL_BACKEND",
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "STATIC_MANIFEST",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="innovo_compliance.settings",
        SECRET_KEY="a-production-secret-key-with-plenty-of-entropy-" + "Zq9#xT2!" * 4,
        ALLOWED_HOSTS="compliance.example.com",
        VAR_DIR=str(tmp_path),
        PYTHONWARNINGS="error::DeprecationWarning",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_without_secret_key_an_installation_key_is_made_once_and_kept_private(tmp_path):
    test_only = {
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "EMAIL_BACKEND",
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "STATIC_MANIFEST",
        "SECRET_KEY",
    }
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(DJANGO_SETTINGS_MODULE="innovo_compliance.settings", VAR_DIR=str(tmp_path))
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=settings.BASE_DIR,
            env={**env, "ALLOWED_HOSTS": "compliance.example.com"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    key_file = tmp_path / "secret_key"
    assert len(key_file.read_text()) >= 50 and oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_malformed_boolean_is_named(tmp_path):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="innovo_compliance.settings", DEBUG="maybe", VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr
