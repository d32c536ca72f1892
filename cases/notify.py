"""Who hears about a case, and the once-only sending of notices.

Each notice is recorded in DeadlineNotice (unique per case and step) in the same
transaction that sends the mail: a concurrent duplicate waits on the unique
index and then skips; a mail failure rolls the record back so a retry sends it.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import Case, CaseMessage, DeadlineNotice
from cases.services.intake import decider_people
from innovo_compliance.mail import send_templated
from people.models import Designation, Person
from people.selectors import designee_on
from policy.deadlines import case_reminder_steps
from policy.routing import Decider, escalate
from policy.workflow import OPEN_STATUSES, Status

DEADLINE_LABELS = {
    "acknowledge": "acknowledge receipt",
    "investigate": "start the investigation",
    "feedback": "give the reporter feedback",
}
REMIND_BEFORE = timedelta(days=2)


def _excluded_ids(case: Case) -> set[int]:
    ids = set(case.parties.filter(role="subject").exclude(person=None).values_list("person_id", flat=True))
    if case.filer_id:
        ids.add(case.filer_id)
    return ids


def handlers_emails(case: Case) -> list[str]:
    """The assignee, or else the people the case is routed to (never its filer or subjects)."""
    excluded = _excluded_ids(case)
    if case.assignee_id and case.assignee_id not in excluded:
        return [case.assignee.email]
    ids = decider_people(Decider(case.decider), timezone.localdate(), filer=case.filer) - excluded
    if Decider(case.decider) == Decider.BOARD:
        liaison = designee_on(Designation.BOARD_LIAISON, timezone.localdate())
        ids = {liaison.id} - excluded if liaison else ids
    return list(Person.objects.filter(id__in=ids).values_list("email", flat=True))


def escalation_emails(case: Case) -> list[str]:
    """The compliance officer; one level up when they are the filer or a subject."""
    excluded = _excluded_ids(case)
    decider = Decider.COMPLIANCE_OFFICER
    for _ in range(3):
        ids = decider_people(decider, timezone.localdate(), filer=case.filer) - excluded
        if ids:
            return list(Person.objects.filter(id__in=ids).values_list("email", flat=True))
        decider = escalate(decider)
    return []


def send_once(case: Case, step: str, name: str, context: dict, to: list[str]) -> bool:
    """Send notice `step` for `case` unless it was sent already. True if sent now."""
    try:
        with transaction.atomic():
            DeadlineNotice.objects.create(case=case, step=step, recipients=", ".join(sorted(set(to))))
            send_templated(name, {"case": case, **context}, to)
    except IntegrityError:
        return False
    return True


def notify_new(case: Case) -> bool:
    return send_once(case, "new", "cases/new_case", {}, handlers_emails(case))


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
    # Cases whose "new case" notice was missed (broker or mail down at intake).
    missed = (
        Case.objects.filter(kind__in=["report", "question"], created_at__lt=now - timedelta(minutes=2))
        .exclude(status=Status.DRAFT)
        .exclude(Exists(DeadlineNotice.objects.filter(case=OuterRef("pk"), step="new")))
        .filter(created_at__gt=now - timedelta(days=30))
    )
    for case in missed.select_related("assignee", "filer").iterator(chunk_size=500):
        sent += notify_new(case)
    return sent
