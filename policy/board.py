"""Board governance: board independence, the audit committee, the cure and
disclosure clocks of a deficiency, and related-party transactions.

Rule ids: BOARD-1, BOARD-2, RPT-1.

The facts come from the dated roster (who held a seat on a day); these
functions only count and compare, so they are tested as tables without a
database (`tests/policy/test_policy_board.py`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

AUDIT_COMMITTEE_MINIMUM = 3
"""BOARD-2: the listing rules' audit committee has at least three members."""

DISCLOSURE_BUSINESS_DAYS = 4
"""BOARD-1, BOARD-2: the company discloses an exchange's deficiency letter
publicly within four business days of receiving it."""

LARGE_HOLDER_PERCENT = Decimal("5")
"""RPT-1: a holder of more than 5 % of a class of the company's voting
securities is a related party (SEC Regulation S-K, Item 404)."""

REVIEW_EVERY_DAYS = 365
"""RPT-1: an ongoing related-party transaction is reviewed again every year."""


@dataclass(frozen=True)
class Member:
    """One seat on a day: the person's name and whether they are independent."""

    name: str
    independent: bool


@dataclass(frozen=True)
class Composition:
    """The Board and its audit committee on one day."""

    day: date
    directors: tuple[Member, ...] = ()
    audit_committee: tuple[Member, ...] = ()

    @property
    def independent_directors(self) -> int:
        """BOARD-1: how many directors are independent."""
        return sum(1 for m in self.directors if m.independent)

    @property
    def audit_independent(self) -> int:
        """BOARD-2: how many audit committee members are independent directors."""
        return sum(1 for m in self.audit_committee if m.independent)


@dataclass(frozen=True)
class Check:
    """One rule's answer about a composition."""

    rule_id: str
    passed: bool
    reason: str


def independent_majority(directors: int, independent: int) -> bool:
    """BOARD-1: a majority means more than half; exactly half is not a majority."""
    if independent < 0 or directors < 0 or independent > directors:
        raise ValueError("The number of independent directors must be between 0 and the number of directors.")
    return directors > 0 and 2 * independent > directors


def audit_committee_ok(members: int, independent: int) -> bool:
    """BOARD-2: at least three members, every one of them independent."""
    if independent < 0 or members < 0 or independent > members:
        raise ValueError("The number of independent members must be between 0 and the number of members.")
    return members >= AUDIT_COMMITTEE_MINIMUM and independent == members


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def assess_board(composition: Composition) -> tuple[Check, Check]:
    """BOARD-1, BOARD-2: the two listing rules checked on one day's composition."""
    n, ind = len(composition.directors), composition.independent_directors
    if independent_majority(n, ind):
        board = Check("BOARD-1", True, f"{ind} of {_plural(n, 'director')} are independent: a majority.")
    else:
        board = Check(
            "BOARD-1",
            False,
            f"{ind} of {_plural(n, 'director')} are independent: not a majority (more than half is needed).",
        )
    m, aind = len(composition.audit_committee), composition.audit_independent
    if audit_committee_ok(m, aind):
        audit = Check("BOARD-2", True, f"The audit committee has {_plural(m, 'member')}, all independent.")
    elif m < AUDIT_COMMITTEE_MINIMUM:
        audit = Check(
            "BOARD-2",
            False,
            f"The audit committee has {_plural(m, 'member')}: at least {AUDIT_COMMITTEE_MINIMUM} are needed.",
        )
    else:
        audit = Check(
            "BOARD-2",
            False,
            f"The audit committee has {m - aind} non-independent of {_plural(m, 'member')}: all must be independent.",
        )
    return board, audit


def breaches(composition: Composition) -> list[Check]:
    """BOARD-1, BOARD-2: the checks that fail on that day."""
    return [check for check in assess_board(composition) if not check.passed]


def one_year_after(day: date) -> date:
    """BOARD-1, RPT-1: the same day a year later (February 29 becomes February 28)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def cure_deadline(event_date: date, next_annual_meeting: date | None = None) -> date:
    """BOARD-1, BOARD-2: the cure period ends on the earlier of the company's next
    annual meeting and one year after the event that broke the rule (NASDAQ
    Marketplace Rule 4350(c)(1); the seeds' February 2006 letter). A meeting
    before the event is not "next" and is ignored."""
    year = one_year_after(event_date)
    if next_annual_meeting is None or next_annual_meeting < event_date:
        return year
    return min(year, next_annual_meeting)


def next_meeting(event_date: date, meetings: Iterable[date]) -> date | None:
    """BOARD-1: the first annual meeting on or after the event, if one is entered."""
    after = sorted(day for day in meetings if day >= event_date)
    return after[0] if after else None


def business_days_after(start: date, business_days: int, *, holidays: Iterable[date] = frozenset()) -> date:
    """BOARD-1: the day `business_days` business days after `start` (which does not count),
    skipping Saturdays, Sundays and the configured holidays."""
    if business_days < 0:
        raise ValueError("The number of business days cannot be negative.")
    closed = frozenset(holidays)
    day, remaining = start, business_days
    while remaining:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            remaining -= 1
    return day


def disclosure_deadline(letter_received: date, *, holidays: Iterable[date] = frozenset()) -> date:
    """BOARD-1, BOARD-2: the deficiency is disclosed publicly within four business
    days after the exchange's letter is received (the day of receipt does not count)."""
    return business_days_after(letter_received, DISCLOSURE_BUSINESS_DAYS, holidays=holidays)


# --- RPT-1: related-party transactions ------------------------------------------------


class Relationship(StrEnum):
    DIRECTOR = "director"
    EXECUTIVE_OFFICER = "executive_officer"
    FAMILY_MEMBER = "family_member"
    LARGE_HOLDER = "large_holder"
    NONE = "none"


class Body(StrEnum):
    BOARD = "board"
    AUDIT_COMMITTEE = "audit"


class Outcome(StrEnum):
    APPROVED = "approved"
    RATIFIED = "ratified"
    REJECTED = "rejected"


def is_related_party(relationship: str, *, holding_percent: Decimal | None = None) -> bool:
    """RPT-1: directors, executive officers, their family members and large holders
    (more than 5 %) are related parties; a holder of exactly 5 % is not."""
    relationship = Relationship(relationship)
    if relationship == Relationship.LARGE_HOLDER:
        return holding_percent is None or holding_percent > LARGE_HOLDER_PERCENT
    return relationship != Relationship.NONE


def approval_stands(body: str, outcome: str) -> bool:
    """RPT-1: a related-party transaction stands once the Board or its audit
    committee approved it beforehand or ratified it afterwards."""
    return Body(body) in (Body.BOARD, Body.AUDIT_COMMITTEE) and Outcome(outcome) in (
        Outcome.APPROVED,
        Outcome.RATIFIED,
    )


def review_due(last_reviewed: date) -> date:
    """RPT-1: the next yearly review of an approved transaction."""
    return one_year_after(last_reviewed)


def review_needed(last_reviewed: date | None, today: date, *, ended: date | None = None) -> bool:
    """RPT-1: an approved transaction still running is reviewed again once a year;
    one never approved is not "reviewed" (it waits for its first decision), and
    one that has ended needs no review."""
    if last_reviewed is None or (ended is not None and ended < today):
        return False
    return today >= review_due(last_reviewed)
