"""The production shape without containers, shared by the production-shape and
scale-out tests (one setup per test session):

- two "machines": network namespaces A and B, each joined to the host by a veth
  pair with loopback-range addresses of our own;
- PostgreSQL (a throwaway cluster), Redis and an S3 API server (moto), each of
  the tests' own, listening on 127.0.0.1 and on the host's end of both veths;
- the database migrated and seeded with the demo roster once, static files
  collected once, a signing key and a shared secret key.

The app processes themselves (gunicorn, Celery, Caddy) are started by the tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from certifications.signing import generate_demo_keypair
from tests.deploy import servers

SECRET_KEY = "production-shape-test-secret-key-shared-by-every-machine-0123456789"


class Stack:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        pid = os.getpid()
        octet = 64 + pid % 128  # a /16 of 127.x of our own, per test run
        self.machines = {
            "a": servers.Netns(f"innovo-{pid}-a", f"127.{octet}.1.1", f"127.{octet}.1.2"),
            "b": servers.Netns(f"innovo-{pid}-b", f"127.{octet}.2.1", f"127.{octet}.2.2"),
        }
        self.hosts = ("127.0.0.1", *(m.host_ip for m in self.machines.values()))
        self.pg_dir = Path(tempfile.mkdtemp(prefix="innovo-pg-"))
        self.pg = servers.Postgres(self.pg_dir, hosts=self.hosts)
        self.redis = servers.Redis(workdir, hosts=self.hosts, password="innovo-redis-test")
        self.db_password_file = workdir / "db_password"  # as compose's Docker secret
        self._s3 = None
        self.s3: dict = {}
        self.key = workdir / "signing" / "key.pem"
        self.cert = workdir / "signing" / "cert.pem"
        self.static_root = workdir / "static"
        self.smtp = None

    # --- start and stop -------------------------------------------------------------

    def start(self) -> Stack:
        for machine in self.machines.values():
            machine.create()
        self.db_password_file.write_text(self.pg.password + "\n")
        self.pg.init()
        self.pg.start()
        self.pg.createdb("innovo")
        self.redis.start()
        self._s3 = servers.moto_s3(self.workdir, hosts=self.hosts)
        self.s3 = self._s3.__enter__()
        self.smtp = servers.SmtpSink(self.hosts)
        generate_demo_keypair(self.key, self.cert)
        env = self.env()
        servers.manage(env, "check", "--deploy", "--fail-level", "WARNING")
        servers.manage(env, "migrate", "--noinput")
        servers.manage(env, "collectstatic", "--noinput")
        servers.manage(env, "seed_demo", "--roster-only")  # the roster and the Code; the tests make their own cases
        return self

    def stop(self) -> None:
        if self._s3 is not None:
            self._s3.__exit__(None, None, None)
        if self.smtp is not None:
            self.smtp.stop()
        self.redis.stop()
        self.pg.stop(mode="immediate")
        for machine in self.machines.values():
            machine.destroy()
        shutil.rmtree(self.pg_dir, ignore_errors=True)

    # --- what the app processes get ---------------------------------------------------

    def env(self, machine: str | None = None, **extra: str) -> dict:
        """The environment of an app process on the host (None) or on machine "a"/"b":
        production settings, everything shared reached at that machine's address."""
        host = self.machines[machine].host_ip if machine else "127.0.0.1"
        s3 = servers.s3_env(self.s3)
        s3["S3_ENDPOINT_URL"] = f"http://{host}:{self.s3['port']}"
        base = {
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": self.pg.url("innovo", host=host),
            "DATABASE_PASSWORD_FILE": str(self.db_password_file),
            "REDIS_URL": self.redis.url(host),
            "VAR_DIR": str(self.workdir / f"var-{machine or 'host'}"),
            "STATIC_ROOT": str(self.static_root),
            "SIGNING_KEY_PATH": str(self.key),
            "SIGNING_CERT_PATH": str(self.cert),
            "EMAIL_HOST": host,
            "EMAIL_PORT": str(self.smtp.port),
            "BEAT_HEARTBEAT_SECONDS": "2",
            "DATABASE_POOL_MAX_SIZE": "4",
            "CELERY_WORKER_CONCURRENCY": "1",
            **s3,
        }
        return servers.app_env(base, **extra)

    def sql(self, query: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.pg.port, user="postgres", password=self.pg.password, dbname="innovo"
        ) as conn:
            return conn.execute(query, params).fetchall()
