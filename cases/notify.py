"""Who hears about a case, and the once-only queueing of notices.

Each notice is recorded in DeadlineNotice (unique per case and step) in the same
transaction that puts the e-mail in the outbox: a concurrent duplicate waits on
the unique index and then skips. The outbox sends it after the commit, with
retries, so a mail server that is down delays a notice and loses none.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import Case, CaseMessage, DeadlineNotice
from cases.routing import board_recorder_ids, decider_people, excluded_ids
from core import outbox
from innovo_compliance.mail import send_templated
from people.models import Person
from policy.deadlines import case_reminder_steps
from policy.routing import Decider, escalate
from policy.workflow import OPEN_STATUSES, Status

DEADLINE_LABELS = {
    "acknowledge": "acknowledge receipt",
    "investigate": "start the investigation",
    "feedback": "give the reporter feedback",
}
REMIND_BEFORE = timedelta(days=2)


def handlers_emails(case: Case) -> list[str]:
    """The assignee, or else the people the case is routed to today; for a Board
    filing, whoever records the Board's decision (cases.routing.board_recorder_ids).
    Never its filer, nor anyone it is about (likely matches included)."""
    excluded = excluded_ids(case)
    if case.assignee_id and case.assignee_id not in excluded:
        return [case.assignee.email]
    today = timezone.localdate()
    if Decider(case.decider) == Decider.BOARD:
        ids = board_recorder_ids(case, today)
    else:
        ids = decider_people(Decider(case.decider), today, filer=case.filer) - excluded
    return list(Person.objects.filter(id__in=ids).values_list("email", flat=True))


def escalation_emails(case: Case) -> list[str]:
    """The compliance officer; one level up when they are the filer or a subject."""
    excluded = excluded_ids(case)
    decider = Decider.COMPLIANCE_OFFICER
    for _ in range(3):
        ids = decider_people(decider, timezone.localdate(), filer=case.filer) - excluded
        if ids:
            return list(Person.objects.filter(id__in=ids).values_list("email", flat=True))
        decider = escalate(decider)
    return []


def send_once(case: Case, step: str, name: str, context: dict, to: list[str]) -> bool:
    """Queue notice `step` for `case` unless it was queued already. True if queued now."""
    try:
        with transaction.atomic():
            DeadlineNotice.objects.create(case=case, step=step, recipients=", ".join(sorted(set(to))))
            send_templated(name, {"case": case, **context}, to, key=f"case:{case.pk}:{step}")
    except IntegrityError:
        return False
    return True


def notify_new(case: Case) -> bool:
    return send_once(case, "new", "cases/new_case", {}, handlers_emails(case))


def notify_rerouted(case: Case, *, event_id: int) -> None:
    """The case's people changed and it went to someone else: they hear now."""
    headline = "A case was routed to you." if case.is_open else "A case you handle changed."
    send_templated(
        "cases/update",
        {"case": case, "headline": headline},
        handlers_emails(case),
        key=f"case:{case.pk}:rerouted:{event_id}",
    )


def notify_assigned(case: Case, *, event_id: int) -> None:
    """To the new assignee (queued in the assigning transaction)."""
    if case.assignee_id and case.assignee.email:
        send_templated(
            "cases/update",
            {"case": case, "headline": "A case was assigned to you."},
            [case.assignee.email],
            key=f"case:{case.pk}:assigned:{event_id}",
        )


def notify_status(case: Case, *, event_id: int) -> None:
    """A named filer hears that their case moved (anonymous reporters read it with their key)."""
    if case.filer_id and not case.anonymous and case.filer.email:
        headline = f"Your {case.get_kind_display().lower()} is now: {case.get_status_display().lower()}."
        send_templated(
            "cases/update",
            {"case": case, "headline": headline},
            [case.filer.email],
            key=f"case:{case.pk}:status:{event_id}",
        )


def notify_message(message: CaseMessage) -> None:
    """The reporter wrote: the handlers hear; the team wrote: a named filer hears."""
    case = message.case
    if message.from_reporter:
        to, headline = handlers_emails(case), "The reporter sent a message."
    elif case.filer_id and not case.anonymous:
        to, headline = [case.filer.email], "You have a new message about your filing."
    else:
        return
    send_templated("cases/update", {"case": case, "headline": headline}, to, key=f"message:{message.pk}")


def pending_deadlines(case: Case, *, has_feedback: bool) -> dict:
    """The deadlines a case has not met yet, by its status."""
    pending = {}
    if case.status == Status.RECEIVED and case.acknowledge_due:
        pending["acknowledge"] = case.acknowledge_due
    investigating_soon = case.status in (Status.RECEIVED, Status.ACKNOWLEDGED, Status.TRIAGE)
    if investigating_soon and case.investigate_due and case.kind == "report":
        pending["investigate"] = case.investigate_due
    if case.feedback_due and not has_feedback and case.status in OPEN_STATUSES:
        pending["feedback"] = case.feedback_due
    return pending


def due_cases(now):
    """Open reports and questions with a deadline within reach: one indexed query."""
    soon = now + REMIND_BEFORE
    feedback_given = Exists(CaseMessage.objects.filter(case=OuterRef("pk"), from_reporter=False))
    return (
        Case.objects.filter(kind__in=["report", "question"], status__in=[s.value for s in OPEN_STATUSES])
        .filter(
            Q(status=Status.RECEIVED, acknowledge_due__lte=soon)
            | Q(status__in=[Status.RECEIVED, Status.ACKNOWLEDGED, Status.TRIAGE], investigate_due__lte=soon)
            | Q(feedback_due__lte=soon)
        )
        .annotate(has_feedback=feedback_given)
        .select_related("assignee", "filer")
        .order_by("pk")
    )


@outbox.batched
def dispatch_case_deadlines(*, now=None) -> int:
    """Send every reminder (to the assignee or routed people) and escalation (to the
    compliance officer) that is due and not yet sent. Safe to run concurrently."""
    now = now or timezone.now()
    sent = 0
    for case in due_cases(now).iterator(chunk_size=500):
        deadlines = pending_deadlines(case, has_feedback=case.has_feedback)
        done = set(case.notices.values_list("step", flat=True))
        for step in case_reminder_steps(deadlines, now, REMIND_BEFORE):
            if step in done:
                continue
            name, kind = step.split(":")
            escalation = kind == "escalation"
            to = escalation_emails(case) if escalation else handlers_emails(case)
            context = {"escalation": escalation, "deadline_label": DEADLINE_LABELS[name], "due": deadlines[name]}
            sent += send_once(case, step, "cases/deadline", context, to)
    return sent
