"""Every change to board governance and the related-party register goes through
these services: lock, check the actor's permission, save, append an event,
forget the banner's cache, queue e-mail through the outbox.

The board monitor (`board_check`) is run by a hook on roster writes
(governance/receivers.py) and by the daily beat (governance/tasks.py); it is safe to
run twice and at the same time (an advisory lock, and one open case per rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from core import outbox
from governance.models import (
    AnnualMeeting,
    GovernanceCase,
    GovernanceEvent,
    RelatedPartyApproval,
    RelatedPartyEvent,
    RelatedPartyTransaction,
)
from governance.selectors import banner_forget, breach_started, composition_on, history, roster_difference
from innovo_compliance.permissions import can
from people.models import Designation, Person, RoleDesignation
from policy.board import (
    approval_stands,
    assess_board,
    cure_deadline,
    disclosure_deadline,
    next_meeting,
    review_due,
    review_needed,
)

MONITOR_LOCK = 7_311_004  # pg_advisory_xact_lock key: one board check at a time


class GovernanceError(Exception):
    """A request the service cannot accept; the message is for the person who asked."""


def _require(actor, action: str, obj=None) -> None:
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied


def _long(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _changed() -> None:
    """The banner's cached list is forgotten now and again at commit, so that no
    reader between the two keeps a stale one."""
    banner_forget()
    transaction.on_commit(banner_forget)


def _event(case: GovernanceCase, *, actor, action: str, note: str, rule_ids=()) -> GovernanceEvent:
    _changed()
    return GovernanceEvent.objects.create(
        case=case, at=timezone.now(), actor=actor, action=action, note=note, rule_ids=list(rule_ids)
    )


def _holidays() -> frozenset[date]:
    return frozenset(settings.INNOVO["HOLIDAYS"])


# --- the board monitor (BOARD-1, BOARD-2) --------------------------------------------


def _lock_monitor() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MONITOR_LOCK])


def _deadline_for(event_date: date) -> date:
    meetings = AnnualMeeting.objects.values_list("date", flat=True)
    return cure_deadline(event_date, next_meeting(event_date, meetings))


def _open(check, composition, *, on: date, actor) -> GovernanceCase | None:
    event_date = breach_started(check.rule_id, on)
    if GovernanceCase.objects.filter(rule_id=check.rule_id, event_date=event_date).exists():
        return None  # that deficiency was opened (and cured) before: a replay changes nothing
    started = composition_on(event_date)
    before = composition_on(event_date - timedelta(days=1))
    case = GovernanceCase.objects.create(
        rule_id=check.rule_id,
        event_date=event_date,
        finding=check.reason,
        directors=len(started.directors),
        independent_directors=started.independent_directors,
        audit_members=len(started.audit_committee),
        audit_independent=started.audit_independent,
        cure_deadline=_deadline_for(event_date),
    )
    _event(
        case,
        actor=actor,
        action="opened",
        note=(
            f"Out of compliance from {_long(event_date)} ({roster_difference(before, started)}). "
            f"{assess_board(started)[0 if check.rule_id == 'BOARD-1' else 1].reason} "
            f"Cure deadline: {_long(case.cure_deadline)}."
        ),
        rule_ids=[check.rule_id],
    )
    return case


def _cure(case: GovernanceCase, *, on: date, actor) -> None:
    """The first day from the event on which the rule holds (again) is the cure date; the
    event day itself when the roster was corrected after the fact."""
    index = 0 if case.rule_id == "BOARD-1" else 1
    days = history(on, since=case.event_date)
    cured = next((c for c in days if assess_board(c)[index].passed), days[-1])
    before = composition_on(cured.day - timedelta(days=1))
    case.status = GovernanceCase.CURED
    case.cured_on = cured.day
    case.cured_by = roster_difference(before, cured)[:300]
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "cured_on", "cured_by", "closed_at"])
    late = " (after the cure deadline)" if cured.day > case.cure_deadline else ""
    _event(
        case,
        actor=actor,
        action="cured",
        note=f"Cured on {_long(cured.day)} by {case.cured_by}{late}. {assess_board(cured)[index].reason}",
        rule_ids=[case.rule_id],
    )


@dataclass
class CheckResult:
    composition: object
    checks: tuple
    opened: list
    cured: list


def board_check(*, on: date | None = None, actor=None) -> CheckResult:
    """BOARD-1, BOARD-2: check the composition on `on` (today); open a governance
    case for a rule newly broken (its event date: the first day of the breach)
    and close the open case of a rule that holds again (its cure date: the first
    day it held). Safe to run twice."""
    on = on or timezone.localdate()
    opened, cured = [], []
    with transaction.atomic():
        _lock_monitor()
        composition = composition_on(on)
        checks = assess_board(composition)
        open_cases = {c.rule_id: c for c in GovernanceCase.objects.select_for_update().filter(status="open")}
        for check in checks:
            case = open_cases.get(check.rule_id)
            if not check.passed and case is None:
                new = _open(check, composition, on=on, actor=actor)
                if new:
                    opened.append(new)
            elif check.passed and case is not None and on >= case.event_date:
                _cure(case, on=on, actor=actor)
                cured.append(case)
    return CheckResult(composition, checks, opened, cured)


def deadlines_refresh(*, actor=None) -> int:
    """BOARD-1: an annual meeting was entered or changed: every open case's cure
    deadline is worked out again (an event says so when it moves)."""
    moved = 0
    with transaction.atomic():
        for case in GovernanceCase.objects.select_for_update().filter(status="open"):
            deadline = _deadline_for(case.event_date)
            if deadline != case.cure_deadline:
                old, case.cure_deadline = case.cure_deadline, deadline
                case.save(update_fields=["cure_deadline"])
                _event(
                    case,
                    actor=actor,
                    action="deadline",
                    note=f"Cure deadline moved from {_long(old)} to {_long(deadline)} (annual meetings changed).",
                    rule_ids=[case.rule_id],
                )
                moved += 1
    return moved


def annual_meeting_add(*, actor, day: date, note: str = "") -> AnnualMeeting:
    """BOARD-1: the liaison or the compliance officer enters an annual meeting's date."""
    _require(actor, "governance.edit")
    with transaction.atomic():
        if AnnualMeeting.objects.filter(date=day).exists():
            raise GovernanceError(f"An annual meeting on {_long(day)} is already entered.")
        meeting = AnnualMeeting.objects.create(date=day, note=note.strip(), entered_by=actor)
        deadlines_refresh(actor=actor)
    return meeting


