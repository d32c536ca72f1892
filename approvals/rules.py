"""From a filing's answers (the `facts` JSON, as entered) to the Code's verdict.

The rules themselves are in the pure `policy` package; this module only turns
stored answers (strings, ISO dates, decimal strings) into the policy's facts
and says which routing flags a filing raises (COI-8 outside employment, RPT-1
related-party transaction).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from policy.conflicts import ConflictFacts, ConflictKind, assess_conflict
from policy.gifts import Direction, GiftFacts, GiftKind, assess_gift
from policy.outcomes import Outcome
from policy.preapprovals import PreApprovalKind, assess_preapproval
from policy.roles import Roles
from policy.routing import Decider, FilingKind, filing_routing_flags
from policy.waivers import assess_waiver

FILING_KINDS = (FilingKind.CONFLICT, FilingKind.GIFT, FilingKind.PREAPPROVAL, FilingKind.WAIVER)
FILING_KIND_VALUES = tuple(k.value for k in FILING_KINDS)

CONFLICT_LABELS = {
    ConflictKind.FAMILY_AT_BUSINESS_PARTNER: "Family member at a business partner",
    ConflictKind.FINANCIAL_INTEREST: "Financial interest in another business",
    ConflictKind.OUTSIDE_EMPLOYMENT: "Outside employment",
    ConflictKind.BOARD_SEAT: "Board or committee seat elsewhere",
    ConflictKind.RELATIVE_IN_REPORTING_LINE: "Relative or close friend in my reporting line",
    ConflictKind.BUSINESS_OPPORTUNITY: "Business opportunity",
    ConflictKind.LOAN: "Loan or guarantee",
    ConflictKind.RELATED_PARTY_TRANSACTION: "Related-party transaction (e.g. a note held by an insider)",
    ConflictKind.OTHER: "Other potential conflict",
}
GIFT_KIND_LABELS = {
    GiftKind.GIFT: "Gift",
    GiftKind.MEAL: "Meal",
    GiftKind.ENTERTAINMENT: "Entertainment or sporting event",
    GiftKind.TRAVEL: "Travel or lodging",
    GiftKind.OTHER: "Other",
}
KIND_TITLES = {
    FilingKind.CONFLICT: "Conflict-of-interest disclosure",
    FilingKind.GIFT: "Gift or entertainment",
    FilingKind.PREAPPROVAL: "Pre-approval request",
    FilingKind.WAIVER: "Waiver request",
}


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _date(value) -> date | None:
    return None if not value else date.fromisoformat(str(value))


def gift_facts(facts: dict) -> GiftFacts:
    """GIFT-1..5, POL-1, GOV-1: the policy's facts from the stored answers."""
    present = {"yes": True, "no": False}.get(facts.get("giver_representative_present", ""))
    return GiftFacts(
        direction=Direction(facts["direction"]),
        kind=GiftKind(facts["gift_kind"]),
        value=_decimal(facts.get("value")) or Decimal(0),
        currency=facts.get("currency") or "USD",
        value_in_usd=_decimal(facts.get("value_in_usd")),
        is_cash_or_equivalent=bool(facts.get("cash_or_equivalent")),
        solicited=bool(facts.get("solicited")),
        occasion=facts.get("occasion", ""),
        business_purpose=facts.get("business_purpose", ""),
        giver_representative_present=present,
        government_official=bool(facts.get("government_official")),
        foreign_government_official=bool(facts.get("foreign_government_official")),
        political_contribution_from_company_funds=bool(facts.get("political_contribution")),
        lavish=bool(facts.get("lavish")),
        would_embarrass=bool(facts.get("would_embarrass")),
        promotional_item=bool(facts.get("promotional_item")),
    )


