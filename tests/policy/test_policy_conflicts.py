"""COI-1, COI-4..11, LOAN-1, RPT-1: assess_conflict and its helpers."""

from datetime import date
from decimal import Decimal

import pytest

from policy.conflicts import (
    FAMILY_RELATIONS,
    ConflictFacts,
    ConflictKind,
    CounterpartyRelationship,
    assess_conflict,
    is_family,
    significant_financial_interest,
)
from policy.outcomes import Verdict
from policy.roles import Rank, Roles, no_roles

A, N, P = Verdict.ALLOWED, Verdict.NEEDS_APPROVAL, Verdict.PROHIBITED
D = Decimal
K = ConflictKind
SUPPLIER = CounterpartyRelationship.SUPPLIER

STAFF = Roles()
VP = Roles(rank=Rank.VP)
EXEC = Roles(rank=Rank.EXECUTIVE)
EMPLOYEE_DIRECTOR = Roles(rank=Rank.VP, is_director=True)
NED = Roles(is_employee=False, is_director=True, is_independent_director=True)


@pytest.mark.parametrize(
    ("relation", "family"),
    [
        ("spouse", True),
        ("parent", True),
        ("child", True),
        ("sibling", True),
        ("in_law", True),
        ("life_partner", True),
        ("Wife", True),
        ("brother", True),
        ("mother-in-law", True),
        ("brother in law", True),
        ("life partner", True),
        ("close_friend", False),
        ("cousin", False),
        ("neighbour", False),
        ("", False),
    ],
)
def test_family_members_coi4(relation, family):
    """COI-4: spouse, parents, children, siblings, in-laws, life partner; not a close friend."""
    assert is_family(relation) is family


def test_family_relations_constant_coi4():
    """COI-4: the six family relations, exactly."""
    assert {"spouse", "parent", "child", "sibling", "in_law", "life_partner"} == FAMILY_RELATIONS


@pytest.mark.parametrize(
    ("stock", "authority", "assets", "significant"),
    [
        (D("1.5"), False, None, True),
        (D("0.8"), False, D("3"), False),
        (D("0.8"), False, D("6"), True),
        (D("1"), False, None, False),
        (D("1.00"), False, D("5.00"), False),
        (D("1.0001"), False, None, True),
        (None, False, D("5"), False),
        (None, False, D("5.01"), True),
        (None, True, None, True),
        (D("0"), True, D("0"), True),
        (None, False, None, False),
        (D("100"), False, D("100"), True),
        (1, False, 5, False),
        (2, False, None, True),
    ],
)
def test_significant_financial_interest_coi6(stock, authority, assets, significant):
    """COI-6: more than 1% of the stock, discretionary authority, or more than 5% of assets."""
    result, reason = significant_financial_interest(
        stock_percent=stock, discretionary_authority=authority, percent_of_total_assets=assets
    )
    assert result is significant
    assert reason.startswith("Significant" if significant else "Not a significant")


@pytest.mark.parametrize(
    ("stock", "assets", "error", "message"),
    [
        (D("-0.1"), None, ValueError, "between 0 and 100"),
        (D("100.1"), None, ValueError, "between 0 and 100"),
        (None, D("-1"), ValueError, "between 0 and 100"),
        (None, D("101"), ValueError, "between 0 and 100"),
        (D("NaN"), None, ValueError, "between 0 and 100"),
        (1.5, None, TypeError, "Decimal"),
    ],
)
def test_bad_percentages_are_refused_coi6(stock, assets, error, message):
    """COI-6: percentages are Decimals from 0 to 100."""
    with pytest.raises(error, match=message):
        significant_financial_interest(
            stock_percent=stock, discretionary_authority=False, percent_of_total_assets=assets
        )


def interest(stock="1.5", rel=SUPPLIER, **kw):
    return ConflictFacts(K.FINANCIAL_INTEREST, stock_percent=D(stock), counterparty_relationship=rel, **kw)


def family_at(relation="spouse", **kw):
    return ConflictFacts(K.FAMILY_AT_BUSINESS_PARTNER, relation=relation, **kw)


def loan(**kw):
    return ConflictFacts(K.LOAN, principal=D("10000"), **kw)


NOTE = {
    "counterparty": "Joseph Ingrassia",
    "principal": D("500000"),
    "interest_rate_percent": D("8"),
    "maturity": date(2007, 12, 31),
    "conversion_terms": "into common stock at $1.00 a share",
}

