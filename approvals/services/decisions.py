"""The decider's side: approve, approve with conditions, deny, ask the filer for
more information (and the filer's answer), and the public disclosure of a
waiver granted to a director or executive officer.

APP-1: every decision is a Decision row (who, when, on what, conditions, rule
ids) plus an event on the filing's timeline. COI-7: the Board's decisions carry
the meeting date, the resolution and the directors who recused themselves.
WAIVE-2: a waiver the Board grants to a director or executive officer opens a
WaiverDisclosure due four business days after the Board's decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from approvals import notify
from approvals.models import Decision, WaiverDisclosure
from cases.models import Case, CaseMessage
from cases.routing import about_ids
from cases.services.common import CaseError, actor_label, lock, record_event, require
from cases.services.work import apply_status
from innovo_compliance.permissions.common import person, roles
from people.models import Person
from people.selectors import committee_members_on, roles_on
from policy.outcomes import Outcome, Verdict
from policy.routing import Decider, FilingKind
from policy.waivers import disclosure_due, waiver_requires_disclosure
from policy.workflow import Status, check_transition

MAX_REVIEW_YEARS = 5

STATUS_FOR = {
    Decision.APPROVED: Status.APPROVED,
    Decision.APPROVED_WITH_CONDITIONS: Status.APPROVED_WITH_CONDITIONS,
    Decision.DENIED: Status.DENIED,
}


@dataclass
class DecisionInput:
    """What the decider enters. The Board fields are for decider=board only."""

    decision: str
    conditions: str = ""
    reason: str = ""
    review_date: date | None = None
    meeting_date: date | None = None
    resolution_reference: str = ""
    recused: list[Person] = field(default_factory=list)


def _check(case: Case, data: DecisionInput, today: date) -> None:
    """Refuse a decision the Code or the record would not accept, before any write."""
    if data.decision not in STATUS_FOR:
        raise CaseError("Choose approve, approve with conditions or deny.")
    outcome = Outcome.from_dict(case.outcome) if case.outcome else None
    if outcome and outcome.verdict == Verdict.PROHIBITED and data.decision != Decision.DENIED:
        raise CaseError(
            f"The Code prohibits this ({', '.join(outcome.deciding_rule_ids)}): it cannot be approved. "
            "Deny it and say what must happen now (for example, return the gift)."
        )
    if data.decision == Decision.APPROVED_WITH_CONDITIONS and not data.conditions.strip():
        raise CaseError("An approval with conditions needs the conditions.")
    if data.decision == Decision.DENIED and not data.reason.strip():
        raise CaseError("Say why it is denied: the filer reads the reason.")
    if data.review_date is not None:
        if data.review_date <= today:
            raise CaseError("The review date must be after today.")
        if data.review_date.year - today.year > MAX_REVIEW_YEARS:
            raise CaseError(f"The review date must be within {MAX_REVIEW_YEARS} years.")
    if case.decider == Decider.BOARD:
        if data.meeting_date is None or not data.resolution_reference.strip():
            raise CaseError("Record the Board's meeting date and resolution reference (APP-1).")
        if data.meeting_date > today:
            raise CaseError("The Board's meeting date cannot be in the future.")
        if data.meeting_date < case.filed_on:
            raise CaseError("The Board's meeting date cannot be before the filing date.")


def _decider_role(actor, case: Case) -> str:
    """In which role the actor decided (APP-1): the Board for Board filings (the
    liaison only records), the compliance officer deciding a supervisor's filing."""
    if case.decider == Decider.SUPERVISOR and roles(actor).is_compliance_officer:
        me = person(actor)
        if case.filer is None or case.filer.supervisor_id != me.id:
            return Decider.COMPLIANCE_OFFICER
    return case.decider


def _recusals(case: Case, data: DecisionInput) -> list[Person]:
    """COI-7: the conflicted director recuses; a filer, or a person the filing is
    about (a related person, an insider holding a note), who sat on the Board on
    the meeting date is always listed, whether or not the liaison ticked them."""
    recused = {p.pk: p for p in data.recused}
    if case.decider == Decider.BOARD:
        conflicted = about_ids(case) | ({case.filer_id} if case.filer_id else set())
        for member in committee_members_on("board", data.meeting_date).filter(pk__in=conflicted - set(recused)):
            recused[member.pk] = member
    return list(recused.values())


def filing_decide(*, case_id: int, actor, data: DecisionInput) -> Decision:
    """Approve, approve with conditions, or deny a submitted filing (APP-1)."""
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "filing.decide", case)
        today = timezone.localdate()
        to_status = STATUS_FOR.get(data.decision)
        if to_status is None:
            raise CaseError("Choose approve, approve with conditions or deny.")
        src = case.status
        check_transition(case.kind, src, to_status)
        _check(case, data, today)
        outcome = Outcome.from_dict(case.outcome) if case.outcome else Outcome(Verdict.NEEDS_APPROVAL)
        recused = _recusals(case, data)
        rule_ids = list(dict.fromkeys([*outcome.rule_ids, "APP-1", *(["COI-7"] if recused else [])]))
        decision = Decision.objects.create(
            case=case,
            decided_by=actor,
            decided_by_label=actor_label(actor),
            decider_role=_decider_role(actor, case),
            decision=data.decision,
            conditions=data.conditions.strip(),
            reason=data.reason.strip(),
            rule_ids=rule_ids,
            review_date=data.review_date if to_status != Status.DENIED else None,
            decided_at=timezone.now(),
            meeting_date=data.meeting_date if case.decider == Decider.BOARD else None,
            resolution_reference=data.resolution_reference.strip() if case.decider == Decider.BOARD else "",
        )
        if recused:
            decision.recused.set(recused)
        case.review_date = decision.review_date
        case.save(update_fields=["review_date", "updated_at"])
        apply_status(case, to_status)
        record_event(
            case,
            actor=actor,
            action="decided",
            from_status=src,
            to_status=to_status,
            note=_decision_note(decision, recused),
            rule_ids=rule_ids,
            internal=False,
        )
        _open_disclosure(case, decision, actor)
        notify.decided(decision)
    return decision


