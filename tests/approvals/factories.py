"""Filings built through the approvals services, as the house style asks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.utils import timezone

from approvals.forms import FORMS
from approvals.services import DecisionInput, filing_create, filing_decide, filing_file
from cases.models import Case
from people.models import Person


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def travel(day: date):
    """Noon on `day` in the company's time zone, clock stopped."""
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False)


def today() -> date:
    return timezone.localdate()


def gift_facts(**overrides) -> dict:
    facts = {
        "gift_kind": "gift",
        "direction": "received",
        "counterparty": "Acme Supplies",
        "business_relationship": "supplier",
        "event_date": (today() - timedelta(days=1)).isoformat(),
        "value": "100.00",
        "currency": "USD",
        "occasion": "holiday",
        "cash_or_equivalent": False,
        "solicited": False,
    }
    facts.update(overrides)
    return facts


def conflict_facts(subkind: str = "financial_interest", **overrides) -> dict:
    facts = {"subkind": subkind}
    if subkind == "financial_interest":
        facts.update(
            counterparty="Acme Supplies", counterparty_relationship="supplier", holder="self", stock_percent="2"
        )
    elif subkind in ("outside_employment", "board_seat"):
        facts.update(counterparty="Night Bakery", starts_on=(today() + timedelta(days=30)).isoformat())
    elif subkind == "related_party_transaction":
        facts.update(
            counterparty="Marc Crossman",
            principal="250000",
            currency="USD",
            interest_rate_percent="7.5",
            maturity=(today() + timedelta(days=365)).isoformat(),
            conversion_terms="into common stock at the holder's option",
        )
    elif subkind == "loan":
        facts.update(loan_direction="from_company", principal="10000", currency="USD")
    else:
        facts.update(description="A potential conflict to review.")
    facts.update(overrides)
    return facts


def preapproval_facts(subkind: str = "trade_association", **overrides) -> dict:
    facts = {
        "subkind": subkind,
        "counterparty": "Apparel Trade Association",
        "starts_on": (today() + timedelta(days=14)).isoformat(),
        "description": "Membership for market research.",
    }
    facts.update(overrides)
    return facts


def waiver_facts(**overrides) -> dict:
    facts = {
        "provision_anchor": "outside-employment",
        "provision": "Conflicts of Interest — Outside Employment",
        "reason": "Teaching one evening class a week at the community college.",
        "period_start": today().isoformat(),
        "period_end": (today() + timedelta(days=180)).isoformat(),
    }
    facts.update(overrides)
    return facts


FACTS = {"gift": gift_facts, "conflict": conflict_facts, "preapproval": preapproval_facts, "waiver": waiver_facts}


def draft(by, kind: str = "gift", **facts) -> Case:
    return filing_create(actor=by, kind=kind, facts=FACTS[kind](**facts))


def filing(by, kind: str = "gift", **facts) -> Case:
    """Drafted and submitted (or recorded) through the services."""
    return filing_file(actor=by, kind=kind, facts=FACTS[kind](**facts))


def decide(case: Case, by, decision: str = "approved", **kwargs):
    return filing_decide(case_id=case.pk, actor=by, data=DecisionInput(decision=decision, **kwargs))


def form_data(kind: str, facts: dict) -> dict:
    """POST data for a kind's form from facts (booleans left out when false)."""
    data = {}
    for key, value in facts.items():
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = value
    assert set(data) <= set(FORMS[kind].base_fields) | {"provision"}, set(data) - set(FORMS[kind].base_fields)
    data.pop("provision", None)
    return data
