"""Issue 3's acceptance list, one table per rule id, at the boundaries (no database).

GIFT-1, GIFT-2, GIFT-3 (and "occasional"), GIFT-4, GIFT-5, POL-1, GOV-1, LOAN-1,
COI-4..COI-11, RPT-1, TRADE-1, WAIVE-1, WAIVE-2 (with its four business days)."""

from datetime import date
from decimal import Decimal

import pytest

from policy.conflicts import ConflictFacts, ConflictKind, assess_conflict, is_family, significant_financial_interest
from policy.gifts import Direction, GiftFacts, GiftKind, assess_gift
from policy.outcomes import Verdict
from policy.preapprovals import PreApprovalKind, assess_preapproval
from policy.roles import Rank, Roles
from policy.waivers import assess_waiver, disclosure_due

A, N, P = Verdict.ALLOWED, Verdict.NEEDS_APPROVAL, Verdict.PROHIBITED
D = Decimal
STAFF, VP, EXEC = Roles(), Roles(rank=Rank.VP), Roles(rank=Rank.EXECUTIVE)
EXEC_DIRECTOR = Roles(rank=Rank.EXECUTIVE, is_director=True)
NED = Roles(is_employee=False, is_director=True, is_independent_director=True)


def received(value="100.00", kind=GiftKind.GIFT, **kw):
    kw.setdefault("occasion", "holiday")
    if kind != GiftKind.GIFT:
        kw.setdefault("business_purpose", "supplier review")
        kw.setdefault("giver_representative_present", True)
    return GiftFacts(Direction.RECEIVED, kind, D(value), **kw)


def given(value="100.00", kind=GiftKind.GIFT, **kw):
    kw.setdefault("business_purpose", "customer relationship")
    return GiftFacts(Direction.GIVEN, kind, D(value), **kw)


# (name, facts, earlier gifts from the same counterparty in 12 months, occasional limit, verdict, rule id)
GIFTS = [
    # GIFT-2: cash of any amount is prohibited.
    ("GIFT-2 cash $0.01", received("0.01", is_cash_or_equivalent=True), 0, 2, P, "GIFT-2"),
    ("GIFT-2 cash $5", received("5", is_cash_or_equivalent=True), 0, 2, P, "GIFT-2"),
    ("GIFT-2 gift card $249.99", received("249.99", is_cash_or_equivalent=True), 0, 2, P, "GIFT-2"),
    ("GIFT-2 cash $10,000", received("10000", is_cash_or_equivalent=True), 0, 2, P, "GIFT-2"),
    ("GIFT-2 cash given", given("20", is_cash_or_equivalent=True), 0, 2, P, "GIFT-2"),
    # GIFT-1: a solicited gift is prohibited, even a cheap one.
    ("GIFT-1 solicited $1", received("1", solicited=True), 0, 2, P, "GIFT-1"),
    ("GIFT-1 solicited meal", received("40", GiftKind.MEAL, solicited=True), 0, 2, P, "GIFT-1"),
    # GIFT-3: under $250 is allowed and logged; $250.00 needs approval.
    ("GIFT-3 holiday gift $249.99", received("249.99"), 0, 2, A, "GIFT-3"),
    ("GIFT-3 holiday gift $250.00", received("250.00"), 0, 2, N, "GIFT-3"),
    ("GIFT-3 $300", received("300"), 0, 2, N, "GIFT-3"),
    ("GIFT-3 EUR 240 worth $260", received("240", currency="EUR", value_in_usd=D("260")), 0, 2, N, "GIFT-3"),
    # GIFT-3 "occasional": the third gift from one counterparty in 12 months is flagged.
    ("GIFT-3 second gift in 12 months", received("50"), 1, 2, A, "GIFT-3"),
    ("GIFT-3 third gift in 12 months", received("50"), 2, 2, N, "GIFT-3"),
    ("GIFT-3 third gift, limit raised to 3", received("50"), 2, 3, A, "GIFT-3"),
    ("GIFT-3 second gift, limit lowered to 1", received("50"), 1, 1, N, "GIFT-3"),
    # GIFT-4: entertainment with a purpose and the giver present is allowed.
    ("GIFT-4 business dinner", received("120", GiftKind.MEAL), 0, 2, A, "GIFT-4"),
    ("GIFT-4 third dinner in 12 months", received("120", GiftKind.MEAL), 2, 2, N, "GIFT-4"),
    ("GIFT-4 giver absent", received("120", GiftKind.ENTERTAINMENT, giver_representative_present=False), 0, 2, N,
     "GIFT-4"),
    ("GIFT-4 lavish trip", received("900", GiftKind.TRAVEL, lavish=True), 0, 2, N, "GIFT-4"),
    # GIFT-5: gifts given under $250 and reasonable entertainment.
    ("GIFT-5 given $249.99", given("249.99"), 0, 2, A, "GIFT-5"),
    ("GIFT-5 given $250.00", given("250.00"), 0, 2, N, "GIFT-5"),
    ("GIFT-5 given without business purpose", given("50", business_purpose=""), 0, 2, N, "GIFT-5"),
    # POL-1: political money from company funds is prohibited.
    ("POL-1 contribution $100", given("100", political_contribution_from_company_funds=True), 0, 2, P, "POL-1"),
    ("POL-1 contribution $0", given("0", political_contribution_from_company_funds=True), 0, 2, P, "POL-1"),
    # GOV-1: anything to a foreign government official needs prior approval.
    ("GOV-1 $10 to a foreign official", given("10", foreign_government_official=True), 0, 2, N, "GOV-1"),
    ("GOV-1 $10 to a domestic official", given("10", government_official=True), 0, 2, N, "GOV-1"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "prior", "limit", "verdict", "rule_id"), [r[1:] for r in GIFTS], ids=[r[0] for r in GIFTS]
)
def test_gift_boundaries_gift1_gift2_gift3_gift4_gift5_pol1_gov1(facts, prior, limit, verdict, rule_id):
    outcome = assess_gift(facts, prior_from_same_counterparty_12m=prior, occasional_limit=limit)
    assert outcome.verdict == verdict
    assert rule_id in outcome.deciding_rule_ids
    assert outcome.summary.endswith(")") and rule_id in outcome.summary


