"""Celery tasks of the outbox: the dispatcher (kicked on commit, swept by beat)
and the runner of one background job. Both are safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone


@shared_task(name="core.tasks.dispatch_outbox")
def dispatch_outbox() -> int:
    from core import outbox

    return outbox.dispatch()


@shared_task(name="core.tasks.run_outbox_job")
def run_outbox_job(item_id: int) -> bool:
    from core import outbox

    return outbox.run_job(item_id)


@shared_task(name="core.tasks.purge_form_tokens")
def purge_form_tokens() -> int:
    """One-time form tokens are kept a week: long enough for any reload."""
    from core.models import FormToken

    deleted, _ = FormToken.objects.filter(used_at__lt=timezone.now() - timedelta(days=7)).delete()
    return deleted
