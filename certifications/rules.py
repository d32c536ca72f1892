"""Small pure rules of the certification workflow (no Django imports).

The reminder plan itself is in `policy.deadlines` (shared with the rest of the
app); what is here is specific to who must sign, by when, and how a typed
name is compared with the roster.
"""

from __future__ import annotations

from datetime import date, timedelta

ANNUAL_QUESTIONS = (
    ("complied", "During the past year I complied with the Code of Business Conduct and Ethics."),
    ("no_unreported_violation", "I know of no violation of the Code that I have not reported."),
    ("conflicts_disclosed", "I have disclosed every actual or potential conflict of interest of mine."),
)
"""CERT-2: the annual questionnaire. A "no" needs an explanation (the exception)."""


def is_new_hire(*, hire_date: date | None, today: date, days: int) -> bool:
    """CERT-1: someone who joined no more than `days` days ago (and not in the future)
    still owes the confirmation certificate. People hired earlier, imported into the
    roster for the first time, are not new hires."""
    return hire_date is not None and hire_date <= today and (today - hire_date).days <= days


def new_hire_due_date(*, hire_date: date, days: int) -> date:
    """CERT-1: the confirmation certificate is due `days` days after the hire date."""
    return hire_date + timedelta(days=days)


def late_joiner_due_date(*, campaign_due: date | None, today: date, days: int) -> date:
    """ROLE-1/CERT-2: someone promoted into the audience while a campaign is open gets
    the campaign's due date, but never fewer than `days` days to sign."""
    floor = today + timedelta(days=days)
    return max(campaign_due, floor) if campaign_due else floor


def normalise_name(name: str) -> str:
    """Names are compared ignoring case and runs of whitespace."""
    return " ".join(name.split()).casefold()


def names_match(typed: str, roster_name: str) -> bool:
    return bool(typed.strip()) and normalise_name(typed) == normalise_name(roster_name)


def answers_need_exception(answers: dict[str, bool]) -> bool:
    """CERT-2: any "no" to the questionnaire must be explained."""
    return any(answers.get(key) is False for key, _ in ANNUAL_QUESTIONS)