def test_third_gift_reason_says_not_occasional_gift3():
    outcome = assess_gift(received("50"), prior_from_same_counterparty_12m=2, occasional_limit=2)
    assert "Not occasional" in outcome.reasons[0] and "gift number 3" in outcome.reasons[0]


def test_gift_300_summary_reads_needs_approval_gift3():
    assert assess_gift(received("300")).summary == "Needs approval (GIFT-3)"


# COI-6: (stock %, discretionary authority, % of total assets, significant?)
INTERESTS = [
    ("1.5% of the stock", D("1.5"), False, None, True),
    ("exactly 1% of the stock", D("1"), False, None, False),
    ("1.0001% of the stock", D("1.0001"), False, None, True),
    ("0.8% that is 3% of total assets", D("0.8"), False, D("3"), False),
    ("0.8% that is 6% of total assets", D("0.8"), False, D("6"), True),
    ("0.8% that is exactly 5% of total assets", D("0.8"), False, D("5"), False),
    ("0.1% with discretionary authority", D("0.1"), True, D("0.1"), True),
    ("nothing entered", None, False, None, False),
]


@pytest.mark.parametrize(
    ("stock", "authority", "assets", "significant"), [r[1:] for r in INTERESTS], ids=[r[0] for r in INTERESTS]
)
def test_significant_financial_interest_boundaries_coi6(stock, authority, assets, significant):
    result, _ = significant_financial_interest(
        stock_percent=stock, discretionary_authority=authority, percent_of_total_assets=assets
    )
    assert result is significant


@pytest.mark.parametrize(("stock", "assets"), [(D("100.01"), None), (D("-0.1"), None), (None, D("101"))])
def test_more_than_100_percent_or_negative_is_refused_coi6(stock, assets):
    with pytest.raises(ValueError, match="between 0 and 100"):
        significant_financial_interest(
            stock_percent=stock, discretionary_authority=False, percent_of_total_assets=assets
        )


def interest(stock, assets=None, rel="supplier", holder="self"):
    return ConflictFacts(
        ConflictKind.FINANCIAL_INTEREST,
        stock_percent=D(stock),
        percent_of_total_assets=assets,
        counterparty_relationship=rel,
        holder=holder,
    )


