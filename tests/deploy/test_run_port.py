"""`make run` honours PORT everywhere (issue 10, item 10): the address it prints and
binds, and SITE_URL's default, which the links in e-mails, the QR codes on
certificates and the export's index use."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _settings(**env) -> list[str]:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    child = keep | {"DJANGO_SETTINGS_MODULE": "innovo_compliance.settings", "DEBUG": "true"} | env
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from certifications.services.certify import verify_url; "
        "print(s.SITE_URL); print(','.join(s.ALLOWED_HOSTS)); print(verify_url('AC-2026-ABCD-EFGH'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=child, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_port_changes_site_url_default(tmp_path):
    site, hosts, qr = _settings(PORT="8123", VAR_DIR=str(tmp_path))
    assert site == "http://127.0.0.1:8123"
    assert "127.0.0.1" in hosts.split(",")
    assert qr == "http://127.0.0.1:8123/certifications/verify/AC-2026-ABCD-EFGH/"


def test_without_port_site_url_is_on_8000(tmp_path):
    assert _settings(VAR_DIR=str(tmp_path))[0] == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_port(tmp_path):
    assert _settings(PORT="8123", SITE_URL="https://compliance.example", VAR_DIR=str(tmp_path))[0] == (
        "https://compliance.example"
    )


def test_run_prints_and_binds_the_port(tmp_path):
    """scripts/run.sh with a stand-in Python that records how it is called."""
    log = tmp_path / "calls"
    fake = tmp_path / "python"
    # runserver waits a moment, as the real one would, so the background worker has started.
    fake.write_text(f'#!/bin/sh\necho "PORT=$PORT $*" >> {log}\ncase "$*" in *runserver*) sleep 1;; esac\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        ["bash", "scripts/run.sh"],
        cwd=ROOT,
        env=keep | {"PY": str(fake), "PORT": "8123"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8123/" in result.stdout and ":8000" not in result.stdout
    assert "http://127.0.0.1:8123/dev/mailbox/" in result.stdout
    calls = log.read_text().splitlines()
    assert "PORT=8123 manage.py runserver 127.0.0.1:8123" in calls
    assert any(call.startswith("PORT=8123 -m celery") for call in calls), "the worker gets the same PORT"


def test_make_run_sets_up_on_the_embedded_defaults(tmp_path):
    """What `make run` does before it starts the servers (signing key, migrate,
    seed_demo), on SQLite with no Redis, as on a fresh machine whatever the suite
    runs on; then every demo persona's home page answers. (The demo's seeding once
    used a JSON lookup SQLite has not got.)"""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env = keep | {
        "DJANGO_SETTINGS_MODULE": "innovo_compliance.settings",
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    for step in (["make_signing_key"], ["migrate", "--noinput"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *step], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, (step, result.stderr[-3000:])
    assert "swhalen" in result.stdout  # the demo logins are printed
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings; assert settings.DATABASES['default']['ENGINE'].endswith('sqlite3')\n"
        "from django.test import Client; from django.contrib.auth import get_user_model\n"
        "for name in ['swhalen', 'jgrant', 'rchen', 'areyes', 'mellis', 'dwhitfield', 'mcrossman', 'aalvarez']:\n"
        "    c = Client(); c.force_login(get_user_model().objects.get(username=name))\n"
        "    for path in ['/', '/cases/', '/approvals/inbox/']:\n"
        "        code = c.get(path).status_code\n"
        "        assert code in (200, 403), (name, path, code)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | {"ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-3000:]
