"""/healthz/live and /healthz/ready: answered before the host check and the HTTPS
redirect, and honest about the parts behind them (innovo_compliance/health.py)."""

import datetime as dt
import json
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from certifications.signing import generate_demo_keypair
from innovo_compliance import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_key(settings, tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    generate_demo_keypair(key, cert)
    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": key, "SIGNING_CERT": cert}


@pytest.fixture
def production_redirects(settings):
    """What a container's health check meets in production: its own address as host
    (not in ALLOWED_HOSTS) and plain HTTP with SECURE_SSL_REDIRECT on."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["compliance.example.com"]


def test_live_answers_over_http_for_any_host(client, production_redirects):
    response = client.get("/healthz/live", HTTP_HOST="172.18.0.5:8000")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    # The rest of the site still redirects and checks the host.
    assert client.get("/help/", HTTP_HOST="compliance.example.com").status_code == 301
    assert client.get("/help/", HTTP_HOST="172.18.0.5:8000").status_code == 400


def test_ready_is_200_when_every_part_answers(client, production_redirects, signing_key):
    response = client.get("/healthz/ready", HTTP_HOST="127.0.0.1:8000")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "storage", "signing_key", "beat"}
    assert all(check["ok"] for check in body["checks"].values())


def test_ready_is_503_without_the_signing_key(client, settings, tmp_path):
    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": tmp_path / "missing.pem"}
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["signing_key"] == {"ok": False, "error": "FileNotFoundError"}


def test_ready_names_the_failing_part_but_not_its_error_text(client, signing_key, monkeypatch):
    def database_down():
        raise ConnectionRefusedError("connection to server at 10.1.2.3 port 5432 refused")

    monkeypatch.setitem(health.CHECKS, "database", database_down)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "ConnectionRefusedError"}
    assert "10.1.2.3" not in response.content.decode()
    assert body["checks"]["cache"]["ok"] is True


def test_ready_gives_up_on_a_part_that_hangs(client, signing_key, monkeypatch):
    monkeypatch.setattr(health, "CHECK_TIMEOUT", 0.5)
    monkeypatch.setitem(health.CHECKS, "broker", lambda: time.sleep(2))
    started = time.monotonic()
    response = client.get("/healthz/ready")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "error": "timeout"}


def test_ready_fails_when_beat_has_not_beaten_for_too_long(client, settings, signing_key):
    settings.HEALTH_BEAT_MAX_AGE = 300
    cache.set(health.HEARTBEAT_KEY, (timezone.now() - dt.timedelta(seconds=30)).isoformat())
    response = client.get("/healthz/ready")
    assert response.status_code == 200 and response.json()["checks"]["beat"]["age_s"] == 30
    cache.set(health.HEARTBEAT_KEY, (timezone.now() - dt.timedelta(seconds=900)).isoformat())
    response = client.get("/healthz/ready")
    assert response.status_code == 503 and response.json()["checks"]["beat"]["ok"] is False


def test_the_heartbeat_task_is_what_ready_reads(client, signing_key):
    from people.tasks import heartbeat

    heartbeat.delay()
    assert client.get("/healthz/ready").json()["checks"]["beat"]["age_s"] == 0


def test_old_healthz_still_answers(client):
    assert client.get("/healthz").status_code == 200


def test_healthcheck_command_exits_non_zero_when_not_ready(settings, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": tmp_path / "missing.pem"}
    with pytest.raises(CommandError):
        call_command("healthcheck")
    assert json.loads(capsys.readouterr().out)["checks"]["signing_key"]["ok"] is False
