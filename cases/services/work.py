"""Case work: status changes, assignment, notes, messages, tasks, links, merges,
findings and corrective actions (REP-4, REP-5). Each function locks the case,
checks the transition table and the actor's permission, writes, appends an
event and queues side effects on commit."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from cases import notify
from cases.models import Case, CaseLink, CaseMessage, CaseNote, CaseTask, CorrectiveAction
from cases.routing import excluded_ids
from cases.services.common import CaseError, CaseNotFound, lock, record_event, require
from cases.services.intake import Upload, attachments_add
from cases.services.search import refresh_search_text
from innovo_compliance.text import sentence
from people.models import Person
from policy.workflow import (
    FINDING_STATUSES,
    CaseFinding,
    ClosureReason,
    Status,
    check_closure,
    check_transition,
    is_open,
    is_reopen,
)

FINDINGS = {f.value: f.label for f in CaseFinding}
RETALIATION_CHECKIN_DAYS = (30, 90)


FILING_ONLY_BY_SERVICES = (
    "A filing changes state only through its own page (submit, decide, ask for information, withdraw): "
    "a decision there is documented (APP-1)."
)


def _refuse_filing(case: Case) -> None:
    """APP-1, WAIVE-2: approvals, denials and Board records happen only in
    approvals.services (which write the Decision and open the disclosure clock)."""
    if case.is_filing:
        raise CaseError(FILING_ONLY_BY_SERVICES)


class OpenTasks(CaseError):
    """Closing would leave tasks open: the caller asks the person to confirm."""


def case_transition(
    *,
    case_id: int,
    actor,
    to_status: str,
    note: str = "",
    rule_ids=(),
    finding: str = "",
    closure_reason: str = "",
    close_with_open_tasks: bool = False,
) -> Case:
    """Move a report or question along the one transition table (policy.workflow).

    REP-4: closing needs a finding (after an investigation began) or a closure reason,
    and asks for confirmation while tasks are open; reopening a closed, withdrawn or
    merged case needs a reason."""
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        _refuse_filing(case)
        require(actor, "case.work", case)
        src = case.status
        check_transition(case.kind, src, to_status)
        fields = []
        reopening = is_reopen(src, to_status)
        if reopening:
            if not note.strip():
                raise CaseError(f"Say why {case.reference} is reopened.")
            case.closure_reason = ""
            fields.append("closure_reason")
            if case.merged_into_id:
                case.merged_into = None
                fields.append("merged_into")
        closing = Status(to_status) == Status.CLOSED
        if closing:
            kept = case.finding if Status(src) in FINDING_STATUSES else ""
            check_closure(case.kind, src, finding=finding or kept, reason=closure_reason)
            open_tasks = list(case.tasks.filter(done_at__isnull=True).values_list("title", flat=True))
            if open_tasks and not close_with_open_tasks:
                listed = "; ".join(open_tasks[:5]) + (" …" if len(open_tasks) > 5 else "")
                raise OpenTasks(
                    f"{len(open_tasks)} open task{pluralize(len(open_tasks))} on {case.reference}: {listed}. "
                    "Confirm that you close it with open tasks, or finish them first."
                )
            if finding:
                case.finding = finding
            case.closure_reason = closure_reason
            fields += ["finding", "closure_reason"]
        apply_status(case, to_status, fields=fields)
        event = record_event(
            case,
            actor=actor,
            action="status",
            from_status=src,
            to_status=to_status,
            rule_ids=rule_ids or ["REP-4"],
            internal=False,
        )
        if closing:
            outcome = []
            if case.finding:
                outcome.append(f"Finding: {CaseFinding(case.finding).label}")
            if closure_reason:
                outcome.append(f"Closure reason: {ClosureReason(closure_reason).label}")
            if open_tasks:
                outcome.append(f"closed with {len(open_tasks)} open task{pluralize(len(open_tasks))}")
            record_event(case, actor=actor, action="closed", note="; ".join(outcome), rule_ids=["REP-4"])
        if reopening:
            record_event(case, actor=actor, action="reopened", note=f"Why: {note.strip()}", rule_ids=["REP-4"])
        elif note.strip():
            # The reason for a status change is the team's: never shown to the reporter.
            record_event(case, actor=actor, action="note", note=f"Why: {note.strip()}")
        if closing and case.filer_id and not case.anonymous and case.kind == "report":
            _retaliation_checkins(case, actor)
        notify.notify_status(case, event_id=event.pk)
    return case


def apply_status(case: Case, to_status: str, *, fields=()) -> None:
    case.status = to_status
    fields = ["status", "updated_at", *fields]
    if not is_open(to_status):
        case.closed_at = timezone.now()
        fields.append("closed_at")
    elif case.closed_at:
        case.closed_at = None
        fields.append("closed_at")
    case.save(update_fields=fields)


def require_open(case: Case) -> None:
    """REP-4: a closed, withdrawn or merged case is read-only until it is reopened."""
    if not case.is_open:
        raise CaseError(f"{case.reference} is {case.status_enum.label.lower()}: reopen it to change it.")


def _retaliation_checkins(case: Case, actor) -> None:
    """REP-5: check in with a named reporter 30 and 90 days after closing."""
    today = timezone.localdate()
    for days in RETALIATION_CHECKIN_DAYS:
        CaseTask.objects.get_or_create(
            case=case,
            kind=CaseTask.RETALIATION_CHECKIN,
            title=f"Retaliation check-in with the reporter ({days} days after closing)",
            defaults={"due": today + timedelta(days=days), "assignee": case.assignee},
        )
    record_event(
        case,
        actor=actor,
        action="checkins",
        note="Retaliation check-ins planned at 30 and 90 days.",
        rule_ids=["REP-5"],
    )


def case_withdraw(*, case_id: int, actor, reason: str = "", permission: str = "case.withdraw") -> Case:
    """Withdraw a report, question or filing. Filings check their own permission
    (`filing.withdraw`: the filer, while a draft or waiting for a decision); the
    case permission never withdraws a filing. A report or question needs a reason
    (withdrawing ends the work on it)."""
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        if permission != "filing.withdraw":
            _refuse_filing(case)
        require(actor, permission, case)
        src = case.status
        check_transition(case.kind, src, Status.WITHDRAWN)
        if not case.is_filing and not reason.strip():
            raise CaseError(f"Say why {case.reference} is withdrawn.")
        apply_status(case, Status.WITHDRAWN)
        # The filer's own reason is theirs to read; a handler's stays with the team.
        by_filer = case.filer_id is not None and case.filer.user_id == getattr(actor, "pk", None)
        public = case.is_filing or by_filer
        record_event(
            case,
            actor=actor,
            action="withdrawn",
            from_status=src,
            to_status=Status.WITHDRAWN,
            note=reason.strip() if public else "",
            internal=False,
        )
        if reason.strip() and not public:
            record_event(case, actor=actor, action="note", note=f"Why withdrawn: {reason.strip()}")
    return case


def case_assign(*, case_id: int, actor, assignee: Person | None) -> Case:
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        _refuse_filing(case)
        require(actor, "case.assign", case)
        require_open(case)
        if assignee is not None and assignee.id in excluded_ids(case):
            raise CaseError(f"{assignee} filed this case or is named in it and cannot work it.")
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        event = record_event(
            case,
            actor=actor,
            action="assigned",
            note=sentence(f"Assigned to {assignee}") if assignee else "Unassigned.",
        )
        if assignee is not None:
            notify.notify_assigned(case, event_id=event.pk)
    return case


def cases_bulk_assign(*, case_ids: list[int], actor, assignee: Person | None) -> tuple[int, list[str]]:
    """Assign many; each case is its own decision. Returns (done, problems). A case
    that does not exist and one the actor may not see get the same answer."""
    done, problems = 0, []
    for case_id in case_ids:
        try:
            case_assign(case_id=case_id, actor=actor, assignee=assignee)
            done += 1
        except CaseNotFound:
            problems.append(f"Case #{case_id} was not found.")
        except PermissionDenied:
            reference = Case.objects.filter(pk=case_id).values_list("reference", flat=True).first()
            problems.append(f"{reference}: you may not assign this case.")
        except CaseError as error:
            problems.append(str(error))
    return done, problems


def note_add(*, case_id: int, actor, body: str) -> CaseNote:
    if not body.strip():
        raise CaseError("The note is empty.")
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "case.work", case)
        require_open(case)
        note = CaseNote.objects.create(case=case, author=actor, body=body.strip())
        record_event(case, actor=actor, action="note", note="Internal note added.")
    return note


def message_to_reporter(*, case_id: int, actor, body: str) -> CaseMessage:
    """A message or question to the filer or reporter (they see it; named ones get an e-mail)."""
    if not body.strip():
        raise CaseError("The message is empty.")
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "case.work", case)
        require_open(case)
        message = CaseMessage.objects.create(case=case, author=actor, body=body.strip(), from_reporter=False)
        refresh_search_text(case)
        record_event(case, actor=actor, action="message", internal=False)
        notify.notify_message(message)
    return message


def message_from_reporter(*, case: Case, body: str, files: list[Upload] = (), user=None) -> CaseMessage:
    """The reporter answers: anonymous (authorised by the receipt key, `user` None)
    or named (`user` is the filer)."""
    if not body.strip() and not files:
        raise CaseError("Write a message or add a file.")
    if user is not None:
        require(user, "case.message_as_filer", case)
    with transaction.atomic():
        locked = lock(case.pk) if user is None else lock(case.pk, actor=user)
        if not locked.is_open:
            raise CaseError("This case is closed; start a new report if something else happened.")
        message = CaseMessage.objects.create(case=locked, author=user, body=body.strip(), from_reporter=True)
        refresh_search_text(locked)
        attachments_add(locked, list(files), from_reporter=True, user=user)
        record_event(
            locked,
            actor=user,
            action="reporter-message",
            internal=False,
            note=f"{len(files)} file(s) added." if files else "",
        )
        notify.notify_message(message)
    return message


def task_add(*, case_id: int, actor, title: str, due=None, assignee: Person | None = None) -> CaseTask:
    if not title.strip():
        raise CaseError("The task needs a title.")
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "case.work", case)
        require_open(case)
        task = CaseTask.objects.create(case=case, title=title.strip()[:200], due=due, assignee=assignee)
        due_text = f" (due {due:%b %-d, %Y})" if due else ""
        record_event(case, actor=actor, action="task", note=task.title + due_text)
    return task


def task_done(*, task_id: int, actor) -> CaseTask:
    with transaction.atomic():
        task = CaseTask.objects.select_for_update().filter(pk=task_id).first()
        if task is None:
            raise CaseNotFound("That task was not found.")
        case = lock(task.case_id, actor=actor)
        require(actor, "case.work", case)
        if task.kind != CaseTask.RETALIATION_CHECKIN:
            # REP-5: the check-ins planned at closing are done on the closed case.
            require_open(case)
        if task.done_at is None:
            task.done_at = timezone.now()
            task.save(update_fields=["done_at"])
            record_event(
                case,
                actor=actor,
                action="task-done",
                note=task.title,
                rule_ids=["REP-5"] if task.kind == CaseTask.RETALIATION_CHECKIN else [],
            )
    return task


def _lock_pair(case_id: int, other_id: int, actor) -> tuple[Case, Case]:
    """Both cases, locked in id order (no deadlock between two opposite links);
    either one missing or hidden from the actor is CaseNotFound."""
    first, second = sorted([case_id, other_id])
    locked = {first: lock(first, actor=actor), second: lock(second, actor=actor)}
    return locked[case_id], locked[other_id]


def link_add(*, case_id: int, actor, other: Case, note: str = "") -> CaseLink:
    """Link two cases. Each timeline names the other case only through the event's
    `related_case`, shown to those who may see it (never as text)."""
    if other.pk == case_id:
        raise CaseError("A case cannot be linked to itself.")
    with transaction.atomic():
        case, other = _lock_pair(case_id, other.pk, actor)
        _refuse_filing(case)
        require(actor, "case.work", case)
        require_open(case)
        require(actor, "case.see_internal", other)
        link, _ = CaseLink.objects.get_or_create(case=case, other=other, defaults={"note": note[:200]})
        CaseLink.objects.get_or_create(case=other, other=case, defaults={"note": note[:200]})
        record_event(case, actor=actor, action="linked", related_case=other)
        record_event(other, actor=actor, action="linked", related_case=case)
    return link


def case_merge(*, case_id: int, actor, into: Case, reason: str = "") -> Case:
    """A duplicate report or question is merged into the case that goes on; both
    stay, linked."""
    if into.pk == case_id:
        raise CaseError("A case cannot be merged into itself.")
    if not reason.strip():
        raise CaseError("Say why this case is a duplicate of the other.")
    with transaction.atomic():
        case, into = _lock_pair(case_id, into.pk, actor)
        _refuse_filing(case)
        if into.is_filing:
            raise CaseError("A report or question merges only into another report or question.")
        require(actor, "case.work", case)
        require(actor, "case.work", into)
        if not into.is_open:
            raise CaseError(f"{into.reference} is not open; merge into an open case.")
        src = case.status
        check_transition(case.kind, src, Status.MERGED)
        case.merged_into = into
        case.save(update_fields=["merged_into"])
        apply_status(case, Status.MERGED)
        CaseLink.objects.get_or_create(case=case, other=into, defaults={"note": "merged"})
        CaseLink.objects.get_or_create(case=into, other=case, defaults={"note": "merged"})
        record_event(
            case,
            actor=actor,
            action="merged",
            from_status=src,
            to_status=Status.MERGED,
            internal=False,
            related_case=into,
        )
        if reason.strip():
            record_event(case, actor=actor, action="note", note=f"Why: {reason.strip()}")
        record_event(into, actor=actor, action="merged-in", related_case=case)
    return case


def finding_record(*, case_id: int, actor, finding: str, actions: list[tuple[str, str]] = ()) -> Case:
    """REP-4: the finding, and any corrective actions (kind, description)."""
    if finding not in FINDINGS:
        raise CaseError("Choose substantiated, unsubstantiated or inconclusive.")
    kinds = dict(CorrectiveAction.KIND_CHOICES)
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "case.work", case)
        if case.status not in (Status.INVESTIGATING, Status.DECISION):
            raise CaseError("Record the finding once the case is under investigation.")
        case.finding = finding
        case.save(update_fields=["finding", "updated_at"])
        for kind, description in actions:
            if kind not in kinds or not description.strip():
                raise CaseError("Each corrective action needs a kind and a description.")
            CorrectiveAction.objects.create(case=case, kind=kind, description=description.strip(), recorded_by=actor)
        summary = FINDINGS[finding] + "".join(f"; {kinds[k]}: {d}" for k, d in actions)
        record_event(case, actor=actor, action="finding", note=summary, rule_ids=["REP-4"])
    return case
