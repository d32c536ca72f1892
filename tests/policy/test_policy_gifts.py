"""GIFT-1..5, POL-1, GOV-1: assess_gift on tables of gifts."""

from decimal import Decimal

import pytest

from policy.gifts import (
    DEFAULT_OCCASIONAL_LIMIT,
    GIFT_VALUE_LIMIT,
    Direction,
    GiftFacts,
    GiftKind,
    assess_gift,
)
from policy.outcomes import Verdict

A, N, P = Verdict.ALLOWED, Verdict.NEEDS_APPROVAL, Verdict.PROHIBITED
D = Decimal


def received_gift(value="100.00", **kw):
    kw.setdefault("occasion", "holiday")
    return GiftFacts(Direction.RECEIVED, GiftKind.GIFT, D(value), **kw)


def received_meal(value="80.00", kind=GiftKind.MEAL, **kw):
    kw.setdefault("business_purpose", "supplier review")
    kw.setdefault("giver_representative_present", True)
    return GiftFacts(Direction.RECEIVED, kind, D(value), **kw)


def given(value="100.00", kind=GiftKind.GIFT, **kw):
    kw.setdefault("business_purpose", "customer relationship")
    return GiftFacts(Direction.GIVEN, kind, D(value), **kw)


# (case, facts, prior gifts, verdict, rule ids, words in the reasons)
GIFT_TABLE = [
    ("holiday gift $249.99", received_gift("249.99"), 0, A, ("GIFT-3",), "logged"),
    ("holiday gift $0", received_gift("0"), 0, A, ("GIFT-3",), "logged"),
    ("holiday gift $250.00", received_gift("250.00"), 0, N, ("GIFT-3",), "under $250"),
    ("holiday gift $250.01", received_gift("250.01"), 0, N, ("GIFT-3",), "250.01"),
    ("second gift in 12 months", received_gift(), 1, A, ("GIFT-3",), "logged"),
    (
        "third gift in 12 months",
        received_gift(),
        2,
        N,
        ("GIFT-3",),
        "Not occasional",
    ),
    ("tenth gift", received_gift(), 9, N, ("GIFT-3",), "gift number 10"),
    ("no occasion", received_gift(occasion=""), 0, N, ("GIFT-3",), "occasion"),
    (
        "promotional item without occasion",
        received_gift("20", occasion="", promotional_item=True),
        0,
        A,
        ("GIFT-3",),
        "logged",
    ),
    ("lavish gift", received_gift(lavish=True), 0, N, ("GIFT-3",), "modest"),
    ("embarrassing gift", received_gift(would_embarrass=True), 0, N, ("GIFT-3",), "embarrass"),
    ("cash $5", received_gift("5", is_cash_or_equivalent=True), 0, P, ("GIFT-2",), "Cash"),
    ("gift card $25", received_gift("25", is_cash_or_equivalent=True), 0, P, ("GIFT-2",), "cash"),
    ("solicited $10", received_gift("10", solicited=True), 0, P, ("GIFT-1",), "solicit"),
    (
        "solicited cash $300",
        received_gift("300", solicited=True, is_cash_or_equivalent=True),
        0,
        P,
        ("GIFT-2", "GIFT-1", "GIFT-3"),
        "Cash",
    ),
    ("business meal", received_meal(), 0, A, ("GIFT-4",), "logged"),
    ("meal, no business purpose", received_meal(business_purpose=""), 0, N, ("GIFT-4",), "business purpose"),
    ("meal, blank purpose", received_meal(business_purpose="  "), 0, N, ("GIFT-4",), "business purpose"),
    ("lavish dinner", received_meal(lavish=True), 0, N, ("GIFT-4",), "not lavish"),
    ("giver absent", received_meal(giver_representative_present=False), 0, N, ("GIFT-4",), "representative"),
    ("giver not stated", received_meal(giver_representative_present=None), 0, N, ("GIFT-4",), "not stated"),
    ("third meal", received_meal(), 2, N, ("GIFT-4",), "Not occasional"),
    ("ballgame $249.99", received_meal("249.99", GiftKind.ENTERTAINMENT), 0, A, ("GIFT-4",), "logged"),
    ("ballgame $250", received_meal("250", GiftKind.ENTERTAINMENT), 0, N, ("GIFT-4",), "reasonable"),
    (
        "paid trip, no purpose",
        received_meal("900", GiftKind.TRAVEL, business_purpose=""),
        0,
        N,
        ("GIFT-4",),
        "business purpose",
    ),
    ("gift given $249.99", given("249.99"), 0, A, ("GIFT-5",), "logged"),
    ("gift given $250", given("250"), 0, N, ("GIFT-5",), "under $250"),
    ("gift given, no purpose", given(business_purpose=""), 0, N, ("GIFT-5",), "legitimate business"),
    ("lavish entertainment given", given("200", GiftKind.ENTERTAINMENT, lavish=True), 0, N, ("GIFT-5",), "lavish"),
    ("entertainment given $400", given("400", GiftKind.MEAL), 0, N, ("GIFT-5",), "reasonable"),
    ("embarrassing gift given", given(would_embarrass=True), 0, N, ("GIFT-5",), "embarrass"),
    ("given gifts are not counted", given(), 5, A, ("GIFT-5",), "logged"),
    ("cash given", given("50", is_cash_or_equivalent=True), 0, P, ("GIFT-2",), "never accepted or given"),
    ("to an official", given(government_official=True), 0, N, ("GOV-1",), "consulted"),
    ("to a foreign official", given(foreign_government_official=True), 0, N, ("GOV-1",), "before it is made"),
    (
        "foreign official flagged both ways",
        given(government_official=True, foreign_government_official=True),
        0,
        N,
        ("GOV-1",),
        "before it is made",
    ),
    (
        "cash to a foreign official",
        given(foreign_government_official=True, is_cash_or_equivalent=True),
        0,
        P,
        ("GIFT-2", "GOV-1"),
        "Cash",
    ),
    (
        "political contribution from company funds",
        given("100", GiftKind.OTHER, political_contribution_from_company_funds=True),
        0,
        P,
        ("POL-1",),
        "political",
    ),
    (
        "political contribution, $1",
        given("1", GiftKind.OTHER, political_contribution_from_company_funds=True),
        0,
        P,
        ("POL-1",),
        "never",
    ),
]


