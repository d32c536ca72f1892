"""`manage.py check --deploy` with production-like settings prints no warning, and
fails when the signing key is missing or the secret key is a placeholder."""

import os
import subprocess
import sys

from django.conf import settings

from certifications.signing import generate_demo_keypair


def _with_signing_key(var_dir):
    """A production install has its signing key provisioned (the check insists)."""
    generate_demo_keypair(var_dir / "signing" / "key.pem", var_dir / "signing" / "cert.pem")


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    _with_signing_key(tmp_path)
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
    _with_signing_key(tmp_path)
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


def _production_env(tmp_path, **extra):
    test_only = {"DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND", "DEBUG", "SECURE_SSL_REDIRECT"}
    test_only |= {"SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "STATIC_MANIFEST"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(
        DJANGO_SETTINGS_MODULE="innovo_compliance.settings",
        SECRET_KEY="a-production-secret-key-with-plenty-of-entropy-" + "Zq9#xT2!" * 4,
        ALLOWED_HOSTS="compliance.example.com",
        VAR_DIR=str(tmp_path),
    )
    env.update(extra)
    return env


def _check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_signing_key_fails_check_deploy(tmp_path):
    result = _check_deploy(_production_env(tmp_path))
    assert result.returncode != 0
    assert "innovo.E001" in result.stderr and "signing key" in result.stderr
    assert "innovo.E003" in result.stderr


def test_placeholder_secret_key_fails_check_deploy(tmp_path):
    _with_signing_key(tmp_path)
    result = _check_deploy(_production_env(tmp_path, SECRET_KEY="change-me-to-50-random-characters"))
    assert result.returncode != 0 and "innovo.E010" in result.stderr