# (case, facts, roles, verdict, rule ids, words in the reasons)
CONFLICT_TABLE = [
    (
        "family only works there, no dealings",
        family_at(family_member_only_works_there=True),
        STAFF,
        A,
        ("COI-5",),
        "No disclosure is needed",
    ),
    (
        "family works there, employee deals with it",
        family_at(family_member_only_works_there=True, employee_deals_with_it=True),
        STAFF,
        N,
        ("COI-5", "COI-1"),
        "disclosed before",
    ),
    (
        "family holds 3% of a supplier",
        family_at("sibling", stock_percent=D("3"), counterparty_relationship=SUPPLIER),
        STAFF,
        N,
        ("COI-5", "COI-6", "COI-1"),
        "more than 1%",
    ),
    (
        "family holds 0.5% of a supplier",
        family_at("child", stock_percent=D("0.5"), counterparty_relationship=SUPPLIER),
        STAFF,
        N,
        ("COI-5", "COI-1"),
        "disclosed before",
    ),
    ("a friend works there", family_at("close_friend"), STAFF, N, ("COI-1",), "not a family member"),
    ("1.5% of a supplier", interest("1.5"), STAFF, N, ("COI-6", "COI-1"), "before any transaction"),
    (
        "1.5% of a competitor",
        interest("1.5", CounterpartyRelationship.COMPETITOR),
        VP,
        N,
        ("COI-6", "COI-1"),
        "competitor",
    ),
    ("1.5% of a customer", interest("1.5", CounterpartyRelationship.CUSTOMER), EXEC, N, ("COI-6", "COI-1"), "customer"),
    (
        "1.5% of a prospective partner",
        interest("1.5", CounterpartyRelationship.PROSPECTIVE_PARTNER),
        STAFF,
        N,
        ("COI-6", "COI-1"),
        "prospective partner",
    ),
    ("exactly 1% of a supplier", interest("1"), STAFF, A, ("COI-6", "COI-1"), "Not a significant"),
    (
        "0.8% that is 3% of assets",
        interest("0.8", percent_of_total_assets=D("3")),
        STAFF,
        A,
        ("COI-6", "COI-1"),
        "Not a significant",
    ),
    ("0.8% that is 6% of assets", interest("0.8", percent_of_total_assets=D("6")), STAFF, N, ("COI-6", "COI-1"), "6%"),
    (
        "discretionary authority",
        interest("0", discretionary_authority=True),
        STAFF,
        N,
        ("COI-6", "COI-1"),
        "discretionary",
    ),
    (
        "significant, unrelated business",
        interest("5", CounterpartyRelationship.OTHER),
        STAFF,
        A,
        ("COI-6", "COI-1"),
        "not a supplier",
    ),
    ("significant, relationship unknown", interest("5", None), STAFF, A, ("COI-6", "COI-1"), "not a supplier"),
    ("held by a spouse", interest("2", holder="spouse"), STAFF, N, ("COI-6", "COI-1"), "before any transaction"),
    (
        "held by a friend",
        interest("2", holder="close_friend"),
        STAFF,
        A,
        ("COI-6", "COI-1"),
        "neither you nor a family member",
    ),
    ("non-employee director, supplier", interest("2"), NED, N, ("COI-7", "COI-1"), "recuse"),
    (
        "non-employee director, transaction",
        interest("2", transaction_planned=True),
        NED,
        N,
        ("COI-7", "COI-1"),
        "prior approval",
    ),
    (
        "outside employment, staff",
        ConflictFacts(K.OUTSIDE_EMPLOYMENT),
        STAFF,
        N,
        ("COI-8", "COI-1"),
        "before it starts",
    ),
    (
        "outside employment, VP",
        ConflictFacts(K.OUTSIDE_EMPLOYMENT),
        VP,
        N,
        ("COI-8", "COI-1"),
        "disclosed, and approved",
    ),
    (
        "outside employment, director",
        ConflictFacts(K.OUTSIDE_EMPLOYMENT),
        NED,
        A,
        ("COI-8", "COI-1"),
        "not to non-employee directors",
    ),
    ("board seat, staff", ConflictFacts(K.BOARD_SEAT), STAFF, N, ("COI-9", "COI-1"), "before you accept"),
    ("board seat, executive", ConflictFacts(K.BOARD_SEAT), EXEC, N, ("COI-9", "COI-1"), "before you accept"),
    (
        "board seat, employee director",
        ConflictFacts(K.BOARD_SEAT),
        EMPLOYEE_DIRECTOR,
        N,
        ("COI-9", "COI-1"),
        "before you accept",
    ),
    ("board seat, non-employee director", ConflictFacts(K.BOARD_SEAT), NED, A, ("COI-9", "COI-1"), "does not apply"),
    (
        "supervising a sibling",
        ConflictFacts(K.RELATIVE_IN_REPORTING_LINE, relation="sibling"),
        VP,
        N,
        ("COI-10", "COI-1"),
        "disclosed and approved",
    ),
    (
        "hiring a close friend",
        ConflictFacts(K.RELATIVE_IN_REPORTING_LINE, relation="close_friend"),
        STAFF,
        N,
        ("COI-10", "COI-1"),
        "close friend",
    ),
    (
        "relation not stated",
        ConflictFacts(K.RELATIVE_IN_REPORTING_LINE),
        STAFF,
        N,
        ("COI-10", "COI-1"),
        "close friend",
    ),
    (
        "supervising a former classmate",
        ConflictFacts(K.RELATIVE_IN_REPORTING_LINE, relation="classmate"),
        STAFF,
        A,
        ("COI-10", "COI-1"),
        "neither a relative",
    ),
    (
        "opportunity diverted",
        ConflictFacts(K.BUSINESS_OPPORTUNITY, diverts_opportunity=True),
        STAFF,
        P,
        ("COI-11", "COI-1"),
        "belong to the company",
    ),
    (
        "opportunity disclosed",
        ConflictFacts(K.BUSINESS_OPPORTUNITY),
        STAFF,
        N,
        ("COI-11", "COI-1"),
        "disclosed for the company",
    ),
    ("loan to an executive officer", loan(), EXEC, P, ("LOAN-1", "COI-1"), "prohibited"),
    ("guarantee for an executive officer", loan(loan_is_guarantee=True), EXEC, P, ("LOAN-1", "COI-1"), "guarantee"),
    ("loan to a non-employee director", loan(), NED, P, ("LOAN-1", "COI-1"), "prohibited"),
    ("loan to an employee director", loan(), EMPLOYEE_DIRECTOR, P, ("LOAN-1", "COI-1"), "director"),
    ("loan to a VP", loan(), VP, N, ("LOAN-1", "COI-1"), "Board-approved policy"),
    ("guarantee for a VP", loan(loan_is_guarantee=True), VP, N, ("LOAN-1", "COI-1"), "guarantee"),
    ("loan to staff", loan(), STAFF, N, ("LOAN-1", "COI-1"), "needs approval"),
    ("loan to a former employee", loan(), no_roles(), N, ("LOAN-1", "COI-1"), "needs approval"),
    (
        "insider's loan to the company",
        loan(loan_from_company=False, **{k: v for k, v in NOTE.items() if k != "principal"}),
        EXEC,
        N,
        ("RPT-1", "COI-1"),
        "Board",
    ),
    (
        "convertible note",
        ConflictFacts(K.RELATED_PARTY_TRANSACTION, **NOTE),
        NED,
        N,
        ("RPT-1", "COI-1"),
        "principal $500,000.00, 8% interest, maturing 2007-12-31, convertible: into common stock",
    ),
    (
        "related party, no terms",
        ConflictFacts(K.RELATED_PARTY_TRANSACTION),
        STAFF,
        N,
        ("RPT-1", "COI-1"),
        "related-party",
    ),
    ("other", ConflictFacts(K.OTHER, description="x"), STAFF, N, ("COI-1",), "compliance officer"),
]


