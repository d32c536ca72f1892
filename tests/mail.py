"""Reading the mail that the app sends, as the worker would send it.

Services put their e-mails in the outbox inside their transaction; the worker's
dispatcher sends them once the transaction commits. Inside a test transaction
nothing commits, so `delivered()` runs the dispatcher first, then returns what
Django's test mail backend received."""

from django.core import mail


def delivered() -> list:
    """Everything in the outbox is sent first, including what tests queued while
    travelling in time (as a worker running later would)."""
    from datetime import timedelta

    from django.utils import timezone

    from core import outbox

    outbox.dispatch(now=timezone.now() + timedelta(days=3650))
    return mail.outbox


def delivered_to(address: str) -> list:
    return [m for m in delivered() if address in m.to]
