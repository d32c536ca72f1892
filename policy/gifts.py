"""Gifts, entertainment, payments to officials and political money.

Rule ids: GIFT-1, GIFT-2, GIFT-3, GIFT-4, GIFT-5, POL-1, GOV-1.

Currency: the $250 line is applied to `value_in_usd` when the caller gives
it, otherwise to `value` as entered, whatever `currency` says. Converting
a foreign-currency value is the caller's job; this module has no rates.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from policy.deadlines import add_months
from policy.money import money
from policy.outcomes import Finding, Outcome, Verdict

F = Finding

GIFT_VALUE_LIMIT = Decimal("250.00")
"""GIFT-3, GIFT-5: a gift must be worth *under* this; $250.00 itself is not."""

ENTERTAINMENT_REVIEW_LIMIT = GIFT_VALUE_LIMIT
"""GIFT-4, GIFT-5 say only "reasonable value"; our reading: at or above this
amount the compliance officer judges whether it is reasonable."""

DEFAULT_OCCASIONAL_LIMIT = 2
"""GIFT-3, GIFT-4 "only occasionally": a third gift from the same
counterparty within 12 months is not occasional."""

ALLOWED, NEEDS_APPROVAL, PROHIBITED = (
    Verdict.ALLOWED,
    Verdict.NEEDS_APPROVAL,
    Verdict.PROHIBITED,
)


class GiftKind(StrEnum):
    GIFT = "gift"
    MEAL = "meal"
    ENTERTAINMENT = "entertainment"  # includes a sporting event
    TRAVEL = "travel"
    OTHER = "other"

    @property
    def is_entertainment(self) -> bool:
        """GIFT-4 covers "a sporting activity, entertainment or meal"; paid
        travel is hospitality of the same sort."""
        return self in (GiftKind.MEAL, GiftKind.ENTERTAINMENT, GiftKind.TRAVEL)


class Direction(StrEnum):
    RECEIVED = "received"
    GIVEN = "given"


@dataclass(frozen=True)
class GiftFacts:
    """What the filer tells us about one gift, meal or payment.

    `solicited`: the gift was asked for (GIFT-1). `occasion`: a commonly
    recognised occasion such as "holiday" or "wedding", empty if none
    (GIFT-3). `promotional_item`: a novelty or promotional item, which the
    Code allows without an occasion. `giver_representative_present`: None
    when not stated (GIFT-4).
    """

    direction: Direction
    kind: GiftKind
    value: Decimal
    currency: str = "USD"
    is_cash_or_equivalent: bool = False
    solicited: bool = False
    occasion: str = ""
    business_purpose: str = ""
    giver_representative_present: bool | None = None
    government_official: bool = False
    foreign_government_official: bool = False
    political_contribution_from_company_funds: bool = False
    lavish: bool = False
    would_embarrass: bool = False
    promotional_item: bool = False
    value_in_usd: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "kind", GiftKind(self.kind))
        object.__setattr__(self, "value", _money(self.value, "value"))
        if self.value_in_usd is not None:
            object.__setattr__(self, "value_in_usd", _money(self.value_in_usd, "value_in_usd"))
        currency = (self.currency or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValueError(f"Currency must be a code such as USD, not {self.currency!r}.")
        object.__setattr__(self, "currency", currency)

    @property
    def comparable_value(self) -> Decimal:
        """GIFT-3, GIFT-5: the amount compared with the $250 line (see the
        module docstring on currency)."""
        return self.value_in_usd if self.value_in_usd is not None else self.value

    @property
    def to_government_official(self) -> bool:
        """GOV-1: a foreign official is a government official too."""
        return self.government_official or self.foreign_government_official


def _money(value: object, name: str) -> Decimal:
    """Money is Decimal, never float, and never negative."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"The gift's {name} must be a Decimal (not {type(value).__name__}).")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"The gift's {name} must be a finite amount.")
    if value < 0:
        raise ValueError(f"The gift's {name} cannot be negative (got {value}).")
    return value


def _amount(facts: GiftFacts) -> str:
    return money(facts.value, facts.currency)