def letter_record(*, case_id: int, actor, received_on: date) -> GovernanceCase:
    """BOARD-1, BOARD-2: the liaison records when the exchange's deficiency letter was
    received; the public disclosure is due four business days later."""
    _require(actor, "governance.edit")
    if received_on > timezone.localdate():
        raise GovernanceError("The letter's received date cannot be in the future.")
    with transaction.atomic():
        case = GovernanceCase.objects.select_for_update().get(pk=case_id)
        case.letter_received_on = received_on
        case.disclosure_due = disclosure_deadline(received_on, holidays=_holidays())
        case.save(update_fields=["letter_received_on", "disclosure_due"])
        _event(
            case,
            actor=actor,
            action="letter",
            note=(
                f"The exchange's deficiency letter was received on {_long(received_on)}: "
                f"public disclosure due by {_long(case.disclosure_due)} (four business days)."
            ),
            rule_ids=[case.rule_id],
        )
    return case


# --- the related-party register (RPT-1) -----------------------------------------------


def _rpt_event(transaction_obj, *, actor, action: str, note: str) -> RelatedPartyEvent:
    return RelatedPartyEvent.objects.create(
        transaction=transaction_obj, at=timezone.now(), actor=actor, action=action, note=note
    )


def rpt_create(
    *,
    actor,
    kind: str,
    counterparty_name: str,
    relationship: str,
    start_date: date,
    description: str,
    counterparty: Person | None = None,
    amount: Decimal | None = None,
    currency: str = "USD",
    end_date: date | None = None,
    source_case=None,
) -> RelatedPartyTransaction:
    """RPT-1: enter a transaction in the register (it waits for the Board's or the
    audit committee's approval or ratification)."""
    _require(actor, "rpt.edit")
    name = (counterparty_name or (counterparty.name if counterparty else "")).strip()
    if not name:
        raise GovernanceError("Name the related party (a person from the roster or a name).")
    if end_date and end_date < start_date:
        raise GovernanceError("The end date cannot be before the start date.")
    with transaction.atomic():
        item = RelatedPartyTransaction.objects.create(
            kind=kind,
            counterparty=counterparty,
            counterparty_name=name[:200],
            relationship=relationship,
            amount=amount,
            currency=currency or "USD",
            start_date=start_date,
            end_date=end_date,
            description=description.strip(),
            source_case=source_case,
            created_by=actor,
        )
        where = f" from conflict filing {source_case.reference}" if source_case else ""
        _rpt_event(item, actor=actor, action="entered", note=f"Entered in the register{where}.")
    return item


