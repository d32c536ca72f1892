"""Celery tasks of the certification workflow. Each takes ids (or nothing), is safe
to run twice, retries on database or mail transport errors, and calls a service."""

import logging

from celery import shared_task
from django.db import OperationalError

from certifications.services.certify import certificate_issue_pdf
from certifications.services.exports import export_build, exports_purge_expired
from certifications.services.obligations import obligations_sync
from certifications.services.reminders import ReminderDeliveryError, reminders_dispatch

log = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OperationalError, ConnectionError, ReminderDeliveryError),
    "retry_backoff": True,  # 1, 2, 4... seconds (with jitter), at most 10 minutes apart
    "retry_backoff_max": 600,
    "max_retries": 10,
}


@shared_task(name="certifications.tasks.dispatch_reminders", **RETRY)
def dispatch_reminders():
    """Beat, every 30 minutes: send the reminder steps that are due (each once)."""
    return reminders_dispatch()


@shared_task(name="certifications.tasks.sync_obligations", **RETRY)
def sync_obligations(person_ids):
    """After a roster change: new hires' and promoted officers' obligations, leavers'
    cancellations (CERT-1, CERT-2, ROLE-1)."""
    return len(obligations_sync(person_ids=person_ids))


@shared_task(name="certifications.tasks.issue_certificate_pdf", **RETRY)
def issue_certificate_pdf(certification_id):
    """Render and sign a certificate PDF once the signature is committed."""
    certificate_issue_pdf(certification_id=certification_id)


@shared_task(name="certifications.tasks.build_export", **RETRY)
def build_export(job_id):
    """Build HR's ZIP of a campaign's certificates."""
    export_build(job_id=job_id)


@shared_task(name="certifications.tasks.purge_expired_exports", **RETRY)
def purge_expired_exports():
    """Delete export files past their expiry date."""
    return exports_purge_expired()
