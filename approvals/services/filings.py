"""The filer's side of a filing: draft, edit, submit (or record), withdraw,
renew an approval, re-confirm a standing disclosure.

Each function locks the case, checks the actor's permission and the one
transition table (policy.workflow), saves, appends a CaseEvent (actor, what,
why, rule ids) and queues e-mail on commit. The Code's verdict is computed
before anything is written, so a refused filing leaves nothing behind.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from approvals import notify
from approvals.rules import FILING_KIND_VALUES, title_for
from approvals.selectors import APPROVED_STATUSES, STANDING_STATUSES, Assessment, assess_filing, filing_people
from cases.models import Case
from cases.routing import about_ids
from cases.services import parties
from cases.services.common import CaseError, lock, record_event, require
from cases.services.intake import assign_reference, search_text
from cases.services.work import apply_status, case_withdraw
from innovo_compliance.permissions import can
from innovo_compliance.permissions.common import person
from innovo_compliance.text import sentence
from policy.outcomes import Verdict
from policy.routing import FilingKind
from policy.workflow import Status, TransitionError, check_transition

CENTS = Decimal("0.01")


def _assess(kind: str, facts: dict, filer, day, exclude_pk=None, *, subjects: set[int]) -> Assessment:
    try:
        return assess_filing(kind=kind, facts=facts, filer=filer, day=day, exclude_pk=exclude_pk, subjects=subjects)
    except (ValueError, TypeError, KeyError) as error:
        raise CaseError(f"The answers cannot be assessed: {error}") from None


def _columns(kind: str, facts: dict) -> dict:
    """The queried columns of a filing (gift counterparty, value, date)."""
    gift = kind == FilingKind.GIFT
    return {
        "title": title_for(kind, facts),
        "subkind": facts.get("subkind", facts.get("gift_kind", "")),
        "description": (facts.get("description") or facts.get("reason") or "").strip(),
        "counterparty": (facts.get("counterparty") or "").strip()[:200],
        "value": Decimal(facts["value"]).quantize(CENTS) if gift and facts.get("value") not in (None, "") else None,
        "currency": (facts.get("currency") or "")[:3] if gift else "",
        "event_date": (facts.get("event_date") or None) if gift else None,
    }


def _store_outcome(case: Case, assessment: Assessment) -> None:
    case.outcome = assessment.outcome.to_dict()
    case.verdict = assessment.outcome.verdict.value
    case.decider = assessment.decider.value


def _routing_note(assessment: Assessment) -> str:
    note = f"Routed to: {assessment.decider.label.lower()}."
    if assessment.escalated:
        note += f" One level up, because the {assessment.base_decider.label.lower()} filed it or is named in it."
    return note


def filing_create(*, actor, kind: str, facts: dict) -> Case:
    """Save a draft with the Code's verdict on it (the filer reviews it before submitting)."""
    if kind not in FILING_KIND_VALUES:
        raise CaseError("Choose what to file: a conflict, a gift, a pre-approval or a waiver.")
    if not can(actor, "filing.create"):
        raise PermissionDenied("A filing needs a login that is on the roster.")
    filer = person(actor)
    today = timezone.localdate()
    people = filing_people(kind=kind, facts=facts, filer=filer)
    assessment = _assess(kind, facts, filer, today, subjects=parties.about(people))
    with transaction.atomic():
        case = Case(kind=kind, status=Status.DRAFT, filer=filer, filed_on=today, facts=facts, **_columns(kind, facts))
        _store_outcome(case, assessment)
        case.save()
        assign_reference(case)
        parties.store(case, people)
        case.search_text = search_text(case)
        Case.objects.filter(pk=case.pk).update(search_text=case.search_text)
        record_event(
            case,
            actor=actor,
            action="drafted",
            to_status=Status.DRAFT,
            note=sentence(f"Draft saved. The Code says: {assessment.outcome.summary}"),
            rule_ids=assessment.outcome.rule_ids,
            internal=False,
        )
    return case


def filing_update(*, case_id: int, actor, facts: dict) -> Case:
    """Change a draft's answers; the verdict is worked out again."""
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "filing.edit", case)
        if case.status != Status.DRAFT:
            raise CaseError("Only a draft can be edited; this filing was already sent.")
        people = filing_people(kind=case.kind, facts=facts, filer=case.filer)
        assessment = _assess(
            case.kind, facts, case.filer, timezone.localdate(), exclude_pk=case.pk, subjects=parties.about(people)
        )
        case.parties.all().delete()  # a draft's people come from its answers alone
        parties.store(case, people)
        for name, value in _columns(case.kind, facts).items():
            setattr(case, name, value)
        case.facts = facts
        _store_outcome(case, assessment)
        case.search_text = search_text(case)
        case.save()
        record_event(
            case,
            actor=actor,
            action="edited",
            note=sentence(f"Draft changed. The Code says: {assessment.outcome.summary}"),
            rule_ids=assessment.outcome.rule_ids,
            internal=False,
        )
    return case


