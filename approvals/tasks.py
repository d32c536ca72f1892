"""Celery tasks for approvals: safe to run twice (ApprovalNotice is unique per case
and step), retry on transport errors, call approvals.notify. E-mails about one
change (submitted, decided, information requested) are not tasks: the service
puts them in the outbox in its own transaction."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from approvals import notify

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=8)
def dispatch_reminders() -> int:
    """Beat, every 6 hours: review dates, waiver disclosures, yearly re-confirmation."""
    sent = notify.dispatch_reminders()
    log.info("approval reminders queued: %s", sent)
    return sent
