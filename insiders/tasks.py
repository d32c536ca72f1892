"""Celery tasks for insider trading: safe to run twice (every e-mail has an outbox
key), retried on database errors, calling insiders.notify."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from insiders import notify

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=8)
def dispatch_window_notices() -> int:
    """Beat, every hour: blackout windows that opened or closed (INS-4)."""
    sent = notify.dispatch_window_notices()
    log.info("blackout window notices queued: %s", sent)
    return sent