def conflict_facts(facts: dict) -> ConflictFacts:
    """COI-4..11, LOAN-1, RPT-1: the policy's facts from the stored answers."""
    kind = ConflictKind(facts["subkind"])
    relationship = facts.get("counterparty_relationship") or None
    holder = facts.get("holder") or "self"
    return ConflictFacts(
        kind=kind,
        relation=facts.get("relation", ""),
        counterparty_relationship=relationship,
        employee_deals_with_it=bool(facts.get("employee_deals_with_it")),
        family_member_only_works_there=bool(facts.get("family_member_only_works_there")),
        holder=holder,
        stock_percent=_decimal(facts.get("stock_percent")),
        discretionary_authority=bool(facts.get("discretionary_authority")),
        percent_of_total_assets=_decimal(facts.get("percent_of_total_assets")),
        loan_from_company=facts.get("loan_direction", "from_company") != "to_company",
        loan_is_guarantee=bool(facts.get("loan_is_guarantee")),
        principal=_decimal(facts.get("principal")),
        interest_rate_percent=_decimal(facts.get("interest_rate_percent")),
        maturity=_date(facts.get("maturity")),
        conversion_terms=facts.get("conversion_terms", ""),
        counterparty=facts.get("counterparty", ""),
        diverts_opportunity=bool(facts.get("diverts_opportunity")),
        description=facts.get("description", ""),
    )


def assess(
    kind: FilingKind,
    facts: dict,
    *,
    roles: Roles,
    prior_gifts: int = 0,
    occasional_limit: int = 2,
) -> Outcome:
    """The Code's verdict on one filing (approver still None: see `routing_flags`)."""
    kind = FilingKind(kind)
    if kind == FilingKind.GIFT:
        return assess_gift(
            gift_facts(facts),
            prior_from_same_counterparty_12m=prior_gifts,
            occasional_limit=occasional_limit,
        )
    if kind == FilingKind.CONFLICT:
        return assess_conflict(conflict_facts(facts), roles=roles)
    if kind == FilingKind.PREAPPROVAL:
        return assess_preapproval(
            PreApprovalKind(facts["subkind"]),
            foreign_official=bool(facts.get("foreign_official")),
            bribe=bool(facts.get("improper_advantage")),
            roles=roles,
        )
    if kind == FilingKind.WAIVER:
        return assess_waiver(provision=facts.get("provision", ""), roles=roles)
    raise ValueError(f"A {kind.label} is not a filing.")


def routing_flags(kind: FilingKind, facts: dict, outcome: Outcome) -> dict[str, bool]:
    """COI-8, RPT-1: see policy.routing.filing_routing_flags."""
    return filing_routing_flags(kind, subkind=facts.get("subkind", ""), rule_ids=outcome.rule_ids)


def routing_rule_ids(kind: FilingKind, *, roles: Roles, decider: Decider, flags: dict[str, bool]) -> list[str]:
    """COI-1, COI-2, COI-3, COI-7, COI-8, WAIVE-1, WAIVE-2, RPT-1: the rule ids
    that explain who decides (for the timeline). An escalation (the would-be
    decider filed it) is explained in the event's note, not by a rule id."""
    kind = FilingKind(kind)
    if decider == Decider.BOARD:
        if kind == FilingKind.WAIVER:
            return ["WAIVE-2"]
        if flags.get("related_party"):
            return ["RPT-1"]
        return ["COI-7"] if roles.is_non_employee_director else ["COI-2"]
    if decider == Decider.SUPERVISOR:
        return ["COI-8"]
    ids = []
    if kind == FilingKind.WAIVER:
        ids.append("WAIVE-1")
    elif flags.get("outside_employment"):
        ids += ["COI-8", "COI-3"] if roles.is_vp_or_above else ["COI-8"]
    elif roles.is_vp_or_above and kind != FilingKind.GIFT:
        ids.append("COI-3")
    elif kind != FilingKind.GIFT:
        ids.append("COI-1")
    return ids


def title_for(kind: FilingKind, facts: dict) -> str:
    """A short title for lists, built from the answers."""
    kind = FilingKind(kind)
    if kind == FilingKind.GIFT:
        what = GIFT_KIND_LABELS[GiftKind(facts["gift_kind"])]
        way = "received from" if facts.get("direction") == Direction.RECEIVED else "given to"
        return f"{what} {way} {facts.get('counterparty', '').strip()}"[:200]
    if kind == FilingKind.CONFLICT:
        label = CONFLICT_LABELS[ConflictKind(facts["subkind"])].split(" (")[0]
        other = (facts.get("counterparty") or "").strip()
        return f"{label}: {other}"[:200] if other else label
    if kind == FilingKind.PREAPPROVAL:
        label = PreApprovalKind(facts["subkind"]).label
        other = (facts.get("counterparty") or "").strip()
        return f"{label}: {other}"[:200] if other else label
    return f"Waiver of “{facts.get('provision', '')}”"[:200]
