"""The one status transition table for cases and filings.

Services check every state change here (STYLE.md: no transitions that exist
only in prose). Rule ids: REP-4 (cases are received, acknowledged,
investigated and closed with a decision), APP-1 (filings end in a documented
decision, or are recorded when the rules allow them outright).
"""

from enum import StrEnum

from policy.outcomes import Verdict
from policy.routing import FilingKind


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    TRIAGE = "triage"
    INVESTIGATING = "investigating"
    DECISION = "decision"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    DENIED = "denied"
    RECORDED = "recorded"  # allowed and recorded, nothing to decide
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.DRAFT: "Draft",
    Status.SUBMITTED: "Submitted",
    Status.RECEIVED: "Received",
    Status.ACKNOWLEDGED: "Acknowledged",
    Status.TRIAGE: "In triage",
    Status.INVESTIGATING: "Under investigation",
    Status.DECISION: "Awaiting decision",
    Status.INFO_REQUESTED: "Information requested",
    Status.APPROVED: "Approved",
    Status.APPROVED_WITH_CONDITIONS: "Approved with conditions",
    Status.DENIED: "Denied",
    Status.RECORDED: "Recorded",
    Status.CLOSED: "Closed",
    Status.WITHDRAWN: "Withdrawn",
    Status.MERGED: "Merged",
}

S = Status

REPORT, QUESTION, FILING = "report", "question", "filing"
"""The kind families: each has its own transition table."""

_CASE_OPEN = (S.RECEIVED, S.ACKNOWLEDGED, S.TRIAGE, S.INVESTIGATING, S.DECISION)


REOPENABLE = frozenset({S.CLOSED, S.WITHDRAWN, S.MERGED})
"""REP-4: a report or question that ended may be reopened (to triage), with a reason."""


def _case_table(*extra: tuple[Status, Status]) -> dict[Status, frozenset[Status]]:
    """Reports: received -> acknowledged -> triage -> investigating ->
    decision -> closed. From triage onwards a case may close early (with a
    closure reason, see `check_closure`); every open case may be merged into
    another or withdrawn; closed, withdrawn and merged cases reopen to triage."""
    forward = {
        S.RECEIVED: {S.ACKNOWLEDGED},
        S.ACKNOWLEDGED: {S.TRIAGE},
        S.TRIAGE: {S.INVESTIGATING, S.CLOSED},
        S.INVESTIGATING: {S.DECISION, S.CLOSED},
        S.DECISION: {S.CLOSED},
        S.CLOSED: set(),
        S.MERGED: set(),
        S.WITHDRAWN: set(),
    }
    for status in REOPENABLE:
        forward[status].add(S.TRIAGE)
    for status in _CASE_OPEN:
        forward[status] |= {S.MERGED, S.WITHDRAWN}
    for src, dst in extra:
        forward[src].add(dst)
    return {src: frozenset(dsts) for src, dsts in forward.items()}


TRANSITIONS: dict[str, dict[Status, frozenset[Status]]] = {
    REPORT: _case_table(),
    # A question is closed as soon as it is answered.
    QUESTION: _case_table((S.ACKNOWLEDGED, S.CLOSED)),
    FILING: {
        S.DRAFT: frozenset({S.SUBMITTED, S.RECORDED, S.WITHDRAWN}),
        S.SUBMITTED: frozenset(
            {
                S.INFO_REQUESTED,
                S.APPROVED,
                S.APPROVED_WITH_CONDITIONS,
                S.DENIED,
                S.WITHDRAWN,
            }
        ),
        S.INFO_REQUESTED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
        # Renewal on the review date resubmits an approved filing.
        S.APPROVED: frozenset({S.SUBMITTED}),
        S.APPROVED_WITH_CONDITIONS: frozenset({S.SUBMITTED}),
        S.DENIED: frozenset(),
        S.RECORDED: frozenset(),
        S.WITHDRAWN: frozenset(),
    },
}

INITIAL_STATUS: dict[str, Status] = {
    REPORT: S.RECEIVED,
    QUESTION: S.RECEIVED,
    FILING: S.DRAFT,
}

OPEN_STATUSES = frozenset({S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED, *_CASE_OPEN})
"""Statuses in which someone still has something to do."""


class TransitionError(ValueError):
    """A status change that the transition table does not allow."""


def family(kind: FilingKind) -> str:
    """REP-4, APP-1: which transition table a kind of filing or case uses."""
    kind = FilingKind(kind)
    if kind == FilingKind.REPORT:
        return REPORT
    if kind == FilingKind.QUESTION:
        return QUESTION
    return FILING


