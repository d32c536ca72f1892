"""Reminders and escalations for pending certificates (CERT-1, CERT-2).

The plan comes from `policy.deadlines`: on assignment, 7 days and 1 day before
the due date, on the day, weekly while overdue, and an escalation to the
supervisor and HR 14 days after the due date.

Each (obligation, step) is sent once, in batches (issue 12): one transaction per
batch of up to BATCH obligations, which

1. takes the next obligations with `SELECT … FOR UPDATE SKIP LOCKED`, so that a
   second dispatcher running at the same time takes the following batch instead
   of waiting;
2. records every due step with one `INSERT … ON CONFLICT DO NOTHING RETURNING`
   into `ReminderSent` (unique per obligation and step): only the steps this
   run inserted are sent, whatever another run did or does;
3. queues their e-mails in the outbox (`core.outbox.emails`, one INSERT), which
   sends them after the commit in batches over one mail connection.

The e-mails of one campaign's step are alike but for the person: `MailMerge`
renders the templates once per (template, campaign, step, due date, Code
version, department or none) with placeholders for the name, the department and
the link, and fills each person in (escaped for the HTML part). The first
person of each group, and a probe name full of characters to escape, are also
rendered in full and compared: a template the merge cannot follow is rendered
person by person instead.

A batch that fails half-way rolls back whole (no step recorded without its
e-mail, no e-mail without its step); the run goes on with the next batch and
then raises ReminderDeliveryError, so that the task retries and sends the rest.
"""

from __future__ import annotations

import functools
import logging
from datetime import date
from types import SimpleNamespace

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Prefetch
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import escape

from certifications.models import Campaign, Obligation, ReminderSent
from certifications.services.obligations import obligations_sync
from core import outbox
from innovo_compliance.mail import render_templated
from people.models import Designation
from people.selectors import designees_on
from policy.deadlines import due_reminder_steps

log = logging.getLogger(__name__)

ESCALATION = "escalation"
BATCH = 500
"""Obligations per transaction: about 1,500 steps when three are due for each."""


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


def _claim_batch(today: date, after: int, size: int) -> list[Obligation]:
    """The next `size` pending obligations after id `after` that no other run holds,
    locked until this transaction ends."""
    return list(
        pending_with_reminders(today).filter(pk__gt=after).select_for_update(skip_locked=True, of=("self",))[:size]
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
def reminders_dispatch(*, today: date | None = None, batch_size: int = BATCH) -> int:
    """Record and queue every reminder step that is due, batch by batch. Returns
    how many steps this run recorded (another run's are not counted).

    First makes sure every new hire and newly promoted officer has their
    obligation (hires and promotions dated in the future reach their day here).
    """
    today = today or timezone.localdate()
    obligations_sync(today=today)
    hr = [p.email for p in designees_on(Designation.HR_DIRECTOR, today) if p.email]
    sent = failed = 0
    after = 0
    while True:
        batch: list[Obligation] = []
        try:
            with transaction.atomic():
                batch = _claim_batch(today, after, batch_size)
                if batch:
                    after = batch[-1].pk
                    sent += _record_and_queue(
                        [(obligation, step) for obligation in batch for step in steps_to_send(obligation, today)],
                        today=today,
                        hr_emails=hr,
                    )
        except DatabaseError as error:  # the batch rolled back whole: the task's retry sends it
            failed += 1
            first = batch[0].pk if batch else after
            log.warning("Reminder batch from obligation %s failed, nothing of it kept: %s", first, error)
            if not batch:
                break
            continue
        if not batch:
            break
    if failed:
        raise ReminderDeliveryError(f"{failed} batch(es) of reminders failed and were rolled back; {sent} sent.")
    return sent


def _record_and_queue(steps: list[tuple[Obligation, str]], *, today: date, hr_emails: list[str]) -> int:
    """Record the (obligation, step) pairs nobody recorded yet, with one
    `INSERT … ON CONFLICT DO NOTHING RETURNING`, and queue the e-mails of those
    this call inserted. In the caller's transaction. Returns how many it inserted."""
    if not steps:
        return 0
    recipients = {
        (obligation.pk, step): recipients_for(obligation, step, hr_emails=hr_emails) for obligation, step in steps
    }
    table = ReminderSent._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s)"] * len(recipients))
    params: list = []
    now = timezone.now()
    for (obligation_id, step), to in recipients.items():
        params += [obligation_id, step, now, ", ".join(to)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (obligation_id, step, sent_at, recipients) VALUES {values} "  # noqa: S608 - our table name
            "ON CONFLICT (obligation_id, step) DO NOTHING RETURNING obligation_id, step",
            params,
        )
        inserted = {(obligation_id, step) for obligation_id, step in cursor.fetchall()}
    by_id = {obligation.pk: obligation for obligation, _ in steps}
    merge = MailMerge(today)
    messages = []
    for obligation_id, step in recipients:
        if (obligation_id, step) not in inserted:
            continue
        obligation, to = by_id[obligation_id], recipients[(obligation_id, step)]
        if not to:
            log.info("Reminder %s for obligation %s: nobody to send it to", step, obligation_id)
            continue
        messages.append(
            (
                f"certifications/{ESCALATION if step == ESCALATION else 'reminder'}",
                _context(obligation, step, today),
                to,
                f"cert-reminder:{obligation_id}:{step}",
            )
        )
    outbox.emails(messages, render=merge.render)
    return len(inserted)