def _decision_note(decision: Decision, recused: list[Person]) -> str:
    parts = [f"{decision.get_decision_display().replace('Approve', 'Approved').replace('Deny', 'Denied')}."]
    if decision.meeting_date:
        parts.append(
            f"Board meeting of {decision.meeting_date:%B %-d, %Y}, resolution {decision.resolution_reference}."
        )
    if recused:
        parts.append("Recused: " + ", ".join(p.name for p in recused) + ".")
    if decision.conditions:
        parts.append(f"Conditions: {decision.conditions}")
    if decision.reason:
        parts.append(f"Reason: {decision.reason}")
    if decision.review_date:
        parts.append(f"Review by {decision.review_date:%B %-d, %Y}.")
    return " ".join(parts)


def _open_disclosure(case: Case, decision: Decision, actor) -> WaiverDisclosure | None:
    """WAIVE-2: a waiver the Board granted to a director or executive officer (on
    the filing date) must be disclosed within four business days."""
    if case.kind != FilingKind.WAIVER or not decision.approves or case.decider != Decider.BOARD:
        return None
    if case.filer is None or not waiver_requires_disclosure(roles_on(case.filer, case.filed_on)):
        return None
    decided_on = decision.meeting_date or timezone.localdate(decision.decided_at)
    due = disclosure_due(
        decided_on,
        business_days=settings.INNOVO["WAIVER_DISCLOSURE_BUSINESS_DAYS"],
        holidays=frozenset(settings.INNOVO["HOLIDAYS"]),
    )
    disclosure = WaiverDisclosure.objects.create(case=case, decision=decision, due_on=due)
    record_event(
        case,
        actor=actor,
        action="disclosure-due",
        note=f"The waiver must be disclosed publicly by {due:%B %-d, %Y}.",
        rule_ids=["WAIVE-2"],
        internal=False,
    )
    return disclosure


def filing_request_info(*, case_id: int, actor, question: str) -> CaseMessage:
    """Ask the filer for more information; the filing waits for their answer."""
    if not question.strip():
        raise CaseError("Write the question for the filer.")
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "filing.request_info", case)
        src = case.status
        check_transition(case.kind, src, Status.INFO_REQUESTED)
        message = CaseMessage.objects.create(case=case, author=actor, body=question.strip(), from_reporter=False)
        apply_status(case, Status.INFO_REQUESTED)
        record_event(
            case,
            actor=actor,
            action="info-requested",
            from_status=src,
            to_status=Status.INFO_REQUESTED,
            note="More information requested from the filer.",
            rule_ids=["APP-1"],
            internal=False,
        )
        notify.info_requested(message)
    return message


def filing_answer(*, case_id: int, actor, body: str) -> CaseMessage:
    """The filer answers in the same thread; the filing goes back to the decider."""
    if not body.strip():
        raise CaseError("Write your answer.")
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "filing.answer", case)
        src = case.status
        if src != Status.INFO_REQUESTED:
            raise CaseError("Nobody asked for more information on this filing; there is nothing to answer.")
        check_transition(case.kind, src, Status.SUBMITTED)
        message = CaseMessage.objects.create(case=case, author=actor, body=body.strip(), from_reporter=True)
        apply_status(case, Status.SUBMITTED)
        record_event(
            case,
            actor=actor,
            action="answered",
            from_status=src,
            to_status=Status.SUBMITTED,
            note="The filer answered.",
            internal=False,
        )
        notify.submitted(case, f"answered:{message.pk}")
    return message


def disclosure_mark(*, disclosure_id: int, actor, reference: str, disclosed_on: date) -> WaiverDisclosure:
    """WAIVE-2: record that the waiver was disclosed publicly, and where."""
    if not reference.strip():
        raise CaseError("Give the filing number or web address of the disclosure.")
    with transaction.atomic():
        disclosure = WaiverDisclosure.objects.select_for_update().select_related("case").get(pk=disclosure_id)
        case = lock(disclosure.case_id, actor=actor)
        require(actor, "disclosure.mark", disclosure)
        if disclosure.is_disclosed:
            raise CaseError(f"Already marked disclosed on {disclosure.disclosed_on:%B %-d, %Y}.")
        if disclosed_on > timezone.localdate():
            raise CaseError("The disclosure date cannot be in the future.")
        granted_on = disclosure.decision.meeting_date or timezone.localdate(disclosure.decision.decided_at)
        if disclosed_on < granted_on:
            raise CaseError("The waiver cannot have been disclosed before the Board granted it.")
        disclosure.disclosed_on = disclosed_on
        disclosure.reference = reference.strip()[:300]
        disclosure.marked_at = timezone.now()
        disclosure.marked_by = actor
        disclosure.save()
        late = disclosed_on > disclosure.due_on
        record_event(
            case,
            actor=actor,
            action="waiver-disclosed",
            note=f"Disclosed publicly on {disclosed_on:%B %-d, %Y}: {disclosure.reference}."
            + (f" Late: it was due {disclosure.due_on:%B %-d, %Y}." if late else ""),
            rule_ids=["WAIVE-2"],
            internal=False,
        )
    return disclosure