# What the filer reads, one line per reason.
_SAY = {
    "political": "Company funds never go to political parties, committees or candidates.",
    "cash": "Cash or cash equivalents are never accepted or given, whatever the amount.",
    "solicited": "A gift or favour must never be solicited.",
    "foreign": ("A payment or gift to a foreign government official needs approval before it is made."),
    "official": "Anything of value for a government official needs the compliance officer to be consulted first.",
    "not_occasional": "Not occasional: this is gift number {n} from the same counterparty within 12 months.",
    "gift_value": "A gift must be worth under ${limit}; this one is worth {amount}.",
    "no_occasion": (
        "A gift may be accepted only for a commonly recognised occasion (such as a holiday, promotion, wedding or "
        "retirement) or as a promotional item."
    ),
    "not_modest": "Only a modest gift may be accepted; this one is described as lavish.",
    "embarrass": "Disclosure could embarrass the company or the people involved.",
    "gift_ok": "A modest, occasional gift under $250: allowed, and logged.",
    "no_purpose": "Entertainment or a meal may be accepted only with a valid business purpose; none was given.",
    "lavish": "Entertainment or a meal must be of reasonable value and not lavish.",
    "judge_value": "At {amount} the compliance officer judges whether the value is reasonable.",
    "rep_unknown": "It was not stated whether a representative of the giver's company was present.",
    "rep_absent": "A representative of the giver's company should be present, and was not.",
    "entertainment_ok": (
        "Occasional, reasonable entertainment with a business purpose and the giver present: allowed, and logged."
    ),
    "given_value": "A gift given must be worth under ${limit}; this one is worth {amount}.",
    "given_lavish": "A gift or entertainment given must be reasonable and customary, not lavish or extravagant.",
    "given_purpose": "A gift or entertainment given must support a legitimate business interest; none was given.",
    "given_embarrass": "A gift or entertainment given must not embarrass the company or the recipient if disclosed.",
    "given_ok": "A reasonable, customary gift or entertainment for a business purpose: allowed, and logged.",
}


def _always_prohibited(facts: GiftFacts) -> list[Finding]:
    """POL-1, GIFT-2, GIFT-1: the lines that no approval can move."""
    found = []
    if facts.political_contribution_from_company_funds:
        found.append(F("POL-1", PROHIBITED, _SAY["political"]))
    if facts.is_cash_or_equivalent:
        found.append(F("GIFT-2", PROHIBITED, _SAY["cash"]))
    if facts.solicited:
        found.append(F("GIFT-1", PROHIBITED, _SAY["solicited"]))
    return found


def _government(facts: GiftFacts) -> list[Finding]:
    """GOV-1: anything of value given to a government official; a foreign
    official needs approval before the payment is made."""
    if facts.direction != Direction.GIVEN or not facts.to_government_official:
        return []
    key = "foreign" if facts.foreign_government_official else "official"
    return [F("GOV-1", NEEDS_APPROVAL, _SAY[key])]


def gifts_sharing_a_year(day: date, others: Iterable[date]) -> int:
    """GIFT-3, GIFT-4 "only occasionally": how many other gifts from the same giver
    fall in the busiest 12-month window that contains this gift's date.

    A gift logged late, dated before gifts already logged, is counted against
    the later ones too: the windows considered start at every earlier gift
    within 12 months and at the gift's own date (which reaches forward). A
    window is [start, start + 12 months)."""
    nearby = sorted(d for d in others if add_months(d, 12) > day and add_months(day, 12) > d)
    starts = [d for d in nearby if d <= day] + [day]
    return max((sum(1 for d in nearby if s <= d < add_months(s, 12)) for s in starts), default=0)


def _not_occasional(rule_id: str, prior: int, limit: int) -> list[Finding]:
    """GIFT-3, GIFT-4: "only occasionally" ends at `limit` earlier gifts."""
    if prior < limit:
        return []
    return [F(rule_id, NEEDS_APPROVAL, _SAY["not_occasional"].format(n=prior + 1))]


def _received_gift(facts: GiftFacts, prior: int, limit: int) -> list[Finding]:
    """GIFT-3: a modest, occasional, unsolicited gift for an occasion, under $250."""
    amount, found = _amount(facts), _not_occasional("GIFT-3", prior, limit)
    if facts.comparable_value >= GIFT_VALUE_LIMIT:
        text = _SAY["gift_value"].format(limit=GIFT_VALUE_LIMIT, amount=amount)
        found.append(F("GIFT-3", NEEDS_APPROVAL, text))
    if not facts.occasion.strip() and not facts.promotional_item:
        found.append(F("GIFT-3", NEEDS_APPROVAL, _SAY["no_occasion"]))
    if facts.lavish:
        found.append(F("GIFT-3", NEEDS_APPROVAL, _SAY["not_modest"]))
    if facts.would_embarrass:
        found.append(F("GIFT-3", NEEDS_APPROVAL, _SAY["embarrass"]))
    return found or [F("GIFT-3", ALLOWED, _SAY["gift_ok"])]


