"""APP-1: outcomes are combined, summarised and stored as JSON."""

import json

import pytest

from policy.outcomes import Finding, Outcome, Verdict, combine
from policy.routing import Decider

A, N, P = Verdict.ALLOWED, Verdict.NEEDS_APPROVAL, Verdict.PROHIBITED


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ((), A),
        ((A,), A),
        ((N,), N),
        ((P,), P),
        ((A, N), N),
        ((N, A), N),
        ((A, P), P),
        ((N, P), P),
        ((P, N, A), P),
        ((A, A, A), A),
    ],
)
def test_combine_takes_the_worst_verdict_app1(verdicts, expected):
    """APP-1: PROHIBITED > NEEDS_APPROVAL > ALLOWED."""
    assert combine(Finding("X-1", v, "why") for v in verdicts) == expected


@pytest.mark.parametrize(
    ("findings", "summary", "rule_ids"),
    [
        ([("GIFT-3", N)], "Needs approval (GIFT-3)", ("GIFT-3",)),
        ([("GIFT-3", N), ("GIFT-3", N)], "Needs approval (GIFT-3)", ("GIFT-3",)),
        ([("GIFT-3", A)], "Allowed and recorded (GIFT-3)", ("GIFT-3",)),
        (
            [("GIFT-1", P), ("GIFT-3", N), ("GIFT-2", P)],
            "Prohibited (GIFT-1, GIFT-2)",
            ("GIFT-1", "GIFT-3", "GIFT-2"),
        ),
        ([], "Allowed and recorded", ()),
    ],
)
def test_summary_and_rule_ids_app1(findings, summary, rule_ids):
    """APP-1: the summary names the rules that set the verdict; rule_ids are
    ordered and unique."""
    outcome = Outcome.of(Finding(r, v, f"{r} reason") for r, v in findings)
    assert outcome.summary == summary
    assert outcome.rule_ids == rule_ids
    assert outcome.reasons == tuple(f"{r} reason" for r, _ in findings)


@pytest.mark.parametrize("approver", [None, *Decider])
def test_outcome_json_round_trip_app1(approver):
    """APP-1: an outcome survives storage as JSON unchanged."""
    outcome = Outcome.of(
        [Finding("COI-6", N, "significant"), Finding("COI-1", N, "disclosed")],
        approver=approver,
    )
    stored = json.loads(json.dumps(outcome.to_dict()))
    assert Outcome.from_dict(stored) == outcome


def test_with_approver_is_filled_by_routing_app1():
    """APP-1: rule checks leave the approver empty; routing fills it."""
    outcome = Outcome.of([Finding("WAIVE-1", N, "x")])
    assert outcome.approver is None
    assert outcome.with_approver(Decider.BOARD).approver == Decider.BOARD


def test_finding_needs_a_rule_id_app1():
    """APP-1: every finding cites the rule it applies."""
    with pytest.raises(ValueError, match="rule id"):
        Finding("", A, "why")
