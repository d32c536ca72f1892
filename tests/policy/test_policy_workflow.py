"""REP-4, APP-1: the transition table, every pair of statuses, allowed or refused."""

import itertools

import pytest

from policy.outcomes import Verdict
from policy.routing import FilingKind
from policy.workflow import (
    OPEN_STATUSES,
    REOPENABLE,
    TRANSITIONS,
    CaseFinding,
    ClosureReason,
    Status,
    TransitionError,
    can_transition,
    check_closure,
    check_transition,
    closure_reasons,
    is_open,
    is_reopen,
    statuses,
)

S = Status
CASE_OPEN = [S.RECEIVED, S.ACKNOWLEDGED, S.TRIAGE, S.INVESTIGATING, S.DECISION]

# Written out by hand from the spec, independently of policy.workflow.
REPORT_EDGES = {
    (S.RECEIVED, S.ACKNOWLEDGED),
    (S.ACKNOWLEDGED, S.TRIAGE),
    (S.TRIAGE, S.INVESTIGATING),
    (S.INVESTIGATING, S.DECISION),
    (S.DECISION, S.CLOSED),
    (S.TRIAGE, S.CLOSED),  # closed at triage, with a closure reason
    (S.INVESTIGATING, S.CLOSED),
    (S.CLOSED, S.TRIAGE),  # reopen, with a reason
    (S.WITHDRAWN, S.TRIAGE),
    (S.MERGED, S.TRIAGE),
    *((s, S.MERGED) for s in CASE_OPEN),
    *((s, S.WITHDRAWN) for s in CASE_OPEN),
}
QUESTION_EDGES = REPORT_EDGES | {(S.ACKNOWLEDGED, S.CLOSED)}  # answered
FILING_EDGES = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.RECORDED),
    (S.SUBMITTED, S.INFO_REQUESTED),
    (S.INFO_REQUESTED, S.SUBMITTED),
    (S.SUBMITTED, S.APPROVED),
    (S.SUBMITTED, S.APPROVED_WITH_CONDITIONS),
    (S.SUBMITTED, S.DENIED),
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.INFO_REQUESTED, S.WITHDRAWN),
    (S.APPROVED, S.SUBMITTED),  # renewal
    (S.APPROVED_WITH_CONDITIONS, S.SUBMITTED),  # renewal
}
EDGES = {
    FilingKind.REPORT: REPORT_EDGES,
    FilingKind.QUESTION: QUESTION_EDGES,
    FilingKind.CONFLICT: FILING_EDGES,
    FilingKind.GIFT: FILING_EDGES,
    FilingKind.PREAPPROVAL: FILING_EDGES,
    FilingKind.WAIVER: FILING_EDGES,
}
PAIRS = [
    pytest.param(kind, src, dst, id=f"{kind.value}:{src.value}->{dst.value}")
    for kind, src, dst in itertools.product(FilingKind, Status, Status)
]


@pytest.mark.parametrize(("kind", "src", "dst"), PAIRS)
def test_every_transition_pair_rep4_app1(kind, src, dst):
    """REP-4, APP-1: exactly the listed moves are allowed, for every kind and pair."""
    allowed = (src, dst) in EDGES[kind]
    assert can_transition(kind, src, dst) is allowed
    verdict = Verdict.ALLOWED if dst == S.RECORDED else None
    if allowed:
        check_transition(kind, src, dst, verdict=verdict)
    else:
        with pytest.raises(TransitionError, match="cannot move to"):
            check_transition(kind, src, dst, verdict=verdict)


def test_table_matches_spec_rep4_app1():
    """REP-4, APP-1: the table holds no edge the spec does not list."""
    for kind, edges in EDGES.items():
        table = TRANSITIONS["filing" if not kind.is_case else kind.value]
        assert {(s, d) for s, dsts in table.items() for d in dsts} == edges


@pytest.mark.parametrize("verdict", [None, Verdict.NEEDS_APPROVAL, Verdict.PROHIBITED])
def test_only_allowed_filings_are_recorded_app1(verdict):
    """APP-1: a draft is recorded without a decision only when the verdict is ALLOWED."""
    with pytest.raises(TransitionError, match="recorded without a decision"):
        check_transition(FilingKind.GIFT, S.DRAFT, S.RECORDED, verdict=verdict)
    check_transition(FilingKind.GIFT, S.DRAFT, S.RECORDED, verdict=Verdict.ALLOWED)