_SAMPLE_ID = 987654321


@functools.cache
def _path_form(name: str, script_prefix: str) -> str:
    return reverse(name, args=[_SAMPLE_ID])


def _path(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])`, resolved once per URL name (30,000 reminders
    would resolve it 60,000 times)."""
    return _path_form(name, get_script_prefix()).replace(str(_SAMPLE_ID), str(pk))


_NAME, _DEPARTMENT, _ID = "\ue000name\ue000", "\ue000department\ue000", "\ue000id\ue000"
"""Placeholders (Unicode private-use characters, which no template or escaping changes)."""
_PROBE = 'Probe & <"O\'Neil"> 王'
"""A name that shows whether the templates escape it where the merge does."""


class MailMerge:
    """Renders a reminder e-mail once per group of alike messages and fills in the
    person (see the module's docstring). `render(name, context)` takes the context
    of `_context` and returns (subject, text, html) equal to `render_templated`'s."""

    def __init__(self, today: date):
        self.today = today
        self.forms: dict[tuple, tuple[str, str, str] | None] = {}

    def render(self, name: str, context: dict) -> tuple[str, str, str]:
        obligation, person = context["obligation"], context["person"]
        key = (
            name,
            obligation.campaign_id,
            context["step"],
            obligation.due_date,
            obligation.code_version_id,
            bool(person.department),
        )
        if key not in self.forms:
            real = render_templated(name, context)
            form = render_templated(name, self._placeholders(context))
            probe = context | {"person": SimpleNamespace(name=_PROBE, department=_PROBE if person.department else "")}
            fits = self._fill(form, context) == real and self._fill(form, probe) == render_templated(name, probe)
            self.forms[key] = form if fits else None
            if self.forms[key] is None:
                log.info("Reminder template %s: rendered person by person (the merge does not match)", name)
            return real
        form = self.forms[key]
        return render_templated(name, context) if form is None else self._fill(form, context)

    def _placeholders(self, context: dict) -> dict:
        obligation, person = context["obligation"], context["person"]
        return context | {
            "person": SimpleNamespace(name=_NAME, department=_DEPARTMENT if person.department else ""),
            "obligation": SimpleNamespace(pk=_ID, code_version=obligation.code_version, campaign=obligation.campaign),
            "url": context["url"].replace(f"/{obligation.pk}/", f"/{_ID}/"),
        }

    @staticmethod
    def _fill(form: tuple[str, str, str], context: dict) -> tuple[str, str, str]:
        person, pk = context["person"], str(context["obligation"].pk)
        subject, text, html = form

        def plain(value: str) -> str:
            return value.replace(_NAME, person.name).replace(_DEPARTMENT, person.department).replace(_ID, pk)

        escaped = (
            html.replace(_NAME, str(escape(person.name)))
            .replace(_DEPARTMENT, str(escape(person.department)))
            .replace(_ID, pk)
        )
        return " ".join(plain(subject).split()), plain(text), escaped


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
    """Send one step once. False when another run already recorded (or is
    recording) it."""
    if hr_emails is None:
        hr_emails = [p.email for p in designees_on(Designation.HR_DIRECTOR, today) if p.email]
    with transaction.atomic():
        inserted = _record_and_queue([(obligation, step)], today=today, hr_emails=hr_emails)
    if not inserted:
        log.info("Reminder %s for obligation %s already sent by another run", step, obligation.pk)
    return inserted == 1


def _context(obligation: Obligation, step: str, today: date) -> dict:
    return {
        "person": obligation.person,
        "obligation": obligation,
        "campaign": obligation.campaign,
        "step": step,
        "due": obligation.due_date,
        "days_left": (obligation.due_date - today).days,
        "days_overdue": (today - obligation.due_date).days,
        "url": settings.SITE_URL + _path("cert_sign", obligation.pk),
        "dashboard_url": settings.SITE_URL + _path("cert_campaign", obligation.campaign_id),
    }
