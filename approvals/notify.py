"""Who hears about a filing, and the once-only sending of each e-mail.

Each e-mail is recorded in ApprovalNotice (unique per case and step) in the same
transaction that puts it in the outbox (core.outbox), which sends it after the
commit with retries: a second attempt at the same step waits on the unique index
and then skips.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalNotice, Decision, WaiverDisclosure
from approvals.selectors import disclosures_due, reconfirm_due_on, reviews_due, standing_disclosures_due
from cases.models import Case, CaseMessage
from cases.notify import handlers_emails
from core import outbox
from innovo_compliance.mail import send_templated
from people.models import Designation, Person
from people.selectors import designee_on
from policy.outcomes import Outcome


def filing_url(case: Case) -> str:
    return reverse("approvals:filing", args=[case.pk])


def _context(case: Case, **extra) -> dict:
    outcome = Outcome.from_dict(case.outcome) if case.outcome else None
    return {"case": case, "outcome": outcome, "path": filing_url(case), **extra}


def send_once(case: Case, step: str, name: str, context: dict, to: list[str]) -> bool:
    """Queue e-mail `name` about `case` once for `step`. True if queued now."""
    to = sorted({address for address in to if address})
    if not to:
        return False
    try:
        with transaction.atomic():
            ApprovalNotice.objects.create(case=case, step=step[:80], recipients=", ".join(to))
            send_templated(f"approvals/{name}", _context(case, **context), to, key=f"filing:{case.pk}:{step[:80]}")
    except IntegrityError:
        return False
    return True


def approver_emails(case: Case) -> list[str]:
    """The people the filing is routed to today (never its filer): the compliance
    officer, the supervisor, the audit committee, or the board liaison for the Board."""
    return handlers_emails(case)


def filer_emails(case: Case) -> list[str]:
    return [case.filer.email] if case.filer_id and case.filer.email else []


def disclosure_emails(case: Case, day: date) -> list[str]:
    """WAIVE-2: the compliance officer and the board liaison, never the waiver's holder."""
    ids = {
        p.id
        for p in (designee_on(Designation.COMPLIANCE_OFFICER, day), designee_on(Designation.BOARD_LIAISON, day))
        if p is not None and p.id != case.filer_id
    }
    return list(Person.objects.filter(id__in=ids).values_list("email", flat=True))


def submitted(case: Case, step: str) -> bool:
    headline = {
        "submitted": "A filing needs your decision.",
        "renewal": "An approval is up for renewal and needs your decision.",
    }.get(step.split(":")[0], "The filer answered your question; the filing needs your decision.")
    return send_once(case, step, "submitted", {"headline": headline}, approver_emails(case))


def decided(decision: Decision) -> bool:
    case = decision.case
    sent = send_once(case, f"decided:{decision.pk}", "decided", {"decision": decision}, filer_emails(case))
    disclosure = WaiverDisclosure.objects.filter(decision=decision).first()
    if disclosure is not None:
        disclosure_due_notice(disclosure)
    return sent


def info_requested(message: CaseMessage) -> bool:
    case = message.case
    return send_once(case, f"info:{message.pk}", "info_requested", {"message": message}, filer_emails(case))


def disclosure_due_notice(disclosure: WaiverDisclosure, *, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    overdue = disclosure.is_overdue(today)
    step = f"disclosure:{disclosure.pk}:{'overdue' if overdue else 'due'}"
    context = {"disclosure": disclosure, "overdue": overdue, "reminder": "disclosure"}
    return send_once(disclosure.case, step, "reminder", context, disclosure_emails(disclosure.case, today))


@outbox.batched
def dispatch_reminders(*, now=None) -> int:
    """Every reminder that is due and not yet sent: review dates of approvals that
    must be renewed (a month before, and on the day), waiver disclosures (due, then
    overdue) and the yearly prompt to re-confirm standing disclosures. Safe to run
    twice or concurrently."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for case in reviews_due(today=today).iterator(chunk_size=500):
        due = case.review_date <= today
        step = f"review:{case.review_date.isoformat()}:{'due' if due else 'soon'}"
        to = filer_emails(case) + (approver_emails(case) if due else [])
        sent += send_once(case, step, "reminder", {"reminder": "review", "due_now": due}, to)
    for disclosure in disclosures_due().iterator(chunk_size=500):
        sent += disclosure_due_notice(disclosure, today=today)
    for case in standing_disclosures_due(now=now).iterator(chunk_size=500):
        due_on = reconfirm_due_on(case, now=now)
        sent += send_once(
            case, f"reconfirm:{due_on.isoformat()}", "reminder", {"reminder": "reconfirm"}, filer_emails(case)
        )
    return sent
