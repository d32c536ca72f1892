"""E-mails about insider trading, all through the outbox (core.outbox.email), each
with a key so that it is queued once, ever, however often a task runs:

- added to an insider list (INS-2): the insider, asked to acknowledge;
- a request routed: the compliance officer (the audit committee for the
  compliance officer's own request); decided: the requester;
- INS-5: the Form 4 reminder to a director or executive officer who traded;
- INS-4: a blackout window opens and closes: everyone it covers.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from core import outbox
from people.models import Designation
from people.selectors import committee_members_on, designees_on
from policy.routing import Decider

CLOSED_NOTICE_DAYS = 7
"""A window that ended longer ago than this gets no "closed" notice (a window
entered after the fact does not send stale mail)."""


def _emails(people) -> list[str]:
    return [p.email for p in people if p.email]


def added(entry) -> bool:
    context = {"entry": entry, "project": entry.project, "path": reverse("insiders:entry", args=[entry.pk])}
    return bool(outbox.email("insiders/added", context, _emails([entry.person]), key=f"insiders:entry:{entry.pk}"))


def decider_emails(request) -> list[str]:
    today = timezone.localdate()
    if request.decider == Decider.AUDIT_COMMITTEE:
        people = committee_members_on("audit", today)
    else:
        people = designees_on(Designation.COMPLIANCE_OFFICER, today)
    return _emails(p for p in people if p.pk != request.requester_id)


def _request_context(request, **extra) -> dict:
    return {"request": request, "path": reverse("insiders:request", args=[request.pk]), **extra}


def requested(request) -> bool:
    return bool(
        outbox.email(
            "insiders/requested",
            _request_context(request),
            decider_emails(request),
            key=f"insiders:request:{request.pk}:requested",
        )
    )


def decided(request) -> bool:
    return bool(
        outbox.email(
            "insiders/decided",
            _request_context(request),
            _emails([request.requester]),
            key=f"insiders:request:{request.pk}:decided",
        )
    )


def form4_reminder(request) -> bool:
    """INS-5: Form 4 is due two business days after the trade."""
    return bool(
        outbox.email(
            "insiders/form4",
            _request_context(request),
            _emails([request.requester]),
            key=f"insiders:request:{request.pk}:form4",
        )
    )


@outbox.batched
def dispatch_window_notices(*, today: date | None = None) -> int:
    """INS-4: "the window is open" to everyone a window covers on its first day (or
    the first run after), "the window has closed" the day after its end. Once per
    window and notice (the outbox key); safe to run twice or concurrently."""
    from insiders.models import Window
    from insiders.selectors import covered_by

    today = today or timezone.localdate()
    sent = 0
    for window in Window.objects.filter(start__lte=today, end__gte=today).select_related("project"):
        sent += _window_notice(window, "opened", covered_by(window, today))
    recent = today - timedelta(days=CLOSED_NOTICE_DAYS)
    for window in Window.objects.filter(end__lt=today, end__gte=recent).select_related("project"):
        sent += _window_notice(window, "closed", covered_by(window, window.end))
    return sent


def _window_notice(window, which: str, people) -> int:
    context = {"window": window, "which": which, "path": reverse("insiders:mine")}
    return (
        1
        if outbox.email(
            f"insiders/window_{which}", context, _emails(people), key=f"insiders:window:{window.pk}:{which}"
        )
        else 0
    )
