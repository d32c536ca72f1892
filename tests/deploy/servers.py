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
import ssl
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


def tls_handshake(port: int, server_name: str, cafile: Path) -> bool:
    """True once a handshake on 127.0.0.1:port verifies against `cafile` for `server_name`."""
    try:
        context = ssl.create_default_context(cafile=str(cafile))
        with (
            socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname=server_name),
        ):
            return True
    except (OSError, ssl.SSLError):
        return False


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
def moto_s3(workdir: Path, *, hosts: tuple[str, ...] = ("127.0.0.1",), bucket: str = "innovo-test"):
    """moto's S3 API on each of `hosts` (one shared state), with `bucket` created."""
    port = free_port(hosts[0])
    argv = [sys.executable, str(Path(__file__).with_name("s3_server.py")), str(port), *hosts]
    proc = Process("moto", argv, log=workdir / "moto.log")
    url = f"http://{hosts[0]}:{port}"
    try:
        wait_for(lambda: all(port_open(h, port) for h in hosts), timeout=30, what="moto S3 server", log=proc.log)
        client = s3_client(url)
        client.create_bucket(Bucket=bucket)
        yield {"url": url, "port": port, "bucket": bucket, "client": client, "process": proc}
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
    """With a password, as Redis must have once other machines reach it."""

    def __init__(self, workdir: Path, *, hosts: tuple[str, ...] = ("127.0.0.1",), password: str = ""):
        self.workdir, self.hosts, self.password = workdir, hosts, password
        self.port = free_port(hosts[0])
        self.proc: Process | None = None

    def url(self, host: str | None = None) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}{host or self.hosts[0]}:{self.port}/0"

    def start(self):
        argv = ["redis-server", "--port", str(self.port), "--bind", *self.hosts, "--save", "", "--appendonly", "no"]
        argv += ["--dir", str(self.workdir)]
        if self.password:
            argv += ["--requirepass", self.password]
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

    def __init__(self, workdir: Path, *, hosts: tuple[str, ...] = ("127.0.0.1",), password: str = "innovo-pg-test"):
        if PG_BIN is None:
            raise ServerError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
        self.workdir, self.hosts, self.password = workdir, hosts, password
        self.data = workdir / "pgdata"
        self.port = free_port(hosts[0])
        self.user = "postgres"

    def url(self, name: str = "innovo", host: str | None = None) -> str:
        """Without the password: the app reads it from DATABASE_PASSWORD_FILE."""
        return f"postgres://{self.user}@{host or self.hosts[0]}:{self.port}/{name}"

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
        pwfile = self.workdir / "pwfile"
        pwfile.write_text(self.password)
        if os.geteuid() == 0:  # a folder of its own that the postgres user can reach
            shutil.chown(self.workdir, "postgres")
            shutil.chown(pwfile, "postgres")
            self.workdir.chmod(0o755)
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", self.user, "--pwfile", str(pwfile)]
        self._run(*initdb, "--auth-host", "scram-sha-256", "--auth-local", "trust", "--no-sync", "-E", "UTF8")
        pwfile.unlink()
        # Other machines (the namespaces' 127.x addresses) log in with the password too.
        with open(self.data / "pg_hba.conf", "a") as hba:
            hba.write("host all all 127.0.0.0/8 scram-sha-256\n")

    def start(self):
        options = f"-c listen_addresses='{','.join(self.hosts)}' -p {self.port}"
        options += f" -c unix_socket_directories='{self.workdir}'"
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        log = str(self.workdir / "pg.log")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast"):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def createdb(self, name: str):
        subprocess.run(
            ["createdb", "-h", self.hosts[0], "-p", str(self.port), "-U", self.user, name],
            check=True,
            capture_output=True,
            timeout=60,
            env={**os.environ, "PGPASSWORD": self.password},
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
    # The root appears before the site's own certificate is issued: until then a handshake
    # ends in an "internal error" alert. Ready means a verified handshake for the site's name.
    host = site_url.split("://", 1)[1].split(":", 1)[0]
    wait_for(lambda: tls_handshake(https_port, host, root), timeout=60, what="caddy's certificate", log=proc.log)
    proc.root_ca = root
    return proc


# --- Network namespaces --------------------------------------------------------------


class Netns:
    """A network namespace joined to the host by a veth pair with loopback-range
    addresses of the tests' own: `host_ip` on the host's end, `ns_ip` inside.
    (route_localnet lets 127.x addresses travel over a real interface.)"""

    def __init__(self, name: str, host_ip: str, ns_ip: str):
        self.name, self.host_ip, self.ns_ip = name, host_ip, ns_ip
        suffix = name[-6:]
        self.host_if, self.ns_if = f"vh{suffix}"[:15], f"vn{suffix}"[:15]

    def _ip(self, *args, ns: bool = False):
        argv = ["ip", "netns", "exec", self.name, "ip", *args] if ns else ["ip", *args]
        subprocess.run(argv, check=True, capture_output=True, timeout=30)

    def _sysctl(self, name: str, ns: bool = False):
        argv = ["sysctl", "-q", "-w", f"{name}=1"]
        if ns:
            argv = ["ip", "netns", "exec", self.name, *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=30)

    def create(self):
        self.destroy()
        subprocess.run(["ip", "netns", "add", self.name], check=True, capture_output=True, timeout=30)
        self._ip("link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if)
        self._ip("link", "set", self.ns_if, "netns", self.name)
        self._ip("addr", "add", f"{self.host_ip}/24", "dev", self.host_if)
        self._ip("link", "set", self.host_if, "up")
        self._sysctl(f"net.ipv4.conf.{self.host_if}.route_localnet")
        self._ip("addr", "add", f"{self.ns_ip}/24", "dev", self.ns_if, ns=True)
        self._ip("link", "set", self.ns_if, "up", ns=True)
        self._ip("link", "set", "lo", "up", ns=True)
        self._sysctl(f"net.ipv4.conf.{self.ns_if}.route_localnet", ns=True)
        return self

    def destroy(self):
        subprocess.run(["ip", "link", "del", self.host_if], capture_output=True, timeout=30)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True, timeout=30)


def netns_available() -> str | None:
    """None when namespaces can be made here, else why not."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "iproute2 is not installed"
    probe = f"innovo-probe-{os.getpid()}"
    result = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True, timeout=30)
    subprocess.run(["ip", "netns", "del", probe], capture_output=True, timeout=30)
    return None if result.returncode == 0 else f"ip netns add failed: {result.stderr.strip()}"


# --- SMTP ---------------------------------------------------------------------------


class SmtpSink:
    """The smallest SMTP server that accepts every message and keeps it (in this
    process, one thread per address): the app's real SMTP backend sends to it."""

    def __init__(self, hosts: tuple[str, ...]):
        import socketserver
        import threading

        self.messages: list[bytes] = []
        self.port = free_port(hosts[0])
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 sink ESMTP\r\n")
                while line := self.rfile.readline():
                    command = line.strip().upper()
                    if command.startswith((b"EHLO", b"HELO")):
                        self.wfile.write(b"250 sink\r\n")
                    elif command == b"DATA":
                        self.wfile.write(b"354 go on\r\n")
                        body = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                            body += chunk
                        sink.messages.append(body)
                        self.wfile.write(b"250 kept\r\n")
                    elif command == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.servers = [Server((host, self.port), Handler) for host in hosts]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()