@pytest.mark.parametrize(
    ("facts", "roles", "verdict", "rule_ids", "words"),
    [row[1:] for row in CONFLICT_TABLE],
    ids=[row[0] for row in CONFLICT_TABLE],
)
def test_assess_conflict_table_coi1_coi5_to_coi11_loan1_rpt1(facts, roles, verdict, rule_ids, words):
    """COI-1, COI-5, COI-6, COI-7, COI-8, COI-9, COI-10, COI-11, LOAN-1, RPT-1: one row per case."""
    outcome = assess_conflict(facts, roles=roles)
    assert outcome.verdict == verdict
    assert outcome.rule_ids == rule_ids
    assert words.lower() in " ".join(outcome.reasons).lower()
    assert outcome.approver is None


@pytest.mark.parametrize("kind", [k for k in ConflictKind if k != K.FAMILY_AT_BUSINESS_PARTNER])
@pytest.mark.parametrize("roles", [STAFF, VP, EXEC, NED])
def test_every_disclosure_carries_coi1(kind, roles):
    """COI-1: every disclosure is recorded with the compliance officer (COI-5's exception aside)."""
    assert "COI-1" in assess_conflict(ConflictFacts(kind), roles=roles).rule_ids


def test_coi5_exception_carries_no_coi1():
    """COI-5: when no disclosure is needed, COI-1 is not cited."""
    facts = family_at(family_member_only_works_there=True)
    assert "COI-1" not in assess_conflict(facts, roles=STAFF).rule_ids


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"principal": D("-1")}, ValueError, "cannot be negative"),
        ({"principal": 1000.0}, TypeError, "Decimal"),
        ({"interest_rate_percent": D("-2")}, ValueError, "between 0 and 100"),
        ({"stock_percent": D("150")}, ValueError, "between 0 and 100"),
        ({"counterparty_relationship": "landlord"}, ValueError, "landlord"),
    ],
)
def test_bad_conflict_facts_are_refused_rpt1_coi6(kwargs, error, message):
    """RPT-1, COI-6: amounts and percentages are checked when the facts are made."""
    with pytest.raises(error, match=message):
        ConflictFacts(K.RELATED_PARTY_TRANSACTION, **kwargs)


def test_string_kind_and_relationship_are_coerced_coi6():
    """COI-6: values read back from a form as strings still work."""
    facts = ConflictFacts("financial_interest", stock_percent=D("2"), counterparty_relationship="supplier")
    assert assess_conflict(facts, roles=STAFF).verdict == N
