"""The real services: PostgreSQL when DATABASE_URL is set, a Celery worker on Redis
when REDIS_URL is set. CI sets both (with REQUIRE_SERVICES=1 a skip is a failure)."""

import time
import uuid

import pytest
from django.core.cache import cache
from django.db import connection

from people.tasks import heartbeat


def wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.services
def test_suite_runs_on_postgresql(postgres_required, db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@pytest.mark.services
def test_a_real_worker_on_redis_runs_a_task(redis_required, celery_worker, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    token = uuid.uuid4().hex
    heartbeat.delay(token)
    assert wait_for(lambda: cache.get(f"celery-heartbeat:{token}"))


def test_a_worker_runs_a_task_through_the_broker(celery_worker):
    """On either broker the task goes through a worker, not inline."""
    token = uuid.uuid4().hex
    result = heartbeat.delay(token)
    assert result.id
    assert wait_for(lambda: cache.get(f"celery-heartbeat:{token}"))


@pytest.mark.django_db
def test_every_beat_entry_names_a_registered_task():
    """A typo in the schedule would only show in the worker's log; catch it here."""
    from innovo_compliance.celery import app

    app.loader.import_default_modules()
    missing = [entry["task"] for entry in app.conf.beat_schedule.values() if entry["task"] not in app.tasks]
    assert missing == []
