"""The transactional outbox: notices and background jobs that survive outages.

A service that changes something writes, in the same transaction, one
OutboxItem per e-mail it owes (rendered now) and per job it starts (a
certificate PDF, an export). Nothing is sent inside the transaction. Once it
commits, the dispatcher is kicked through the broker; if the broker is down the
kick is dropped with a warning and beat's sweep (every minute) finds the item.

The dispatcher claims due e-mails in batches (`SELECT … FOR UPDATE SKIP LOCKED`,
up to EMAIL_BATCH rows) in a transaction that keeps the rows locked from the
claim, through sending them over one mail connection, to "done": two
dispatchers take different batches and never send the same e-mail, and one that
dies mid-batch rolls back, leaving its batch due again. A failure puts an
e-mail back with exponential backoff; after MAX_ATTEMPTS it is marked failed
and shown in the admin, where a retry action queues it again. A job (minutes
of work) is claimed with a lease instead and run by a worker task; a job whose
worker died is taken over when its lease runs out (jobs are safe to run twice).
An e-mail goes out twice only if the mail server accepted it and the database
then failed to commit "done" (for a dispatcher that dies mid-batch, the e-mails
of its batch sent before it died): at least once, never lost, in practice once.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import OutboxItem

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
"""With the backoff below, about two days of retries before an item needs a person."""
EMAIL_LEASE = timedelta(minutes=5)
JOB_LEASE = timedelta(hours=2)
BATCH = 200
EMAIL_BATCH = 200
"""E-mails claimed, sent over one mail connection and marked done in one transaction."""


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min... at most 3 hours between attempts."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3 * 3600))


# --- writing -------------------------------------------------------------------


def _insert(item: OutboxItem) -> OutboxItem | None:
    """Insert, or return None when an item with the same dedupe key exists."""
    if item.dedupe_key and OutboxItem.objects.filter(dedupe_key=item.dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        if item.dedupe_key:
            return None
        raise
    _kick_on_commit()
    return item


def email(name: str, context: dict, to, *, key: str | None = None) -> OutboxItem | None:
    """Queue e-mail template `name` to `to`, rendered now. None when there is no
    recipient or `key` was queued already (once per key, ever)."""
    from innovo_compliance.mail import render_templated

    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    if key and OutboxItem.objects.filter(dedupe_key=key[:200]).exists():
        return None
    subject, text, html = render_templated(name, context)
    return _insert(
        OutboxItem(
            kind=OutboxItem.Kind.EMAIL,
            name=name[:100],
            dedupe_key=key[:200] if key else None,
            recipients="\n".join(recipients),
            subject=subject[:300],
            body_text=text,
            body_html=html,
        )
    )


def emails(messages, *, render=None) -> int:
    """Queue many e-mails at once: `messages` yields (name, context, to, key)
    tuples, rendered by `render(name, context)` -> (subject, text, html) (the
    templates, by default). One INSERT for all of them; a key queued before is
    skipped (once per key, ever), as is a message with no recipient. Returns how
    many were queued."""
    from innovo_compliance.mail import render_templated

    render = render or render_templated
    items = []
    for name, context, to, key in messages:
        recipients = sorted({address for address in to if address})
        if not recipients:
            continue
        subject, text, html = render(name, context)
        items.append(
            OutboxItem(
                kind=OutboxItem.Kind.EMAIL,
                name=name[:100],
                dedupe_key=key[:200] if key else None,
                recipients="\n".join(recipients),
                subject=subject[:300],
                body_text=text,
                body_html=html,
            )
        )
    if not items:
        return 0
    keys = [item.dedupe_key for item in items if item.dedupe_key]
    queued = set(OutboxItem.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)) if keys else set()
    items = [item for item in items if item.dedupe_key not in queued]
    OutboxItem.objects.bulk_create(items, batch_size=500, ignore_conflicts=True)
    _kick_on_commit()
    return len(items)


def job(path: str, *, key: str | None = None, **payload) -> OutboxItem | None:
    """Queue the function at dotted `path`, called with `payload` as keyword
    arguments (ids and plain values). It must be safe to run twice."""
    return _insert(
        OutboxItem(kind=OutboxItem.Kind.JOB, name=path[:100], dedupe_key=key[:200] if key else None, payload=payload)
    )


def kick() -> None:
    """Ask a worker to dispatch now. A broker that is down is not an error: the
    items are in the database and beat's sweep sends them."""
    from core.tasks import dispatch_outbox

    try:
        dispatch_outbox.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - broker down: the sweep picks the items up
        log.warning("outbox: could not reach the broker; the periodic sweep will send", exc_info=True)