def _received_entertainment(facts: GiftFacts, prior: int, limit: int) -> list[Finding]:
    """GIFT-4: occasional, for a business purpose, reasonable, not lavish,
    with a representative of the giver present."""
    found = _not_occasional("GIFT-4", prior, limit)
    if not facts.business_purpose.strip():
        found.append(F("GIFT-4", NEEDS_APPROVAL, _SAY["no_purpose"]))
    if facts.lavish:
        found.append(F("GIFT-4", NEEDS_APPROVAL, _SAY["lavish"]))
    elif facts.comparable_value >= ENTERTAINMENT_REVIEW_LIMIT:
        text = _SAY["judge_value"].format(amount=_amount(facts))
        found.append(F("GIFT-4", NEEDS_APPROVAL, text))
    if facts.giver_representative_present is None:
        found.append(F("GIFT-4", NEEDS_APPROVAL, _SAY["rep_unknown"]))
    elif not facts.giver_representative_present:
        found.append(F("GIFT-4", NEEDS_APPROVAL, _SAY["rep_absent"]))
    if facts.would_embarrass:
        found.append(F("GIFT-4", NEEDS_APPROVAL, _SAY["embarrass"]))
    return found or [F("GIFT-4", ALLOWED, _SAY["entertainment_ok"])]


def _given(facts: GiftFacts) -> list[Finding]:
    """GIFT-5: gifts given under $250, entertainment reasonable, both for a
    legitimate business interest, customary and not embarrassing."""
    found = []
    if facts.lavish:
        found.append(F("GIFT-5", NEEDS_APPROVAL, _SAY["given_lavish"]))
    elif facts.kind.is_entertainment and facts.comparable_value >= ENTERTAINMENT_REVIEW_LIMIT:
        text = _SAY["judge_value"].format(amount=_amount(facts))
        found.append(F("GIFT-5", NEEDS_APPROVAL, text))
    if not facts.kind.is_entertainment and facts.comparable_value >= GIFT_VALUE_LIMIT:
        text = _SAY["given_value"].format(limit=GIFT_VALUE_LIMIT, amount=_amount(facts))
        found.append(F("GIFT-5", NEEDS_APPROVAL, text))
    if not facts.business_purpose.strip():
        found.append(F("GIFT-5", NEEDS_APPROVAL, _SAY["given_purpose"]))
    if facts.would_embarrass:
        found.append(F("GIFT-5", NEEDS_APPROVAL, _SAY["given_embarrass"]))
    return found or [F("GIFT-5", ALLOWED, _SAY["given_ok"])]


def assess_gift(
    facts: GiftFacts,
    *,
    prior_from_same_counterparty_12m: int = 0,
    occasional_limit: int = DEFAULT_OCCASIONAL_LIMIT,
) -> Outcome:
    """GIFT-1..5, POL-1, GOV-1: the verdict on one gift, meal or payment.

    Every finding is kept, so the filer sees all the reasons at once; the
    verdict is the worst of them. `prior_from_same_counterparty_12m` counts
    earlier gifts from the same giver in the last 12 months: once it reaches
    `occasional_limit` the gift is no longer occasional (GIFT-3, GIFT-4).
    The approver is left None: routing decides who approves.
    """
    if prior_from_same_counterparty_12m < 0:
        raise ValueError("The number of earlier gifts cannot be negative.")
    if occasional_limit < 0:
        raise ValueError("The occasional limit cannot be negative.")
    if facts.value < 0:  # GiftFacts already refuses this; kept for hand-built facts
        raise ValueError(f"The gift's value cannot be negative (got {facts.value}).")
    found = _always_prohibited(facts) + _government(facts)
    if facts.direction == Direction.GIVEN:
        found += _given(facts)
    elif facts.kind.is_entertainment:
        found += _received_entertainment(facts, prior_from_same_counterparty_12m, occasional_limit)
    else:
        found += _received_gift(facts, prior_from_same_counterparty_12m, occasional_limit)
    if any(f.verdict != ALLOWED for f in found):
        found = [f for f in found if f.verdict != ALLOWED]
    return Outcome.of(found)
