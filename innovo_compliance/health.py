"""Health endpoints for container checks and load balancers.

`/healthz/live`: the process answers (no database, no cache). A failing liveness
check means "restart me".
`/healthz/ready`: this process can serve requests: the database, the cache, the
Celery broker, file storage and the signing key answer, and beat's heartbeat is
recent. A failing readiness check means "send me no traffic"; the JSON body says
which part failed (names and timings only: the endpoint is public, so no host
names or error messages, which go to the log).

Both are answered by `HealthMiddleware`, first in the middleware stack, before
the host check (ALLOWED_HOSTS) and the HTTPS redirect: a container's health
check calls `http://127.0.0.1:8000/healthz/ready` with its own address as host,
over plain HTTP, and must get the truth, not a 400 or a 301.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

log = logging.getLogger(__name__)

LIVE_PATH = "/healthz/live"
READY_PATH = "/healthz/ready"
HEARTBEAT_KEY = "celery-heartbeat:beat"
"""Written by `people.tasks.heartbeat`, which beat sends every BEAT_HEARTBEAT_SECONDS."""
CHECK_TIMEOUT = 3.0
"""Seconds the readiness check waits for all its parts: a database that does not
answer (a pool waiting for a connection) must not hold the health check for longer
than a container check's own timeout."""


def check_database() -> None:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # this thread's connection goes back to the pool (or is closed)


def check_cache() -> None:
    from django.core.cache import cache

    token = f"{os.getpid()}:{time.monotonic_ns()}"
    cache.set("healthz:probe", token, 30)
    if cache.get("healthz:probe") is None:
        raise RuntimeError("the cache did not keep a value")


def check_broker() -> None:
    from innovo_compliance.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=CHECK_TIMEOUT)
        if conn.transport_cls in {"redis", "rediss"} or conn.transport.driver_type == "redis":
            conn.default_channel.client.ping()


def check_storage() -> None:
    from django.core.files.storage import default_storage

    location = getattr(default_storage, "location", None)
    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:  # S3: the bucket answers to our credentials
        default_storage.connection.meta.client.head_bucket(Bucket=bucket)
    elif location:
        path = Path(location)
        path.mkdir(parents=True, exist_ok=True)
        if not os.access(path, os.W_OK):
            raise PermissionError("storage directory is not writable")
    else:
        default_storage.exists("healthz-probe")


def check_signing_key() -> None:
    for key in ("SIGNING_KEY", "SIGNING_CERT"):
        with open(settings.INNOVO[key], "rb") as handle:
            handle.read(1)


def check_beat() -> dict:
    """Beat's last heartbeat (run by a worker). None yet (a fresh start, an emptied
    cache) is not a failure: the next one comes within BEAT_HEARTBEAT_SECONDS."""
    from django.core.cache import cache

    raw = cache.get(HEARTBEAT_KEY)
    if raw is None:
        return {"age_s": None}
    at = parse_datetime(raw)
    age = (timezone.now() - at).total_seconds() if at else None
    limit = settings.HEALTH_BEAT_MAX_AGE
    if age is None or age > limit:
        raise RuntimeError(f"last beat heartbeat {age} s ago (limit {limit} s)")
    return {"age_s": round(age)}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
    "signing_key": check_signing_key,
    "beat": check_beat,
}


def _timed(check):
    started = time.perf_counter()
    extra = check() or {}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **extra}


def readiness() -> tuple[bool, dict]:
    """Run every check in parallel, each in its own thread, with one deadline."""
    results: dict = {}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="healthz")
    try:
        futures = {pool.submit(_timed, check): name for name, check in CHECKS.items()}
        done, pending = concurrent.futures.wait(futures, timeout=CHECK_TIMEOUT)
        for future in done:
            name = futures[future]
            try:
                results[name] = future.result()
            except Exception as error:
                log.warning("readiness: %s failed: %s: %s", name, type(error).__name__, error)
                results[name] = {"ok": False, "error": type(error).__name__}
        for future in pending:
            name = futures[future]
            log.warning("readiness: %s did not answer within %s s", name, CHECK_TIMEOUT)
            results[name] = {"ok": False, "error": "timeout"}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    ok = all(result["ok"] for result in results.values())
    return ok, dict(sorted(results.items()))


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answers the health endpoints before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path == LIVE_PATH:
            return _no_store(JsonResponse({"status": "ok"}))
        if path == READY_PATH:
            ok, checks = readiness()
            body = {"status": "ok" if ok else "fail", "checks": checks}
            return _no_store(JsonResponse(body, status=200 if ok else 503))
        return self.get_response(request)