def statuses(kind: FilingKind) -> frozenset[Status]:
    """REP-4, APP-1: every status a filing or case of this kind can be in."""
    return frozenset(TRANSITIONS[family(kind)])


def is_open(status: Status) -> bool:
    """REP-4: is someone still expected to act on it?"""
    return Status(status) in OPEN_STATUSES


def can_transition(kind: FilingKind, src: Status, dst: Status) -> bool:
    """REP-4, APP-1: may a filing or case of this kind move from src to dst?"""
    table = TRANSITIONS[family(kind)]
    return Status(dst) in table.get(Status(src), frozenset())


def check_transition(
    kind: FilingKind,
    src: Status,
    dst: Status,
    *,
    verdict: Verdict | None = None,
) -> None:
    """Raise TransitionError unless the move is allowed.

    APP-1: a draft filing is recorded without a decision only when the rules
    allow it outright, so moving to RECORDED needs `verdict=ALLOWED`.
    """
    kind, src, dst = FilingKind(kind), Status(src), Status(dst)
    noun = kind.label
    if not can_transition(kind, src, dst):
        raise TransitionError(
            f"{_article(noun)} {noun} that is {src.label.lower()} cannot move to {dst.label.lower()}."
        )
    if dst == S.RECORDED and verdict != Verdict.ALLOWED:
        raise TransitionError(
            f"{_article(noun)} {noun} can be recorded without a decision only when the Code allows it outright."
        )


class CaseFinding(StrEnum):
    """REP-4: what an investigation concluded."""

    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"
    INCONCLUSIVE = "inconclusive"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ClosureReason(StrEnum):
    """REP-4: why a case closed without (or before) a finding."""

    NO_INVESTIGATION = "no_investigation_warranted"
    INSUFFICIENT = "insufficient_information"
    REFERRED = "referred_elsewhere"
    DUPLICATE = "duplicate"
    ANSWERED = "answered"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    ClosureReason.NO_INVESTIGATION: "No investigation warranted",
    ClosureReason.INSUFFICIENT: "Not enough information to investigate",
    ClosureReason.REFERRED: "Referred elsewhere",
    ClosureReason.DUPLICATE: "Duplicate of another case",
    ClosureReason.ANSWERED: "Answered",
}

FINDING_STATUSES = frozenset({S.INVESTIGATING, S.DECISION})
"""REP-4: a finding comes from an investigation, so it is recorded only once one began."""


def closure_reasons(kind: FilingKind) -> tuple[ClosureReason, ...]:
    """REP-4: the reasons a case of this kind may close for without a finding."""
    if family(kind) == QUESTION:
        return (ClosureReason.ANSWERED, ClosureReason.REFERRED, ClosureReason.DUPLICATE, ClosureReason.INSUFFICIENT)
    return (ClosureReason.NO_INVESTIGATION, ClosureReason.INSUFFICIENT, ClosureReason.REFERRED, ClosureReason.DUPLICATE)


def check_closure(kind: FilingKind, src: Status, *, finding: str = "", reason: str = "") -> None:
    """REP-4: a report closes with a finding (only after an investigation began) or
    with a closure reason; a question closes with a reason ("answered" among them).
    Raise TransitionError naming what is missing."""
    kind, src = FilingKind(kind), Status(src)
    check_transition(kind, src, S.CLOSED)
    noun = kind.label
    if finding:
        if finding not in {f.value for f in CaseFinding} or family(kind) != REPORT:
            raise TransitionError(f"{_article(noun)} {noun} has no finding “{finding}”.")
        if src not in FINDING_STATUSES:
            raise TransitionError("A finding comes from an investigation: close from triage with a reason instead.")
    if reason and reason not in closure_reasons(kind):
        raise TransitionError(f"“{reason}” is not a reason to close {_article(noun).lower()} {noun}.")
    if not finding and not reason:
        if family(kind) == REPORT:
            raise TransitionError(
                "Closing needs a finding or a closure reason (no investigation warranted, not enough "
                "information, referred elsewhere, duplicate)."
            )
        raise TransitionError("Closing a question needs a reason (answered, referred elsewhere, duplicate …).")


def is_reopen(src: Status, dst: Status) -> bool:
    """REP-4: does this move reopen a case that ended? (It then needs a reason.)"""
    return Status(src) in REOPENABLE and Status(dst) in OPEN_STATUSES


def _article(noun: str) -> str:
    return "An" if noun[:1].lower() in "aeiou" else "A"
