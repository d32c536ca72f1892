"""Reminders and escalations for pending certificates (CERT-1, CERT-2).

The plan comes from `policy.deadlines`: on assignment, 7 days and 1 day before
the due date, on the day, weekly while overdue, and an escalation to the
supervisor and HR 14 days after the due date. Each (obligation, step) is sent
once: the `ReminderSent` row is inserted first, inside the transaction that
sends the mail. A second worker doing the same step at the same time meets the
unique constraint and skips; if the mail fails, the row rolls back with it and
the next run sends again.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from certifications.emails import send_templated
from certifications.models import Campaign, Obligation, ReminderSent
from certifications.services.obligations import obligations_sync
from core import outbox
from people.models import Designation
from people.selectors import designees_on
from policy.deadlines import due_reminder_steps

log = logging.getLogger(__name__)

ESCALATION = "escalation"


class ReminderDeliveryError(Exception):
    """Some reminders could not be sent; the task retries and sends only those."""


def pending_with_reminders(today: date):
    return (
        Obligation.objects.filter(
            status=Obligation.Status.PENDING, campaign__status=Campaign.Status.OPEN, assigned_on__lte=today
        )
        .select_related("person__supervisor", "campaign", "code_version")
        .defer("code_version__text")
        .prefetch_related(Prefetch("reminders", queryset=ReminderSent.objects.only("obligation_id", "step")))
        .order_by("id")
    )


def steps_to_send(obligation: Obligation, today: date) -> list[str]:
    """The plan's steps due by `today` that this campaign sends and nobody sent yet."""
    sent = {reminder.step for reminder in obligation.reminders.all()}
    return [
        step
        for step in due_reminder_steps(assigned_on=obligation.assigned_on, due=obligation.due_date, today=today)
        if step not in sent and obligation.campaign.sends(step)
    ]


@outbox.batched
def reminders_dispatch(*, today: date | None = None) -> int:
    """Send every reminder step that is due. Returns how many were sent now.

    First makes sure every new hire and newly promoted officer has their
    obligation (hires and promotions dated in the future reach their day here).
    """
    today = today or timezone.localdate()
    obligations_sync(today=today)
    hr = [p.email for p in designees_on(Designation.HR_DIRECTOR, today) if p.email]
    sent = failed = 0
    for obligation in pending_with_reminders(today).iterator(chunk_size=500):
        for step in steps_to_send(obligation, today):
            try:
                if reminder_send(obligation=obligation, step=step, today=today, hr_emails=hr):
                    sent += 1
            except (OSError, ConnectionError) as error:  # smtplib errors are OSErrors
                failed += 1
                log.warning("Reminder %s for obligation %s not sent: %s", step, obligation.pk, error)
    if failed:
        raise ReminderDeliveryError(f"{failed} reminder(s) could not be sent; {sent} sent.")
    return sent


def recipients_for(obligation: Obligation, step: str, *, hr_emails: list[str]) -> list[str]:
    """The person, or for the escalation their supervisor and HR (never the person
    themself: an overdue HR director's escalation goes to their supervisor)."""
    person = obligation.person
    if step != ESCALATION:
        return [person.email] if person.email else []
    emails = []
    supervisor = person.supervisor
    if supervisor and supervisor.email and supervisor.leaving_date is None:
        emails.append(supervisor.email)
    emails += [email for email in hr_emails if email not in emails]
    return [email for email in emails if email != person.email]


def reminder_send(*, obligation: Obligation, step: str, today: date, hr_emails: list[str] | None = None) -> bool:
    """Send one step once. False when another run already sent (or is sending) it."""
    if hr_emails is None:
        hr_emails = [p.email for p in designees_on(Designation.HR_DIRECTOR, today) if p.email]
    to = recipients_for(obligation, step, hr_emails=hr_emails)
    try:
        with transaction.atomic():
            ReminderSent.objects.create(obligation=obligation, step=step, recipients=", ".join(to))
            if to:
                send_templated(
                    ESCALATION if step == ESCALATION else "reminder",
                    to=to,
                    context=_context(obligation, step, today),
                    key=f"cert-reminder:{obligation.pk}:{step}",
                )
            else:
                log.info("Reminder %s for obligation %s: nobody to send it to", step, obligation.pk)
    except IntegrityError:
        log.info("Reminder %s for obligation %s already sent by another run", step, obligation.pk)
        return False
    return True


def _context(obligation: Obligation, step: str, today: date) -> dict:
    return {
        "person": obligation.person,
        "obligation": obligation,
        "campaign": obligation.campaign,
        "step": step,
        "due": obligation.due_date,
        "days_left": (obligation.due_date - today).days,
        "days_overdue": (today - obligation.due_date).days,
        "url": settings.SITE_URL + reverse("cert_sign", args=[obligation.pk]),
        "dashboard_url": settings.SITE_URL + reverse("cert_campaign", args=[obligation.campaign_id]),
    }