def rpt_approval_record(
    *, actor, transaction_id: int, body: str, day: date, outcome: str, minutes_reference: str
) -> RelatedPartyApproval:
    """RPT-1: the board liaison records the Board's or the audit committee's decision
    (approved beforehand, ratified afterwards, or rejected) with the minutes' reference."""
    _require(actor, "rpt.approve")
    if not minutes_reference.strip():
        raise GovernanceError("Give the minutes' reference of the meeting that decided.")
    if day > timezone.localdate():
        raise GovernanceError("The meeting's date cannot be in the future.")
    with transaction.atomic():
        item = RelatedPartyTransaction.objects.select_for_update().get(pk=transaction_id)
        approval = RelatedPartyApproval.objects.create(
            transaction=item,
            body=body,
            date=day,
            outcome=outcome,
            minutes_reference=minutes_reference.strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        if approval_stands(body, outcome):
            item.last_reviewed_on = max(filter(None, [item.last_reviewed_on, day]))
            item.save(update_fields=["last_reviewed_on"])
        _rpt_event(
            item,
            actor=actor,
            action=outcome,
            note=(
                f"{approval.get_outcome_display()} by the {approval.get_body_display().lower()} on {_long(day)} "
                f"(minutes {approval.minutes_reference})."
            ),
        )
    return approval


RPT_SUBKINDS = {"related_party_transaction"}


def is_related_party_filing(case) -> bool:
    """RPT-1: a conflict filing whose verdict names RPT-1 (a related-party
    transaction, or an insider's loan to the company)."""
    if case.kind != "conflict" or case.status in ("draft", "withdrawn"):
        return False
    findings = (case.outcome or {}).get("findings", [])
    return any(f.get("rule_id") == "RPT-1" for f in findings)


def _related_person(case) -> Person | None:
    """The related party: the roster person the filing names, else the filer."""
    named = (case.counterparty or "").strip()
    if named:
        return Person.objects.filter(name__iexact=named).first()
    return case.filer


def _relationship_of(person: Person | None, day: date) -> str:
    """A director or executive officer on the filing date; anyone else named in a
    related-party filing is taken as an insider's family member until the liaison says otherwise."""
    from people.selectors import roles_on

    if person is not None:
        roles = roles_on(person, day)
        if roles.is_director:
            return "director"
        if roles.is_executive_officer:
            return "executive_officer"
    return "family_member"


def rpt_from_filing(*, case_id: int) -> RelatedPartyTransaction | None:
    """RPT-1: a related-party transaction disclosed as a conflict filing lands in the
    register once (the filing's id is unique there). Runs after the filing commits."""
    from cases.models import Case

    with transaction.atomic():
        case = Case.objects.select_related("filer").get(pk=case_id)
        if not is_related_party_filing(case) or RelatedPartyTransaction.objects.filter(source_case=case).exists():
            return None
        facts = case.facts or {}
        subkind = facts.get("subkind", "")
        kind = (
            RelatedPartyTransaction.CONVERTIBLE_NOTE
            if facts.get("conversion_terms")
            else (RelatedPartyTransaction.LOAN_TO_COMPANY if subkind == "loan" else RelatedPartyTransaction.OTHER)
        )
        amount = facts.get("principal")
        maturity = facts.get("maturity") or None
        related = _related_person(case)
        link = related or case.filer
        return rpt_create(
            actor=None,
            kind=kind,
            counterparty=related,
            counterparty_name=(case.counterparty or (case.filer.name if case.filer else ""))[:200],
            relationship=_relationship_of(link, case.filed_on),
            amount=Decimal(str(amount)) if amount not in (None, "") else None,
            currency=facts.get("currency") or "USD",
            start_date=case.filed_on,
            end_date=date.fromisoformat(maturity) if isinstance(maturity, str) else None,
            description=case.description or case.title,
            source_case=case,
        )


def _review_recipients() -> list[str]:
    today = timezone.localdate()
    roles = (Designation.BOARD_LIAISON, Designation.COMPLIANCE_OFFICER)
    return sorted(
        {
            email
            for email in RoleDesignation.objects.on(today)
            .filter(role__in=roles)
            .values_list("person__email", flat=True)
            if email
        }
    )


def rpt_review_reminders(*, today: date | None = None) -> int:
    """RPT-1: once a year an approved transaction still running is reviewed again:
    one e-mail to the liaison and the compliance officer per transaction and
    review date, however often this runs."""
    today = today or timezone.localdate()
    sent = 0
    candidates = RelatedPartyTransaction.objects.filter(last_reviewed_on__isnull=False).only("pk")
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            item = RelatedPartyTransaction.objects.select_for_update().get(pk=pk)
            if not review_needed(item.last_reviewed_on, today, ended=item.end_date):
                continue
            due = review_due(item.last_reviewed_on)
            if item.review_reminded_for == due:
                continue
            item.review_reminded_for = due
            item.save(update_fields=["review_reminded_for"])
            outbox.email(
                "governance/rpt_review",
                {"item": item, "due": due},
                _review_recipients(),
                key=f"rpt-review:{item.pk}:{due.isoformat()}",
            )
            _rpt_event(
                item,
                actor=None,
                action="review-reminder",
                note=f"Yearly review due since {_long(due)}: the liaison and the compliance officer were reminded.",
            )
            sent += 1
    return sent