_BATCH = ContextVar("outbox_batch", default=0)


def _kick_on_commit() -> None:
    if _BATCH.get():
        return  # the batch kicks once when it ends
    transaction.on_commit(kick)


@contextmanager
def batch():
    """Queue many items (a reminder run) with one kick at the end, not one each."""
    token = _BATCH.set(_BATCH.get() + 1)
    try:
        yield
    finally:
        _BATCH.reset(token)
    if not _BATCH.get():
        transaction.on_commit(kick)


def batched(function):
    """Decorator: the whole call is one `batch()`."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with batch():
            return function(*args, **kwargs)

    return wrapper


# --- dispatching ---------------------------------------------------------------


def _due(now, *, leases_expired_at=None):
    """Pending items due by `now`, and items whose dispatcher's lease has run out
    (it died between claiming and marking them)."""
    expired = leases_expired_at or now
    return Q(status=OutboxItem.Status.PENDING, run_after__lte=now) | Q(
        status=OutboxItem.Status.RUNNING, lease_until__lt=expired
    )


def claim(pk: int, *, lease: timedelta, now=None) -> bool:
    """Take one due item for this dispatcher: True for exactly one claimant."""
    now = now or timezone.now()
    return (
        OutboxItem.objects.filter(_due(now, leases_expired_at=timezone.now()), pk=pk).update(
            status=OutboxItem.Status.RUNNING, lease_until=now + lease, attempts=F("attempts") + 1
        )
        == 1
    )


def mark_done(pk: int) -> None:
    OutboxItem.objects.filter(pk=pk).update(
        status=OutboxItem.Status.DONE, done_at=timezone.now(), lease_until=None, last_error=""
    )


def mark_failed(pk: int, error: BaseException | str) -> None:
    """Back to the queue with backoff, or failed for good after MAX_ATTEMPTS."""
    item = OutboxItem.objects.filter(pk=pk).only("attempts").first()
    if item is None:
        return
    now = timezone.now()
    final = item.attempts >= MAX_ATTEMPTS
    OutboxItem.objects.filter(pk=pk).update(
        status=OutboxItem.Status.FAILED if final else OutboxItem.Status.PENDING,
        run_after=now + backoff(item.attempts),
        lease_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000] if isinstance(error, BaseException) else str(error),
    )
    log.warning(
        "outbox item %s %s (attempt %s): %s", pk, "failed for good" if final else "will retry", item.attempts, error
    )


def send_email(item: OutboxItem, *, mail_connection=None) -> None:
    """Send one e-mail, over `mail_connection` (an open mailer) when given."""
    message = EmailMultiAlternatives(
        item.subject, item.body_text, settings.DEFAULT_FROM_EMAIL, item.recipients.split("\n")
    )
    if item.body_html:
        message.attach_alternative(item.body_html, "text/html")
    if mail_connection is None:
        message.send()
    else:
        mail_connection.send_messages([message])


def run_job(pk: int) -> bool:
    """Run one claimed job (called by the worker task). True when it is done."""
    item = OutboxItem.objects.filter(pk=pk, status=OutboxItem.Status.RUNNING).first()
    if item is None:
        return False
    try:
        import_string(item.name)(**item.payload)
    except Exception as error:  # noqa: BLE001 - recorded, retried with backoff
        log.exception("outbox job %s (%s) failed", pk, item.name)
        mark_failed(pk, error)
        return False
    mark_done(pk)
    log.info("outbox job %s (%s) done", pk, item.name)
    return True


def _lock_due_emails(now, limit: int) -> list[OutboxItem]:
    """Lock up to `limit` due e-mails that no other dispatcher holds: pending ones
    by `run_after`, then ones whose lease ran out. Two plain queries, each walking
    its partial index in order, not one OR: a bitmap scan of both indexes visits
    every row sent since the last vacuum (a second per batch after 30,000
    reminders), where an index scan skips the index entries of rows it found dead."""
    if connection.vendor == "postgresql":  # in this transaction only; stale statistics would pick a bitmap scan
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
    emails = OutboxItem.objects.filter(kind=OutboxItem.Kind.EMAIL).select_for_update(skip_locked=True)
    items = list(emails.filter(status=OutboxItem.Status.PENDING, run_after__lte=now).order_by("run_after")[:limit])
    if len(items) < limit:
        expired = emails.filter(status=OutboxItem.Status.RUNNING, lease_until__lt=timezone.now()).order_by(
            "lease_until"
        )
        items += list(expired[: limit - len(items)])
    return items


def send_batch(*, now=None, limit: int = EMAIL_BATCH) -> tuple[int, int]:
    """Send up to `limit` due e-mails in one transaction over one mail connection.
    Returns (claimed, failed): how many were taken (sent or put back to retry) and
    how many of them failed; (0, 0) when nothing is due that another dispatcher
    has not locked.

    The rows are locked from the claim (`FOR UPDATE SKIP LOCKED`: a second
    dispatcher takes the next ones) through sending to "done", so even a
    dispatcher that thinks a lease ran out cannot take them; one that dies
    mid-batch rolls back and the batch is simply due again."""
    now = now or timezone.now()
    with transaction.atomic():
        items = _lock_due_emails(now, limit)
        if not items:
            return 0, 0
        pks = [item.pk for item in items]
        OutboxItem.objects.filter(pk__in=pks).update(
            status=OutboxItem.Status.RUNNING, lease_until=timezone.now() + EMAIL_LEASE, attempts=F("attempts") + 1
        )
        sent, failed = [], []
        mail_connection = mailers.default
        try:
            mail_connection.open()
        except Exception as error:  # noqa: BLE001 - the mail server is down: all back with backoff
            failed = [(pk, error) for pk in pks]
        else:
            try:
                for item in items:
                    try:
                        send_email(item, mail_connection=mail_connection)
                    except Exception as error:  # noqa: BLE001 - SMTP refusing, timeouts: retried with backoff
                        failed.append((item.pk, error))
                    else:
                        sent.append(item.pk)
            finally:
                try:
                    mail_connection.close()
                except Exception:  # noqa: BLE001 - the messages went (or are marked failed) already
                    log.warning("outbox: could not close the mail connection", exc_info=True)
        if sent:
            OutboxItem.objects.filter(pk__in=sent).update(
                status=OutboxItem.Status.DONE, done_at=timezone.now(), lease_until=None, last_error=""
            )
        for pk, error in failed:
            mark_failed(pk, error)
    return len(items), len(failed)


def dispatch(*, now=None, limit: int | None = None) -> int:
    """Send every e-mail due by `now` in batches, and hand every due job to a
    worker; at most `limit` items when given. Returns how many were handled now.
    It stops after a batch in which the mail server refused something: each item
    is tried at most once per call, and beat's sweep comes back after the backoff.
    A lease is judged by the real clock, whatever `now` is."""
    from core.tasks import run_outbox_job

    now = now or timezone.now()
    handled = 0
    while limit is None or handled < limit:
        claimed, failed = send_batch(now=now, limit=EMAIL_BATCH if limit is None else min(EMAIL_BATCH, limit - handled))
        handled += claimed
        if claimed == 0 or failed:
            break
    jobs = OutboxItem.objects.filter(_due(now, leases_expired_at=timezone.now()), kind=OutboxItem.Kind.JOB)
    room = BATCH if limit is None else max(0, limit - handled)
    for pk in list(jobs.order_by("run_after", "pk").values_list("pk", flat=True)[:room]):
        if not claim(pk, lease=JOB_LEASE, now=now):
            continue
        handled += 1
        try:
            run_outbox_job.apply_async((pk,), retry=False)
        except Exception as error:  # noqa: BLE001 - broker down: back to the queue
            mark_failed(pk, error)
    return handled


def retry(pks) -> int:
    """The admin's retry: failed (or waiting) items are due again now."""
    count = OutboxItem.objects.filter(
        pk__in=list(pks), status__in=[OutboxItem.Status.FAILED, OutboxItem.Status.PENDING]
    ).update(status=OutboxItem.Status.PENDING, run_after=timezone.now(), attempts=0, lease_until=None)
    if count:
        transaction.on_commit(kick)
    return count
