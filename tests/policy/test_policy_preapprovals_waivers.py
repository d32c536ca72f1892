"""TRADE-1, GOV-1, COI-8, COI-9 (pre-approvals) and WAIVE-1, WAIVE-2 (waivers)."""

from datetime import date

import pytest

from policy.outcomes import Verdict
from policy.preapprovals import PreApprovalKind, assess_preapproval
from policy.roles import Rank, Roles
from policy.waivers import assess_waiver, disclosure_due, waiver_requires_disclosure

A, N, P = Verdict.ALLOWED, Verdict.NEEDS_APPROVAL, Verdict.PROHIBITED
K = PreApprovalKind

STAFF = Roles()
VP = Roles(rank=Rank.VP)
EXEC = Roles(rank=Rank.EXECUTIVE)
EMPLOYEE_DIRECTOR = Roles(rank=Rank.VP, is_director=True)
STAFF_DIRECTOR = Roles(rank=Rank.STAFF, is_director=True)
NED = Roles(is_employee=False, is_director=True)
ALL_ROLES = [STAFF, VP, EXEC, EMPLOYEE_DIRECTOR, NED]

# (case, kind, foreign, bribe, roles, verdict, rule id, words)
PREAPPROVAL_TABLE = [
    ("trade association", K.TRADE_ASSOCIATION, False, False, STAFF, N, "TRADE-1", "in advance"),
    ("trade association, director", K.TRADE_ASSOCIATION, False, False, NED, N, "TRADE-1", "in advance"),
    ("official", K.GOVERNMENT_OFFICIAL, False, False, STAFF, N, "GOV-1", "consulted first"),
    ("foreign official", K.GOVERNMENT_OFFICIAL, True, False, VP, N, "GOV-1", "before it is made"),
    ("bribe", K.GOVERNMENT_OFFICIAL, True, True, EXEC, P, "GOV-1", "never permitted"),
    ("bribe dressed as membership", K.TRADE_ASSOCIATION, False, True, STAFF, P, "GOV-1", "never permitted"),
    ("outside work, staff", K.OUTSIDE_EMPLOYMENT, False, False, STAFF, N, "COI-8", "before it starts"),
    ("outside work, executive", K.OUTSIDE_EMPLOYMENT, False, False, EXEC, N, "COI-8", "before it starts"),
    ("outside work, director", K.OUTSIDE_EMPLOYMENT, False, False, NED, A, "COI-8", "recorded"),
    ("board seat, staff", K.BOARD_SEAT, False, False, STAFF, N, "COI-9", "before you accept"),
    ("board seat, employee director", K.BOARD_SEAT, False, False, EMPLOYEE_DIRECTOR, N, "COI-9", "before you accept"),
    ("board seat, director", K.BOARD_SEAT, False, False, NED, A, "COI-9", "does not apply"),
]


@pytest.mark.parametrize(
    ("kind", "foreign", "bribe", "roles", "verdict", "rule_id", "words"),
    [row[1:] for row in PREAPPROVAL_TABLE],
    ids=[row[0] for row in PREAPPROVAL_TABLE],
)
def test_assess_preapproval_table_trade1_gov1_coi8_coi9(kind, foreign, bribe, roles, verdict, rule_id, words):
    """TRADE-1, GOV-1, COI-8, COI-9: one row per case."""
    outcome = assess_preapproval(kind, foreign_official=foreign, bribe=bribe, roles=roles)
    assert outcome.verdict == verdict
    assert outcome.rule_ids == (rule_id,)
    assert words in outcome.reasons[0]


@pytest.mark.parametrize(
    ("roles", "rule_id", "disclosed"),
    [
        (STAFF, "WAIVE-1", False),
        (VP, "WAIVE-1", False),
        (EXEC, "WAIVE-2", True),
        (EMPLOYEE_DIRECTOR, "WAIVE-2", True),
        (STAFF_DIRECTOR, "WAIVE-2", True),
        (NED, "WAIVE-2", True),
    ],
)
def test_assess_waiver_waive1_waive2(roles, rule_id, disclosed):
    """WAIVE-1: the compliance officer decides; WAIVE-2: directors (employee
    directors too) and executive officers go to the Board, with disclosure."""
    outcome = assess_waiver(provision="Gifts and Entertainment", roles=roles)
    assert outcome.verdict == N
    assert outcome.rule_ids == (rule_id,)
    assert waiver_requires_disclosure(roles) is disclosed
    assert ("disclosed publicly" in outcome.reasons[0]) is disclosed
    assert "Gifts and Entertainment" in outcome.reasons[0]


@pytest.mark.parametrize("provision", ["", "   ", None])
def test_waiver_names_a_provision_waive1(provision):
    """WAIVE-1: a written request says what is to be waived."""
    with pytest.raises(ValueError, match="provision"):
        assess_waiver(provision=provision, roles=STAFF)


THU, FRI = date(2024, 5, 16), date(2024, 5, 17)
MEMORIAL_DAY = date(2024, 5, 27)  # a Monday


@pytest.mark.parametrize(
    ("decided_on", "holidays", "days", "due"),
    [
        (THU, frozenset(), 4, date(2024, 5, 22)),  # Thu -> next Wed
        (THU, frozenset({date(2024, 5, 20)}), 4, date(2024, 5, 23)),  # Monday off -> Thu
        (FRI, frozenset(), 4, date(2024, 5, 23)),  # Fri -> next Thu
        (date(2024, 5, 24), frozenset({MEMORIAL_DAY}), 4, date(2024, 5, 31)),  # Fri before a Monday holiday
        (date(2024, 5, 25), frozenset(), 4, date(2024, 5, 30)),  # decided on a Saturday
        (date(2024, 5, 26), frozenset(), 4, date(2024, 5, 30)),  # decided on a Sunday
        (date(2024, 5, 20), frozenset(), 4, date(2024, 5, 24)),  # Mon -> Fri
        (THU, frozenset(), 1, FRI),
        (THU, frozenset(), 0, THU),
        (date(2024, 12, 23), frozenset({date(2024, 12, 25), date(2025, 1, 1)}), 4, date(2024, 12, 30)),
    ],
)
def test_disclosure_due_in_four_business_days_waive2(decided_on, holidays, days, due):
    """WAIVE-2: disclosed within four business days, skipping weekends and holidays."""
    assert disclosure_due(decided_on, business_days=days, holidays=holidays) == due


def test_disclosure_due_refuses_negative_days_waive2():
    """WAIVE-2: a negative number of business days is a mistake."""
    with pytest.raises(ValueError, match="negative"):
        disclosure_due(THU, business_days=-1)
