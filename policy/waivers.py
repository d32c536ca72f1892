"""Waivers of the Code and their public disclosure.

Rule ids: WAIVE-1, WAIVE-2.
"""

from datetime import date, timedelta

from policy.outcomes import Finding, Outcome, Verdict
from policy.roles import Roles

DISCLOSURE_BUSINESS_DAYS = 4
"""WAIVE-2: a listed company discloses a director's or executive officer's
waiver within four business days."""


def waiver_requires_disclosure(roles: Roles) -> bool:
    """WAIVE-2: a waiver for any director (employee directors included) or
    executive officer is decided by the Board and must be disclosed."""
    return roles.is_director_or_executive_officer


def assess_waiver(*, provision: str, roles: Roles) -> Outcome:
    """WAIVE-1, WAIVE-2: a waiver always needs a decision.

    WAIVE-1: made in writing to the compliance officer, who decides.
    WAIVE-2: for a director or executive officer the Board or its committee
    decides, and the waiver is promptly disclosed (publicly, within four
    business days, for a listed company).
    """
    provision = (provision or "").strip()
    if not provision:
        raise ValueError("A waiver request must name the provision of the Code to be waived.")
    if waiver_requires_disclosure(roles):
        finding = Finding(
            "WAIVE-2",
            Verdict.NEEDS_APPROVAL,
            f"A waiver of {provision} for a director or executive officer is decided by the Board "
            f"or its designated committee and, if granted, is disclosed publicly within "
            f"{DISCLOSURE_BUSINESS_DAYS} business days.",
        )
    else:
        finding = Finding(
            "WAIVE-1",
            Verdict.NEEDS_APPROVAL,
            f"A waiver of {provision} is decided by the compliance officer.",
        )
    return Outcome.of([finding])


def disclosure_due(
    decided_on: date,
    *,
    business_days: int = DISCLOSURE_BUSINESS_DAYS,
    holidays: frozenset[date] = frozenset(),
) -> date:
    """WAIVE-2: the last day to disclose a waiver the Board approved on
    `decided_on`: that many business days later, skipping Saturdays,
    Sundays and the given holidays. The decision day itself does not count.
    """
    if business_days < 0:
        raise ValueError("The number of business days cannot be negative.")
    day = decided_on
    remaining = business_days
    while remaining:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            remaining -= 1
    return day
