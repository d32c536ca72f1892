"""Real servers of the tests' own, on loopback: an S3 API (moto), Redis, PostgreSQL
(a throwaway cluster), Caddy, gunicorn and Celery. Never the machine's shared
PostgreSQL or Redis: a test that stops a database or broker stops one of these.

Each helper starts a process, waits until it answers, and stops it (by its own pid)
when the `with` block ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


class ServerError(RuntimeError):
    pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, log: Path | None = None, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception as error:  # noqa: BLE001 (keep polling; report the last one)
            last = error
        time.sleep(interval)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise ServerError(f"{what} did not come up within {timeout} s ({last!r})\n{tail}")


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


class Process:
    """A child process with its log file; `stop()` sends SIGTERM to it (and only it)."""

    def __init__(self, name: str, argv: list[str], *, log: Path, env: dict | None = None, cwd: Path = ROOT, netns=None):
        self.name, self.log = name, log
        if netns:
            argv = ["ip", "netns", "exec", netns, *argv]
        self._out = open(log, "ab")  # noqa: SIM115 (closed in stop())
        self.popen = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout: float = 20) -> None:
        if self.popen.poll() is None:
            # The process group it leads (gunicorn's and Celery's own children with it).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)
        self._out.close()


# --- S3 -------------------------------------------------------------------------


@contextlib.contextmanager
def moto_s3(workdir: Path, *, host: str = "127.0.0.1", bucket: str = "innovo-test"):
    port = free_port(host)
    proc = Process("moto", [str(VENV_BIN / "moto_server"), "-H", host, "-p", str(port)], log=workdir / "moto.log")
    url = f"http://{host}:{port}"
    try:
        wait_for(lambda: port_open(host, port), timeout=30, what="moto S3 server", log=proc.log)
        client = s3_client(url)
        client.create_bucket(Bucket=bucket)
        yield {"url": url, "bucket": bucket, "client": client, "process": proc}
    finally:
        proc.stop()


def s3_client(url: str):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="innovo-test",
        aws_secret_access_key="innovo-test-secret",  # noqa: S106 (moto accepts any)
        config=Config(s3={"addressing_style": "path"}),
    )


def s3_env(s3: dict) -> dict:
    return {
        "S3_BUCKET": s3["bucket"],
        "S3_ENDPOINT_URL": s3["url"],
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "innovo-test",
        "S3_SECRET_ACCESS_KEY": "innovo-test-secret",
        "S3_ADDRESSING_STYLE": "path",
    }


# --- Redis ------------------------------------------------------------------------


class Redis:
    def __init__(self, workdir: Path, *, hosts: tuple[str, ...] = ("127.0.0.1",)):
        self.workdir, self.hosts = workdir, hosts
        self.port = free_port(hosts[0])
        self.proc: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.hosts[0]}:{self.port}/0"

    def start(self):
        argv = ["redis-server", "--port", str(self.port), "--bind", *self.hosts, "--save", "", "--appendonly", "no"]
        argv += ["--dir", str(self.workdir)]
        self.proc = Process("redis", argv, log=self.workdir / "redis.log")
        wait_for(lambda: port_open(self.hosts[0], self.port), timeout=20, what="redis", log=self.proc.log)

    def stop(self):
        if self.proc:
            self.proc.stop()
            self.proc = None


# --- PostgreSQL ---------------------------------------------------------------------


class Postgres:
    """A throwaway cluster (initdb + pg_ctl) in `workdir`, trust authentication,
    listening on `hosts` at a port of its own."""

    def __init__(self, workdir: Path, *, hosts: tuple[str, ...] = ("127.0.0.1",)):
        if PG_BIN is None:
            raise ServerError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
        self.workdir, self.hosts = workdir, hosts
        self.data = workdir / "pgdata"
        self.port = free_port(hosts[0])
        self.user = "postgres"

    def url(self, name: str = "innovo") -> str:
        return f"postgres://{self.user}@{self.hosts[0]}:{self.port}/{name}"

    def _run(self, *argv, **kwargs):
        run_as = self._run_as()
        return subprocess.run([*run_as, *argv], check=True, capture_output=True, text=True, timeout=120, **kwargs)

    def _run_as(self) -> list[str]:
        # initdb and postgres refuse to run as root: use the postgres system user.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--"]
        return []

    def init(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust", "--no-sync", "-E", "UTF8"
        )

    def start(self):
        options = (
            f"-c listen_addresses='{','.join(self.hosts)}' -p {self.port} -c unix_socket_directories='{self.workdir}'"
        )
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.workdir / "pg.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast"):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def createdb(self, name: str):
        subprocess.run(
            ["createdb", "-h", self.hosts[0], "-p", str(self.port), "-U", self.user, name],
            check=True,
            capture_output=True,
            timeout=60,
        )


# --- The app's processes -----------------------------------------------------------


def app_env(base: dict, **extra: str) -> dict:
    """The environment of a production-like app process: only what it is given, plus
    PATH and the locale (no test-suite variables leak in)."""
    env = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL", "HOME") if key in os.environ}
    env.update(base)
    env.update(extra)
    env["DJANGO_SETTINGS_MODULE"] = "innovo_compliance.settings"
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


def manage(env: dict, *args: str, netns: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    argv = [sys.executable, "manage.py", *args]
    if netns:
        argv = ["ip", "netns", "exec", netns, *argv]
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise ServerError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


def gunicorn(
    env: dict, *, bind: str, log: Path, netns: str | None = None, workers: int = 1, threads: int = 4
) -> Process:
    env = {**env, "GUNICORN_BIND": bind, "GUNICORN_WORKERS": str(workers), "GUNICORN_THREADS": str(threads)}
    proc = Process(
        "gunicorn",
        [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py", "innovo_compliance.wsgi"],
        log=log,
        env=env,
        netns=netns,
    )
    host, port = bind.rsplit(":", 1)

    def live():
        if not proc.alive():
            raise ServerError("gunicorn exited")
        with urllib.request.urlopen(f"http://{host}:{port}/healthz/live", timeout=2) as response:  # noqa: S310
            return response.status == 200

    wait_for(live, timeout=90, what=f"gunicorn on {bind}", log=log, interval=0.3)
    return proc


def celery(env: dict, role: str, *, log: Path, netns: str | None = None, name: str | None = None) -> Process:
    argv = [str(VENV_BIN / "celery"), "-A", "innovo_compliance", role, "--loglevel", "INFO"]
    if role == "worker":
        argv += ["--concurrency", "1", "--hostname", f"{name or 'worker'}@%h", "--without-mingle", "--without-gossip"]
    return Process(f"celery-{role}", argv, log=log, env=env, netns=netns)


def caddy(*, site_url: str, upstream: str, https_port: int, http_port: int, workdir: Path) -> Process:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SITE_URL": site_url,
        "UPSTREAM": upstream,
        "CADDY_HTTPS_PORT": str(https_port),
        "CADDY_HTTP_PORT": str(http_port),
        "CADDY_BIND": "127.0.0.1",
        "MAX_REQUEST_BODY": "55MB",
        "XDG_DATA_HOME": str(workdir / "caddy-data"),
        "XDG_CONFIG_HOME": str(workdir / "caddy-config"),
        "HOME": str(workdir),
    }
    caddy_bin = shutil.which("caddy")
    if caddy_bin is None:
        raise ServerError("caddy is not installed (apt-get install caddy)")
    proc = Process(
        "caddy",
        [caddy_bin, "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        log=workdir / "caddy.log",
        env=env,
    )
    root = workdir / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    wait_for(lambda: port_open("127.0.0.1", https_port) and root.exists(), timeout=60, what="caddy", log=proc.log)
    proc.root_ca = root
    return proc
