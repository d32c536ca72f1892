"""Celery tasks for board governance: safe to run twice, retry on transport errors,
call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=8)
def board_check_daily() -> dict:
    """Beat, daily: BOARD-1, BOARD-2 checked on today's roster, a safety net for the
    roster-write hook (a failed hook, a role that ended overnight)."""
    from governance.services import board_check

    result = board_check()
    log.info("board check: %s opened, %s cured", len(result.opened), len(result.cured))
    return {"opened": [c.pk for c in result.opened], "cured": [c.pk for c in result.cured]}


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=8)
def rpt_review_reminders() -> int:
    """Beat, daily: RPT-1 yearly reviews of related-party transactions (once per review date)."""
    from governance.services import rpt_review_reminders as run

    return run()
