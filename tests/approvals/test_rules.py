"""From stored answers to the Code's verdict, and what the forms keep (no database)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from approvals.forms import ConflictForm, GiftForm
from approvals.rules import assess, conflict_facts, gift_facts, routing_flags, routing_rule_ids, title_for
from policy.outcomes import Verdict
from policy.roles import Rank, Roles
from policy.routing import Decider

STAFF, VP, EXEC = Roles(), Roles(rank=Rank.VP), Roles(rank=Rank.EXECUTIVE)
NED = Roles(is_employee=False, is_director=True)

GIFT = {"gift_kind": "meal", "direction": "received", "counterparty": "Acme", "value": "80.00", "currency": "USD",
        "business_purpose": "Quarterly review"}  # fmt: skip


@pytest.mark.parametrize(("answer", "present"), [("yes", True), ("no", False), ("unknown", None), (None, None)])
def test_giver_present_answer_becomes_true_false_or_unknown_gift4(answer, present):
    facts = {**GIFT, "giver_representative_present": answer} if answer else GIFT
    assert gift_facts(facts).giver_representative_present is present


def test_stored_decimal_strings_become_decimals_gift3():
    facts = gift_facts({**GIFT, "value": "249.99", "currency": "EUR", "value_in_usd": "270.10"})
    assert facts.value == Decimal("249.99") and facts.value_in_usd == Decimal("270.10") and facts.currency == "EUR"


@pytest.mark.parametrize(
    ("facts", "roles", "verdict", "rule_id"),
    [
        ({**GIFT, "giver_representative_present": "yes"}, STAFF, Verdict.ALLOWED, "GIFT-4"),
        ({**GIFT, "giver_representative_present": "no"}, STAFF, Verdict.NEEDS_APPROVAL, "GIFT-4"),
        ({**GIFT, "gift_kind": "gift", "occasion": "holiday", "value": "300"}, STAFF, Verdict.NEEDS_APPROVAL, "GIFT-3"),
        ({**GIFT, "direction": "given", "political_contribution": True}, STAFF, Verdict.PROHIBITED, "POL-1"),
        ({**GIFT, "direction": "given", "foreign_government_official": True}, STAFF, Verdict.NEEDS_APPROVAL, "GOV-1"),
    ],
)
def test_gift_answers_are_judged_by_the_policy(facts, roles, verdict, rule_id):
    outcome = assess("gift", facts, roles=roles)
    assert outcome.verdict == verdict and rule_id in outcome.deciding_rule_ids


@pytest.mark.parametrize(
    ("facts", "roles", "verdict", "rule_id", "related"),
    [
        ({"subkind": "loan", "loan_direction": "from_company", "principal": "5000"}, EXEC, Verdict.PROHIBITED,
         "LOAN-1", False),
        ({"subkind": "loan", "loan_direction": "from_company", "principal": "5000"}, NED, Verdict.PROHIBITED,
         "LOAN-1", False),
        ({"subkind": "loan", "loan_direction": "to_company", "principal": "5000"}, VP, Verdict.NEEDS_APPROVAL,
         "RPT-1", True),
        ({"subkind": "related_party_transaction", "principal": "250000", "interest_rate_percent": "7.5",
          "maturity": "2005-06-30", "counterparty": "Marc Crossman"}, EXEC, Verdict.NEEDS_APPROVAL, "RPT-1", True),
        ({"subkind": "financial_interest", "counterparty_relationship": "supplier", "holder": "self",
          "stock_percent": "0.8", "percent_of_total_assets": "6"}, STAFF, Verdict.NEEDS_APPROVAL, "COI-6", False),
        ({"subkind": "financial_interest", "counterparty_relationship": "supplier", "holder": "self",
          "stock_percent": "0.8", "percent_of_total_assets": "3"}, STAFF, Verdict.ALLOWED, "COI-6", False),
        ({"subkind": "business_opportunity", "diverts_opportunity": True}, STAFF, Verdict.PROHIBITED, "COI-11", False),
    ],
)  # fmt: skip
def test_conflict_answers_are_judged_by_the_policy(facts, roles, verdict, rule_id, related):
    outcome = assess("conflict", facts, roles=roles)
    assert outcome.verdict == verdict and rule_id in outcome.deciding_rule_ids
    assert routing_flags("conflict", facts, outcome)["related_party"] is related


def test_rpt1_terms_are_read_from_the_answers():
    facts = conflict_facts({"subkind": "related_party_transaction", "principal": "250000", "maturity": "2005-06-30"})
    assert facts.principal == Decimal("250000") and facts.maturity.isoformat() == "2005-06-30"


@pytest.mark.parametrize("kind", ["conflict", "preapproval"])
def test_outside_employment_raises_the_supervisor_flag_coi8(kind):
    facts = {"subkind": "outside_employment"}
    outcome = assess(kind, facts, roles=STAFF)
    assert routing_flags(kind, facts, outcome)["outside_employment"] is True


@pytest.mark.parametrize(
    ("kind", "roles", "decider", "flags", "ids"),
    [
        ("conflict", EXEC, Decider.BOARD, {}, ["COI-2"]),
        ("conflict", NED, Decider.BOARD, {}, ["COI-7"]),
        ("conflict", VP, Decider.BOARD, {"related_party": True}, ["RPT-1"]),
        ("waiver", EXEC, Decider.BOARD, {}, ["WAIVE-2"]),
        ("waiver", STAFF, Decider.COMPLIANCE_OFFICER, {}, ["WAIVE-1"]),
        ("conflict", VP, Decider.COMPLIANCE_OFFICER, {}, ["COI-3"]),
        ("conflict", STAFF, Decider.COMPLIANCE_OFFICER, {}, ["COI-1"]),
        ("conflict", STAFF, Decider.SUPERVISOR, {"outside_employment": True}, ["COI-8"]),
        ("gift", STAFF, Decider.COMPLIANCE_OFFICER, {}, []),
    ],
)
def test_routing_rule_ids_explain_who_decides(kind, roles, decider, flags, ids):
    assert routing_rule_ids(kind, roles=roles, decider=decider, flags=flags) == ids


@pytest.mark.parametrize(
    ("kind", "facts", "title"),
    [
        ("gift", GIFT, "Meal received from Acme"),
        ("gift", {**GIFT, "direction": "given", "gift_kind": "gift"}, "Gift given to Acme"),
        ("conflict", {"subkind": "board_seat", "counterparty": "Food Bank"},
         "Board or committee seat elsewhere: Food Bank"),
        ("conflict", {"subkind": "related_party_transaction"}, "Related-party transaction"),
        ("preapproval", {"subkind": "trade_association", "counterparty": "AAFA"}, "Trade association membership: AAFA"),
        ("waiver", {"provision": "Outside Employment"}, "Waiver of “Outside Employment”"),
    ],
)  # fmt: skip
def test_titles_are_built_from_the_answers(kind, facts, title):
    assert title_for(kind, facts) == title


def test_conflict_form_keeps_only_what_the_sub_kind_needs():
    form = ConflictForm(
        {
            "subkind": "outside_employment",
            "counterparty": "Night Bakery",
            "starts_on": "2026-12-01",
            "stock_percent": "40",
            "principal": "1000",
            "loan_direction": "from_company",
            "currency": "USD",
        }
    )
    assert form.is_valid(), form.errors
    assert form.facts() == {"subkind": "outside_employment", "counterparty": "Night Bakery", "starts_on": "2026-12-01"}


def test_gift_form_refuses_the_other_directions_question_instead_of_dropping_it():
    """Issue 10: an answer is stored or refused with a message, never silently dropped."""
    data = {
        "direction": "given",
        "gift_kind": "gift",
        "counterparty": "Acme",
        "event_date": str(date.today() - timedelta(days=5)),
        "value": "20",
        "currency": "USD",
        "giver_representative_present": "yes",
        "business_purpose": "Thanks",
    }
    form = GiftForm(data)
    assert not form.is_valid()
    assert form.errors["giver_representative_present"] == ["Only for something you received: leave it blank."]
    form = GiftForm({**data, "giver_representative_present": ""})
    assert form.is_valid(), form.errors
    facts = form.facts()
    assert (
        "giver_representative_present" not in facts and facts["value"] == "20" and facts["cash_or_equivalent"] is False
    )


def test_gift4_received_hospitality_asks_whether_the_giver_was_there_with_no_default():
    """GIFT-4: the form no longer answers "Yes" for the filer."""
    form = GiftForm()
    assert form.fields["giver_representative_present"].initial is None
    data = {
        "direction": "received",
        "gift_kind": "meal",
        "counterparty": "Acme",
        "event_date": str(date.today() - timedelta(days=5)),
        "value": "80",
        "currency": "USD",
        "business_purpose": "Project review",
    }
    form = GiftForm(data)
    assert not form.is_valid() and "giver_representative_present" in form.errors
    assert GiftForm({**data, "giver_representative_present": "unknown"}).is_valid()
