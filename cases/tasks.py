"""Celery tasks: take ids, safe to run twice, retry on transport errors, call a service.

Notices about one change (new case, assignment, status, messages) are not tasks:
the service puts them in the outbox in its own transaction (cases.notify)."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from cases import notify

log = logging.getLogger(__name__)
RETRY = {"autoretry_for": (smtplib.SMTPException, ConnectionError, OSError), "retry_backoff": True, "max_retries": 8}


@shared_task(**RETRY)
def dispatch_deadlines() -> int:
    sent = notify.dispatch_case_deadlines()
    log.info("case deadline notices sent: %s", sent)
    return sent


@shared_task
def purge_expired() -> int:
    from cases.services import purge_expired as purge

    return purge()


@shared_task
def check_counts() -> int:
    """The kept counts against a full count (cases.counts): drift is a bug, so it is
    logged as an error with the rows that differ, then repaired."""
    from cases import counts

    drifted = counts.drift()
    if drifted:
        log.error("kept case counts drifted on %s row(s): %s", len(drifted), sorted(drifted.items())[:20])
        counts.rebuild()
    return len(drifted)
