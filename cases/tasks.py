"""Celery tasks: take ids, safe to run twice, retry on transport errors, call a service."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from cases import notify
from cases.models import Case, CaseMessage
from innovo_compliance.mail import send_templated

log = logging.getLogger(__name__)
RETRY = {"autoretry_for": (smtplib.SMTPException, ConnectionError, OSError), "retry_backoff": True, "max_retries": 8}


@shared_task(**RETRY)
def notify_new_case(case_id: int) -> bool:
    case = Case.objects.select_related("assignee", "filer").filter(pk=case_id).first()
    return bool(case) and notify.notify_new(case)


@shared_task(**RETRY)
def notify_assigned(case_id: int) -> None:
    case = Case.objects.select_related("assignee").filter(pk=case_id).first()
    if case and case.assignee and case.assignee.email:
        send_templated("cases/update", {"case": case, "headline": "A case was assigned to you."}, [case.assignee.email])


@shared_task(**RETRY)
def notify_status(case_id: int, status: str) -> None:
    """A named filer hears that their case moved (anonymous reporters read it with their key)."""
    case = Case.objects.select_related("filer").filter(pk=case_id).first()
    if case and case.filer and not case.anonymous and case.filer.email:
        headline = f"Your {case.get_kind_display().lower()} is now: {case.get_status_display().lower()}."
        send_templated("cases/update", {"case": case, "headline": headline}, [case.filer.email])


@shared_task(**RETRY)
def notify_message(message_id: int) -> None:
    message = CaseMessage.objects.select_related("case__filer", "case__assignee").filter(pk=message_id).first()
    if message is None:
        return
    case = message.case
    if message.from_reporter:
        send_templated(
            "cases/update", {"case": case, "headline": "The reporter sent a message."}, notify.handlers_emails(case)
        )
    elif case.filer and not case.anonymous:
        send_templated(
            "cases/update", {"case": case, "headline": "You have a new message about your filing."}, [case.filer.email]
        )


@shared_task(**RETRY)
def dispatch_deadlines() -> int:
    sent = notify.dispatch_case_deadlines()
    log.info("case deadline notices sent: %s", sent)
    return sent


@shared_task
def purge_expired() -> int:
    from cases.services import purge_expired as purge

    return purge()