@pytest.mark.parametrize(
    ("kind", "src", "dst", "message"),
    [
        (FilingKind.REPORT, S.RECEIVED, S.CLOSED, "A report that is received cannot move to closed."),
        (FilingKind.WAIVER, S.DENIED, S.APPROVED, "A waiver request that is denied cannot move to approved."),
        (FilingKind.QUESTION, S.MERGED, S.CLOSED, "A question that is merged cannot move to closed."),
    ],
)
def test_transition_error_reads_plainly_rep4(kind, src, dst, message):
    """REP-4: the refusal says what was tried, in plain English."""
    with pytest.raises(TransitionError) as excinfo:
        check_transition(kind, src, dst)
    assert str(excinfo.value) == message
    assert isinstance(excinfo.value, ValueError)


@pytest.mark.parametrize("status", list(Status))
def test_open_statuses_rep4(status):
    """REP-4: a case or filing is open until it is decided, closed, withdrawn or merged."""
    expected = status in {
        S.DRAFT,
        S.SUBMITTED,
        S.INFO_REQUESTED,
        S.RECEIVED,
        S.ACKNOWLEDGED,
        S.TRIAGE,
        S.INVESTIGATING,
        S.DECISION,
    }
    assert is_open(status) is expected
    assert (status in OPEN_STATUSES) is expected
    assert status.label


@pytest.mark.parametrize("kind", list(FilingKind))
def test_each_kind_uses_its_own_statuses_rep4(kind):
    """REP-4: cases never use filing statuses and filings never use case statuses."""
    used = {s for edge in EDGES[kind] for s in edge}
    assert statuses(kind) == used


def test_string_statuses_are_accepted_rep4():
    """REP-4: statuses read back from the database as strings still work."""
    assert can_transition("report", "received", "acknowledged")
    with pytest.raises(ValueError, match="not a valid Status"):
        can_transition("report", "received", "nowhere")


# --- Closure (REP-4): a finding or a reason, never neither -----------------------

CLOSING = sorted(((src, dst) for src, dst in REPORT_EDGES if dst == S.CLOSED), key=lambda e: list(Status).index(e[0]))


@pytest.mark.parametrize(("src", "_dst"), CLOSING)
def test_closing_a_report_needs_a_finding_or_a_reason_rep4(src, _dst):
    """REP-4: every path to closed needs a finding (after an investigation began) or a reason."""
    with pytest.raises(TransitionError, match="needs a finding or a closure reason"):
        check_closure(FilingKind.REPORT, src)
    for reason in closure_reasons(FilingKind.REPORT):
        check_closure(FilingKind.REPORT, src, reason=reason)
    for finding in CaseFinding:
        if src in (S.INVESTIGATING, S.DECISION):
            check_closure(FilingKind.REPORT, src, finding=finding)
        else:
            with pytest.raises(TransitionError, match="comes from an investigation"):
                check_closure(FilingKind.REPORT, src, finding=finding)


@pytest.mark.parametrize("src", [S.ACKNOWLEDGED, S.TRIAGE, S.INVESTIGATING, S.DECISION])
def test_closing_a_question_needs_a_reason_and_never_a_finding_rep4(src):
    """REP-4, ASK-1: a question closes as answered, referred, duplicate …; it has no finding."""
    with pytest.raises(TransitionError, match="needs a reason"):
        check_closure(FilingKind.QUESTION, src)
    check_closure(FilingKind.QUESTION, src, reason=ClosureReason.ANSWERED)
    with pytest.raises(TransitionError, match="no finding"):
        check_closure(FilingKind.QUESTION, src, finding="substantiated", reason=ClosureReason.ANSWERED)


def test_closure_reasons_are_per_kind_and_unknown_ones_refused_rep4():
    assert ClosureReason.ANSWERED not in closure_reasons(FilingKind.REPORT)
    assert ClosureReason.NO_INVESTIGATION not in closure_reasons(FilingKind.QUESTION)
    with pytest.raises(TransitionError, match="is not a reason"):
        check_closure(FilingKind.REPORT, S.TRIAGE, reason="answered")
    with pytest.raises(TransitionError, match="cannot move to closed"):
        check_closure(FilingKind.REPORT, S.RECEIVED, reason=ClosureReason.DUPLICATE)
    assert {r.label for r in ClosureReason} and all(r.label for r in CaseFinding)


@pytest.mark.parametrize(("src", "dst"), list(itertools.product(Status, Status)))
def test_reopening_is_only_from_an_ended_case_to_an_open_status_rep4(src, dst):
    assert is_reopen(src, dst) is (src in REOPENABLE and dst in OPEN_STATUSES)