@pytest.mark.parametrize(
    ("facts", "prior", "verdict", "rule_ids", "words"),
    [row[1:] for row in GIFT_TABLE],
    ids=[row[0] for row in GIFT_TABLE],
)
def test_assess_gift_table_gift1_to_gift5_pol1_gov1(facts, prior, verdict, rule_ids, words):
    """GIFT-1, GIFT-2, GIFT-3, GIFT-4, GIFT-5, POL-1, GOV-1: one row per case."""
    outcome = assess_gift(facts, prior_from_same_counterparty_12m=prior)
    assert outcome.verdict == verdict
    assert outcome.rule_ids == rule_ids
    assert words.lower() in " ".join(outcome.reasons).lower()
    assert outcome.approver is None


@pytest.mark.parametrize(
    ("prior", "limit", "occasional"),
    [(0, 2, True), (1, 2, True), (2, 2, False), (3, 2, False), (0, 0, False), (2, 3, True), (3, 3, False)],
)
def test_occasional_limit_gift3(prior, limit, occasional):
    """GIFT-3: the gift stops being occasional once the earlier count reaches the limit."""
    outcome = assess_gift(received_gift(), prior_from_same_counterparty_12m=prior, occasional_limit=limit)
    assert (outcome.verdict == A) is occasional
    assert any("Not occasional" in r for r in outcome.reasons) is not occasional


def test_default_limits_gift3():
    """GIFT-3: under $250, and a third gift within 12 months is not occasional."""
    assert D("250.00") == GIFT_VALUE_LIMIT
    assert DEFAULT_OCCASIONAL_LIMIT == 2


def test_only_problems_are_listed_when_not_allowed_gift3():
    """GIFT-3: a gift needing approval does not also say it is allowed."""
    outcome = assess_gift(received_gift("300"))
    assert all(f.verdict != A for f in outcome.findings)


def test_received_from_official_is_not_gov1():
    """GOV-1 covers things of value *given* to officials, not received."""
    facts = received_gift(government_official=True)
    assert "GOV-1" not in assess_gift(facts).rule_ids


@pytest.mark.parametrize(
    ("value", "currency", "in_usd", "verdict"),
    [
        ("240", "EUR", None, A),  # compared as given: conversion is the caller's job
        ("240", "eur", D("265.00"), N),
        ("30000", "JPY", D("200.00"), A),
        ("30000", "JPY", None, N),
        ("249.99", "USD", None, A),
    ],
)
def test_currency_is_compared_as_given_unless_converted_gift3(value, currency, in_usd, verdict):
    """GIFT-3: the $250 line applies to value_in_usd when given, else to the value as entered."""
    facts = received_gift(value, currency=currency, value_in_usd=in_usd)
    assert facts.currency == currency.upper()
    assert assess_gift(facts).verdict == verdict


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"value": D("-0.01")}, ValueError, "cannot be negative"),
        ({"value": D("NaN")}, ValueError, "finite"),
        ({"value": 12.5}, TypeError, "Decimal"),
        ({"value": "12.50"}, TypeError, "Decimal"),
        ({"value": D("10"), "value_in_usd": D("-1")}, ValueError, "cannot be negative"),
        ({"value": D("10"), "currency": "dollars"}, ValueError, "USD"),
        ({"value": D("10"), "currency": ""}, ValueError, "USD"),
    ],
)
def test_bad_values_are_refused_gift3(kwargs, error, message):
    """GIFT-3: money is a non-negative Decimal with a three-letter currency."""
    with pytest.raises(error, match=message):
        GiftFacts(Direction.RECEIVED, GiftKind.GIFT, **kwargs)


@pytest.mark.parametrize(("prior", "limit"), [(-1, 2), (0, -1)])
def test_bad_counts_are_refused_gift3(prior, limit):
    """GIFT-3: counts of earlier gifts cannot be negative."""
    with pytest.raises(ValueError, match="negative"):
        assess_gift(received_gift(), prior_from_same_counterparty_12m=prior, occasional_limit=limit)


def test_int_value_is_accepted_as_decimal_gift3():
    """GIFT-3: an int is exact, so it is turned into a Decimal."""
    facts = GiftFacts(Direction.RECEIVED, GiftKind.GIFT, 100, occasion="holiday")
    assert isinstance(facts.value, Decimal)
    assert assess_gift(facts).verdict == A
