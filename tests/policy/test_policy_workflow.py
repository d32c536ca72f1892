"""REP-4, APP-1: the transition table, every pair of statuses, allowed or refused."""

import itertools

import pytest

from policy.outcomes import Verdict
from policy.routing import FilingKind
from policy.workflow import (
    OPEN_STATUSES,
    TRANSITIONS,
    Status,
    TransitionError,
    can_transition,
    check_transition,
    is_open,
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
    (S.CLOSED, S.TRIAGE),  # reopen
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
        (FilingKind.QUESTION, S.MERGED, S.TRIAGE, "A question that is merged cannot move to in triage."),
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
