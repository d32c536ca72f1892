"""Celery tasks for approvals: take ids, safe to run twice (ApprovalNotice is
unique per case and step), retry on transport errors, call approvals.notify."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from approvals import notify
from approvals.models import Decision
from cases.models import Case, CaseMessage

log = logging.getLogger(__name__)
RETRY = {"autoretry_for": (smtplib.SMTPException, ConnectionError, OSError), "retry_backoff": True, "max_retries": 8}


@shared_task(**RETRY)
def notify_submitted(case_id: int, step: str) -> bool:
    """To the approvers: a filing (or a renewal, or the filer's answer) waits for them."""
    case = Case.objects.select_related("filer", "assignee").filter(pk=case_id).first()
    return bool(case) and notify.submitted(case, step)


@shared_task(**RETRY)
def notify_decided(decision_id: int) -> bool:
    """To the filer: the decision, its conditions and review date."""
    decision = Decision.objects.select_related("case__filer").filter(pk=decision_id).first()
    return bool(decision) and notify.decided(decision)


@shared_task(**RETRY)
def notify_info_requested(message_id: int) -> bool:
    """To the filer: the decider's question."""
    message = CaseMessage.objects.select_related("case__filer").filter(pk=message_id).first()
    return bool(message) and notify.info_requested(message)


@shared_task(**RETRY)
def dispatch_reminders() -> int:
    """Beat, every 6 hours: review dates, waiver disclosures, yearly re-confirmation."""
    sent = notify.dispatch_reminders()
    log.info("approval reminders sent: %s", sent)
    return sent
