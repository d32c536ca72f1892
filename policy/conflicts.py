"""Conflicts of interest, loans and related-party transactions.

Rule ids: COI-1, COI-4, COI-5, COI-6, COI-7, COI-8, COI-9, COI-10, COI-11,
LOAN-1, RPT-1. (COI-2 and COI-3, who decides, live in `policy.routing`.)
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from policy.outcomes import Finding, Outcome, Verdict, combine
from policy.roles import Roles

F = Finding

ALLOWED, NEEDS_APPROVAL, PROHIBITED = (
    Verdict.ALLOWED,
    Verdict.NEEDS_APPROVAL,
    Verdict.PROHIBITED,
)

FAMILY_RELATIONS = frozenset({"spouse", "parent", "child", "sibling", "in_law", "life_partner"})
"""COI-4: spouse, parents, children, brothers or sisters, in-laws, life partner."""

CLOSE_FRIEND = "close_friend"
"""Not family (COI-4), but COI-10 treats a close friend like a relative."""

SELF = "self"

_RELATION_ALIASES = {
    "husband": "spouse",
    "wife": "spouse",
    "mother": "parent",
    "father": "parent",
    "son": "child",
    "daughter": "child",
    "brother": "sibling",
    "sister": "sibling",
    "in-law": "in_law",
    "inlaw": "in_law",
    "partner": "life_partner",
    "life partner": "life_partner",
    "close friend": CLOSE_FRIEND,
}

SIGNIFICANT_STOCK_PERCENT = Decimal(1)
"""COI-6(a): owning *more than* 1% of the outstanding stock is significant."""

SIGNIFICANT_ASSETS_PERCENT = Decimal(5)
"""COI-6(b): an investment of *more than* 5% of total assets is significant."""


def normalize_relation(relation: str) -> str:
    """Lower-case a relation and map everyday words ("wife", "brother",
    "mother-in-law") onto the COI-4 vocabulary."""
    rel = (relation or "").strip().lower().replace("_", " ")
    if rel.endswith(("in law", "in-law")):
        return "in_law"
    return _RELATION_ALIASES.get(rel, rel.replace(" ", "_"))


def is_family(relation: str) -> bool:
    """COI-4: is this relation a family member? A close friend is not."""
    return normalize_relation(relation) in FAMILY_RELATIONS


class CounterpartyRelationship(StrEnum):
    """What the other business is to the company (COI-6)."""

    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    PROSPECTIVE_PARTNER = "prospective_partner"
    COMPETITOR = "competitor"
    OTHER = "other"


COI6_RELATIONSHIPS = frozenset(set(CounterpartyRelationship) - {CounterpartyRelationship.OTHER})


class ConflictKind(StrEnum):
    FAMILY_AT_BUSINESS_PARTNER = "family_at_business_partner"
    FINANCIAL_INTEREST = "financial_interest"
    OUTSIDE_EMPLOYMENT = "outside_employment"
    BOARD_SEAT = "board_seat"
    RELATIVE_IN_REPORTING_LINE = "relative_in_reporting_line"
    BUSINESS_OPPORTUNITY = "business_opportunity"
    LOAN = "loan"
    RELATED_PARTY_TRANSACTION = "related_party_transaction"
    OTHER = "other"


def _percent(value: Decimal | None, name: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, (float, bool)) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"The {name} must be a Decimal (not {type(value).__name__}).")
    value = Decimal(value)
    if not value.is_finite() or value < 0 or value > 100:
        raise ValueError(f"The {name} must be between 0 and 100 (got {value}).")
    return value


def significant_financial_interest(
    *,
    stock_percent: Decimal | None,
    discretionary_authority: bool,
    percent_of_total_assets: Decimal | None,
) -> tuple[bool, str]:
    """COI-6: is a holding a significant financial interest, and why.

    Significant if the holder owns more than 1% of the outstanding stock, or
    has or shares discretionary authority over the business's decisions, or
    the investment is more than 5% of the holder's total assets. Exactly 1%
    or exactly 5% is not "more than". Percentages run from 0 to 100.
    """
    stock = _percent(stock_percent, "share of outstanding stock (percent)")
    assets = _percent(percent_of_total_assets, "share of total assets (percent)")
    reasons = []
    if stock is not None and stock > SIGNIFICANT_STOCK_PERCENT:
        reasons.append(f"{stock}% of the outstanding stock is more than {SIGNIFICANT_STOCK_PERCENT}%")
    if discretionary_authority:
        reasons.append("the holder has or shares discretionary authority over the business's decisions")
    if assets is not None and assets > SIGNIFICANT_ASSETS_PERCENT:
        reasons.append(f"the investment is {assets}% of total assets, more than {SIGNIFICANT_ASSETS_PERCENT}%")
    if reasons:
        return True, "Significant financial interest: " + "; ".join(reasons) + "."
    return False, (
        f"Not a significant financial interest: no more than {SIGNIFICANT_STOCK_PERCENT}% of the stock, "
        f"no discretionary authority, and no more than {SIGNIFICANT_ASSETS_PERCENT}% of total assets."
    )


@dataclass(frozen=True)
class ConflictFacts:
    """What the filer tells us about one potential conflict.

    `relation`: who is involved (COI-4 words, or "close_friend").
    `holder`: who holds a financial interest, "self" or a relation.
    `loan_from_company`: True for a loan or guarantee by the company to the
    person (LOAN-1); False for a loan by the person to the company, which
    is a related-party transaction (RPT-1).
    """

    kind: ConflictKind
    relation: str = ""
    counterparty_relationship: CounterpartyRelationship | None = None
    employee_deals_with_it: bool = False
    family_member_only_works_there: bool = False
    holder: str = SELF
    stock_percent: Decimal | None = None
    discretionary_authority: bool = False
    percent_of_total_assets: Decimal | None = None
    loan_from_company: bool = True
    loan_is_guarantee: bool = False
    principal: Decimal | None = None
    interest_rate_percent: Decimal | None = None
    maturity: date | None = None
    conversion_terms: str = ""
    counterparty: str = ""
    diverts_opportunity: bool = False
    transaction_planned: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ConflictKind(self.kind))
        if self.counterparty_relationship is not None:
            object.__setattr__(
                self,
                "counterparty_relationship",
                CounterpartyRelationship(self.counterparty_relationship),
            )
        if self.principal is not None:
            if isinstance(self.principal, (float, bool)) or not isinstance(self.principal, (Decimal, int)):
                raise TypeError("The principal must be a Decimal.")
            if self.principal < 0:
                raise ValueError(f"The principal cannot be negative (got {self.principal}).")
        _percent(self.interest_rate_percent, "interest rate (percent)")
        _percent(self.stock_percent, "share of outstanding stock (percent)")
        _percent(self.percent_of_total_assets, "share of total assets (percent)")


# What the filer reads, one line per reason.
_SAY = {
    "coi1_recorded": "Disclosed to the compliance officer and recorded.",
    "coi1_documented": "Disclosed to the compliance officer; the decision will be documented.",
    "coi1_other": "A potential conflict of interest is disclosed to the compliance officer for a decision.",
    "coi1_not_family": (
        "A {who} is not a family member under COI-4, but the link is a potential conflict for the compliance officer "
        "to review."
    ),
    "coi5_exception": (
        "No disclosure is needed: the family member only works there and you do not deal with that organisation."
    ),
    "coi5_disclose": (
        "Doing business on the company's behalf with an organisation where a family member works or holds a "
        "significant financial interest must be disclosed before you do it."
    ),
    "coi6_not_family": "The interest is held by a {who}, who is neither you nor a family member (COI-4); recorded.",
    "coi6_not_significant": "{why} Recorded.",
    "coi6_unrelated": "{why} The business is not a supplier, customer, prospective partner or competitor; recorded.",
    "coi6_approval": "{why} It is in a {rel} and needs approval before any transaction.",
    "coi7_director": (
        "{why} A non-employee director may hold it, but must disclose it promptly, recuse themselves from related "
        "Board activity, and get the Board's prior approval for any transaction with that company."
    ),
    "coi8_director": "Outside employment rules apply to employees, not to non-employee directors; recorded.",
    "coi8_disclose": ("Outside employment must be disclosed, and approved, before it starts."),
    "coi9_director": "The approval rule for other boards does not apply to non-employee directors; recorded.",
    "coi9_approval": ("Serving on a board or committee of another organisation needs approval before you accept."),
    "coi10_unrelated": "A {who} is neither a relative nor a close friend; recorded.",
    "coi10_approval": "Hiring or supervising a relative or close friend is allowed only if disclosed and approved.",
    "coi11_diverted": "Business opportunities belong to the company; taking one for yourself or others is a violation.",
    "coi11_disclosed": "The opportunity is disclosed for the company, which decides whether to pursue it.",
    "loan_prohibited": "A {what} by the company to an executive officer or director is prohibited.",
    "loan_vp": (
        "A {what} for an officer titled Vice President or above follows the Board-approved policy and needs approval "
        "under it."
    ),
    "loan_staff": "A {what} by the company needs approval.",
    "rpt": (
        "A transaction between the company and an insider is a related-party transaction for the Board to "
        "approve.{detail}"
    ),
}


def _words(relation: str) -> str:
    return relation.replace("_", " ") or "person"


def _coi1(worst: Verdict) -> Finding:
    """COI-1: every potential conflict is disclosed to the compliance officer
    and an approved conflict is documented."""
    if worst == ALLOWED:
        return F("COI-1", ALLOWED, _SAY["coi1_recorded"])
    return F("COI-1", NEEDS_APPROVAL, _SAY["coi1_documented"])


def _interest(facts: ConflictFacts, roles: Roles) -> list[Finding]:
    """COI-6, COI-7: a financial interest held by the filer or a family
    member; significant and in a business partner or competitor, it needs
    approval before any transaction (COI-7: the Board's, with recusal)."""
    holder = normalize_relation(facts.holder) or SELF
    if holder != SELF and holder not in FAMILY_RELATIONS:
        return [F("COI-6", ALLOWED, _SAY["coi6_not_family"].format(who=_words(holder)))]
    significant, why = significant_financial_interest(
        stock_percent=facts.stock_percent,
        discretionary_authority=facts.discretionary_authority,
        percent_of_total_assets=facts.percent_of_total_assets,
    )
    if not significant:
        return [F("COI-6", ALLOWED, _SAY["coi6_not_significant"].format(why=why))]
    rel = facts.counterparty_relationship
    if rel not in COI6_RELATIONSHIPS:
        return [F("COI-6", ALLOWED, _SAY["coi6_unrelated"].format(why=why))]
    if roles.is_non_employee_director:
        return [F("COI-7", NEEDS_APPROVAL, _SAY["coi7_director"].format(why=why))]
    text = _SAY["coi6_approval"].format(why=why, rel=_words(rel.value))
    return [F("COI-6", NEEDS_APPROVAL, text)]


def _family_at_partner(facts: ConflictFacts, roles: Roles) -> list[Finding]:
    """COI-5: doing business with an organisation linked to a family member
    is disclosed first, unless the family member only works there and the
    filer does not deal with it."""
    relation = normalize_relation(facts.relation)
    if not is_family(relation):
        text = _SAY["coi1_not_family"].format(who=_words(relation))
        return [F("COI-1", NEEDS_APPROVAL, text)]
    if facts.family_member_only_works_there and not facts.employee_deals_with_it:
        return [F("COI-5", ALLOWED, _SAY["coi5_exception"])]
    found = [F("COI-5", NEEDS_APPROVAL, _SAY["coi5_disclose"])]
    if not facts.family_member_only_works_there:
        held = replace(facts, holder=relation)
        found += [f for f in _interest(held, roles) if f.verdict != ALLOWED]
    return found


def _loan(facts: ConflictFacts, roles: Roles) -> list[Finding]:
    """LOAN-1: prohibited for executive officers and directors; Board-approved
    policy for officers VP and above; otherwise it needs approval."""
    what = "guarantee" if facts.loan_is_guarantee else "personal loan"
    if roles.is_executive_officer or roles.is_director:
        return [F("LOAN-1", PROHIBITED, _SAY["loan_prohibited"].format(what=what))]
    key = "loan_vp" if roles.is_vp_or_above else "loan_staff"
    return [F("LOAN-1", NEEDS_APPROVAL, _SAY[key].format(what=what))]


def _related_party(facts: ConflictFacts) -> list[Finding]:
    """RPT-1: a loan to the company by an insider (e.g. a convertible note)
    goes to the Board, with its terms spelled out."""
    terms = []
    if facts.counterparty:
        terms.append(f"with {facts.counterparty}")
    if facts.principal is not None:
        terms.append(f"principal ${facts.principal:,.2f}")
    if facts.interest_rate_percent is not None:
        terms.append(f"{facts.interest_rate_percent}% interest")
    if facts.maturity is not None:
        terms.append(f"maturing {facts.maturity.isoformat()}")
    if facts.conversion_terms:
        terms.append(f"convertible: {facts.conversion_terms}")
    detail = f" Terms: {', '.join(terms)}." if terms else ""
    return [F("RPT-1", NEEDS_APPROVAL, _SAY["rpt"].format(detail=detail))]


def _by_kind(facts: ConflictFacts, roles: Roles) -> list[Finding]:
    """The kind-specific findings (COI-5..11, LOAN-1, RPT-1; COI-1 for OTHER)."""
    kind, director = facts.kind, roles.is_non_employee_director
    if kind == ConflictKind.FAMILY_AT_BUSINESS_PARTNER:
        return _family_at_partner(facts, roles)
    if kind == ConflictKind.FINANCIAL_INTEREST:
        return _interest(facts, roles)
    if kind == ConflictKind.OUTSIDE_EMPLOYMENT and director:
        return [F("COI-8", ALLOWED, _SAY["coi8_director"])]
    if kind == ConflictKind.OUTSIDE_EMPLOYMENT:
        return [F("COI-8", NEEDS_APPROVAL, _SAY["coi8_disclose"])]
    if kind == ConflictKind.BOARD_SEAT and director:
        return [F("COI-9", ALLOWED, _SAY["coi9_director"])]
    if kind == ConflictKind.BOARD_SEAT:
        return [F("COI-9", NEEDS_APPROVAL, _SAY["coi9_approval"])]
    if kind == ConflictKind.RELATIVE_IN_REPORTING_LINE:
        relation = normalize_relation(facts.relation)
        if relation and not is_family(relation) and relation != CLOSE_FRIEND:
            text = _SAY["coi10_unrelated"].format(who=_words(relation))
            return [F("COI-10", ALLOWED, text)]
        return [F("COI-10", NEEDS_APPROVAL, _SAY["coi10_approval"])]
    if kind == ConflictKind.BUSINESS_OPPORTUNITY and facts.diverts_opportunity:
        return [F("COI-11", PROHIBITED, _SAY["coi11_diverted"])]
    if kind == ConflictKind.BUSINESS_OPPORTUNITY:
        return [F("COI-11", NEEDS_APPROVAL, _SAY["coi11_disclosed"])]
    if kind == ConflictKind.LOAN and facts.loan_from_company:
        return _loan(facts, roles)
    if kind in (ConflictKind.LOAN, ConflictKind.RELATED_PARTY_TRANSACTION):
        return _related_party(facts)
    return [F("COI-1", NEEDS_APPROVAL, _SAY["coi1_other"])]


def assess_conflict(facts: ConflictFacts, *, roles: Roles) -> Outcome:
    """COI-1, COI-5..11, LOAN-1, RPT-1: the verdict on one disclosure.

    The kind-specific finding comes first; a COI-1 finding (disclosed,
    documented) follows unless the kind's finding already is COI-1 or the
    COI-5 exception says no disclosure is needed. The approver is left
    None: routing decides (COI-2, COI-3, COI-7, RPT-1).
    """
    found = _by_kind(facts, roles)
    no_disclosure_needed = any(f.rule_id == "COI-5" and f.verdict == ALLOWED for f in found)
    if not no_disclosure_needed and all(f.rule_id != "COI-1" for f in found):
        found.append(_coi1(combine(found)))
    return Outcome.of(found)