# (name, facts, roles, verdict, deciding rule id)
CONFLICTS = [
    ("COI-6 1.5% of a supplier", interest("1.5"), STAFF, N, "COI-6"),
    ("COI-6 0.8% that is 3% of assets", interest("0.8", D("3")), STAFF, A, "COI-6"),
    ("COI-6 0.8% that is 6% of assets", interest("0.8", D("6")), STAFF, N, "COI-6"),
    ("COI-6 held by a spouse (COI-4)", interest("2", holder="spouse"), STAFF, N, "COI-6"),
    ("COI-6 held by a cousin, not family (COI-4)", interest("2", holder="cousin"), STAFF, A, "COI-6"),
    ("COI-7 non-employee director's 2%", interest("2"), NED, N, "COI-7"),
    ("COI-5 brother at a supplier I deal with",
     ConflictFacts(ConflictKind.FAMILY_AT_BUSINESS_PARTNER, relation="brother", family_member_only_works_there=True,
                   employee_deals_with_it=True), STAFF, N, "COI-5"),
    ("COI-5 exception: only works there, I do not deal with it",
     ConflictFacts(ConflictKind.FAMILY_AT_BUSINESS_PARTNER, relation="sister", family_member_only_works_there=True),
     STAFF, A, "COI-5"),
    ("COI-8 outside employment", ConflictFacts(ConflictKind.OUTSIDE_EMPLOYMENT), STAFF, N, "COI-8"),
    ("COI-8 does not bind a non-employee director", ConflictFacts(ConflictKind.OUTSIDE_EMPLOYMENT), NED, A, "COI-8"),
    ("COI-9 board seat", ConflictFacts(ConflictKind.BOARD_SEAT), VP, N, "COI-9"),
    ("COI-10 close friend in my line", ConflictFacts(ConflictKind.RELATIVE_IN_REPORTING_LINE, relation="close_friend"),
     STAFF, N, "COI-10"),
    ("COI-11 diverted opportunity", ConflictFacts(ConflictKind.BUSINESS_OPPORTUNITY, diverts_opportunity=True), STAFF,
     P, "COI-11"),
    ("LOAN-1 company loan to an executive officer", ConflictFacts(ConflictKind.LOAN), EXEC, P, "LOAN-1"),
    ("LOAN-1 company loan to a director", ConflictFacts(ConflictKind.LOAN), NED, P, "LOAN-1"),
    ("LOAN-1 guarantee for an executive director", ConflictFacts(ConflictKind.LOAN, loan_is_guarantee=True),
     EXEC_DIRECTOR, P, "LOAN-1"),
    ("LOAN-1 loan to a VP follows Board policy", ConflictFacts(ConflictKind.LOAN), VP, N, "LOAN-1"),
    ("RPT-1 convertible note held by an insider",
     ConflictFacts(ConflictKind.RELATED_PARTY_TRANSACTION, principal=D("250000"), interest_rate_percent=D("7.5"),
                   maturity=date(2005, 6, 30), conversion_terms="common stock", counterparty="Marc Crossman"),
     EXEC, N, "RPT-1"),
    ("RPT-1 an insider's loan to the company", ConflictFacts(ConflictKind.LOAN, loan_from_company=False), VP, N,
     "RPT-1"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "roles", "verdict", "rule_id"), [r[1:] for r in CONFLICTS], ids=[r[0] for r in CONFLICTS]
)
def test_conflict_boundaries_coi4_to_coi11_loan1_rpt1(facts, roles, verdict, rule_id):
    outcome = assess_conflict(facts, roles=roles)
    assert outcome.verdict == verdict
    assert rule_id in outcome.deciding_rule_ids


@pytest.mark.parametrize(
    ("relation", "family"),
    [("spouse", True), ("life partner", True), ("mother-in-law", True), ("brother", True), ("close friend", False),
     ("cousin", False)],
)  # fmt: skip
def test_family_members_coi4(relation, family):
    assert is_family(relation) is family


def test_rpt1_reason_spells_out_the_note_terms():
    facts = ConflictFacts(
        ConflictKind.RELATED_PARTY_TRANSACTION,
        principal=D("250000"),
        interest_rate_percent=D("7.5"),
        maturity=date(2005, 6, 30),
        conversion_terms="common stock at the holder's option",
        counterparty="Marc Crossman",
    )
    reason = assess_conflict(facts, roles=EXEC).reasons[0]
    assert (
        "$250,000.00" in reason and "7.5% interest" in reason and "2005-06-30" in reason and "Marc Crossman" in reason
    )


@pytest.mark.parametrize(
    ("kind", "foreign", "bribe", "verdict", "rule_id"),
    [
        (PreApprovalKind.TRADE_ASSOCIATION, False, False, N, "TRADE-1"),
        (PreApprovalKind.GOVERNMENT_OFFICIAL, True, False, N, "GOV-1"),
        (PreApprovalKind.GOVERNMENT_OFFICIAL, True, True, P, "GOV-1"),
    ],
)
def test_preapproval_boundaries_trade1_gov1(kind, foreign, bribe, verdict, rule_id):
    outcome = assess_preapproval(kind, foreign_official=foreign, bribe=bribe, roles=STAFF)
    assert (outcome.verdict, outcome.rule_ids) == (verdict, (rule_id,))


@pytest.mark.parametrize(
    ("roles", "rule_id"), [(STAFF, "WAIVE-1"), (VP, "WAIVE-1"), (EXEC, "WAIVE-2"), (NED, "WAIVE-2")]
)
def test_waiver_rule_by_role_waive1_waive2(roles, rule_id):
    assert assess_waiver(provision="Outside Employment", roles=roles).rule_ids == (rule_id,)


# WAIVE-2: (decided on, holidays, due) — four business days, the decision day not counted.
DUE = [
    ("Monday -> Friday", date(2026, 11, 16), frozenset(), date(2026, 11, 20)),
    ("Thursday -> Wednesday over a weekend", date(2026, 11, 19), frozenset(), date(2026, 11, 25)),
    ("Friday -> Thursday", date(2026, 11, 20), frozenset(), date(2026, 11, 26)),
    ("Saturday decision -> Thursday", date(2026, 11, 21), frozenset(), date(2026, 11, 26)),
    (
        "Thanksgiving and the day after skipped",
        date(2026, 11, 24),
        frozenset({date(2026, 11, 26), date(2026, 11, 27)}),
        date(2026, 12, 2),
    ),
]


@pytest.mark.parametrize(("decided", "holidays", "due"), [r[1:] for r in DUE], ids=[r[0] for r in DUE])
def test_waiver_disclosure_due_four_business_days_waive2(decided, holidays, due):
    assert disclosure_due(decided, business_days=4, holidays=holidays) == due
