"""Run the app as production does: gunicorn with gunicorn.conf.py (read from the
project folder: 2 gthread workers × 4 threads) on 127.0.0.1,
settings from the environment. Always stopped, also on errors and Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.client import Client

ROOT = Path(__file__).resolve().parent.parent


class HarnessError(RuntimeError):
    """The harness cannot go on (not a budget failure)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(*, database_url: str, var_dir: Path, redis_url: str, secret_key: str, **extra: str) -> dict[str, str]:
    """A production-like environment: DEBUG off, real secret, PostgreSQL, Redis,
    plain HTTP on localhost (no TLS redirect, no secure cookies), and the
    query-count header."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_MANIFEST": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "QUERY_COUNT_HEADER": "true",
            "PROOF_OF_WORK_MAX": "1000",  # the client solves it (bench/pages.py); not what we time
            "VAR_DIR": str(var_dir),
            # Nothing in a request sends mail itself (tasks do), but never try an SMTP server.
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


class Gunicorn:
    """`with Gunicorn(env, log) as server:` starts, waits for /healthz, stops."""

    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        *,
        workers: int = 2,
        app: str = "innovo_compliance.wsgi",
        gunicorn: Path | None = None,
        health: str = "/healthz",
    ):
        self.env, self.log_path, self.workers = env, log_path, workers
        self.app, self.health = app, health
        self.gunicorn = gunicorn or Path(sys.executable).parent / "gunicorn"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        command = [
            str(self.gunicorn),
            self.app,
            "-w",
            str(self.workers),
            "-b",
            f"127.0.0.1:{self.port}",
            "--access-logfile",
            "/dev/null",
        ]
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        client = Client("127.0.0.1", self.port, timeout=5)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise HarnessError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                if client.get(self.health).status in (200, 302):
                    return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise HarnessError(f"gunicorn did not answer {self.health} within 90 s; see {self.log_path}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)  # the master and its workers, nothing else
                process.wait(timeout=30)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.log.close()