def filing_submit(*, case_id: int, actor) -> Case:
    """Send a draft: recorded at once when the Code allows it outright, otherwise
    submitted to the decider chosen by the filer's roles today (the filing date).
    A prohibited filing is submitted too: the decider must know."""
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "filing.submit", case)
        if case.status != Status.DRAFT:
            raise TransitionError(f"Only a draft can be submitted; this one is {Status(case.status).label.lower()}.")
        today = timezone.localdate()
        assessment = _assess(case.kind, case.facts, case.filer, today, exclude_pk=case.pk, subjects=about_ids(case))
        allowed = assessment.outcome.verdict == Verdict.ALLOWED
        to_status = Status.RECORDED if allowed else Status.SUBMITTED
        src = case.status
        check_transition(case.kind, src, to_status, verdict=assessment.outcome.verdict)
        _store_outcome(case, assessment)
        case.filed_on = today
        case.save(update_fields=["outcome", "verdict", "decider", "filed_on", "updated_at"])
        apply_status(case, to_status)
        note = sentence(f"The Code says: {assessment.outcome.summary}")
        if not allowed:
            note = f"{_routing_note(assessment)} {note}"
        record_event(
            case,
            actor=actor,
            action="recorded" if allowed else "submitted",
            from_status=src,
            to_status=to_status,
            note=note,
            rule_ids=assessment.rule_ids if not allowed else assessment.outcome.rule_ids,
            internal=False,
        )
        if not allowed:
            notify.submitted(case, "submitted")
    return case


def filing_file(*, actor, kind: str, facts: dict) -> Case:
    """Draft and send in one go (imports, tests, the API of tomorrow)."""
    case = filing_create(actor=actor, kind=kind, facts=facts)
    return filing_submit(case_id=case.pk, actor=actor)


def filing_withdraw(*, case_id: int, actor, reason: str = "") -> Case:
    """The filer takes a draft, or a filing still waiting for a decision, back."""
    return case_withdraw(
        case_id=case_id, actor=actor, reason=reason.strip() or "Withdrawn by the filer.", permission="filing.withdraw"
    )


def filing_renew(*, case_id: int, actor, note: str = "") -> Case:
    """An approval that must be renewed goes back to a decider: the one chosen
    by the filer's roles on the renewal date (ROLE-1), with the verdict worked
    out again."""
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "filing.renew", case)
        src = case.status
        if src not in APPROVED_STATUSES:
            raise TransitionError(f"Only an approval can be renewed; this one is {Status(src).label.lower()}.")
        check_transition(case.kind, src, Status.SUBMITTED)
        today = timezone.localdate()
        assessment = _assess(case.kind, case.facts, case.filer, today, exclude_pk=case.pk, subjects=about_ids(case))
        _store_outcome(case, assessment)
        case.filed_on = today
        case.save(update_fields=["outcome", "verdict", "decider", "filed_on", "updated_at"])
        apply_status(case, Status.SUBMITTED)
        event = record_event(
            case,
            actor=actor,
            action="renewal",
            from_status=src,
            to_status=Status.SUBMITTED,
            note=" ".join(filter(None, [note.strip(), "Renewal requested.", _routing_note(assessment)])),
            rule_ids=["APP-1", *assessment.rule_ids],
            internal=False,
        )
        notify.submitted(case, f"renewal:{event.pk}")
    return case


def filing_reconfirm(*, case_id: int, actor, note: str = "") -> Case:
    """COI-1: once a year the filer re-confirms that a standing disclosure is still
    true (or files an updated one). No status change: the disclosure stands."""
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "filing.reconfirm", case)
        if case.kind != FilingKind.CONFLICT or case.status not in STANDING_STATUSES:
            raise CaseError("Only a standing conflict disclosure (recorded or approved) can be re-confirmed.")
        record_event(
            case,
            actor=actor,
            action="reconfirmed",
            note=note.strip() or "Re-confirmed by the filer: still true as disclosed.",
            rule_ids=["COI-1"],
            internal=False,
        )
    return case


__all__ = [
    "filing_create",
    "filing_file",
    "filing_reconfirm",
    "filing_renew",
    "filing_submit",
    "filing_update",
    "filing_withdraw",
]
