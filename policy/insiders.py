"""Securities laws and insider trading: who is an insider, blackout windows,
pre-clearance of trades and the SEC Form 4 reminder.

Rule ids: INS-1, INS-2, INS-3, INS-4, INS-5 (BRIEF.md, the Code's section
"Securities Laws and Insider Trading"). Stdlib only: the Django side turns the
roster, the insider lists and the windows into the plain values below.

Days: a *trading day* is a weekday that is not a configured holiday (the market
is closed on weekends and on the exchange's holidays); a *business day* is
counted the same way. Every window here is inclusive at both ends.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from policy.outcomes import Finding, Outcome, Verdict
from policy.roles import Designation, Roles
from policy.routing import Decider

FORM4_BUSINESS_DAYS = 2
"""INS-5: Form 4 is due two business days after the trade."""


class Security(StrEnum):
    COMPANY = "company"  # the company's own securities
    OTHER = "other"  # another public company's securities (INS-3)


class Side(StrEnum):
    BUY = "buy"
    SELL = "sell"


class Status(StrEnum):
    """A pre-clearance request's life."""

    REFUSED = "refused"  # the policy refused it (INS-1, INS-3, INS-4): nobody decides
    PENDING = "pending"  # waiting for the compliance officer (or the audit committee)
    APPROVED = "approved"
    DENIED = "denied"
    TRADED = "traded"
    NOT_TRADED = "not_traded"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.REFUSED: "Refused by the policy",
    Status.PENDING: "Waiting for a decision",
    Status.APPROVED: "Approved",
    Status.DENIED: "Denied",
    Status.TRADED: "Trade reported",
    Status.NOT_TRADED: "Did not trade",
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REFUSED: frozenset(),
    Status.PENDING: frozenset({Status.APPROVED, Status.DENIED}),
    Status.APPROVED: frozenset({Status.TRADED, Status.NOT_TRADED}),
    Status.DENIED: frozenset(),
    Status.TRADED: frozenset(),
    Status.NOT_TRADED: frozenset(),
}


def can_transition(src: str, dst: str) -> bool:
    """INS-4: pending → approved or denied; approved → traded or did not trade."""
    return Status(dst) in TRANSITIONS[Status(src)]


# --- Who is an insider ----------------------------------------------------------------


def is_designated_insider(roles: Roles) -> bool:
    """INS-4: directors and executive officers always; designated employees by a
    dated designation (the roster's "designated insider")."""
    return roles.is_director_or_executive_officer or Designation.DESIGNATED_INSIDER in roles.designations


def form4_required(roles: Roles) -> bool:
    """INS-5: directors and executive officers report their trades on Form 4."""
    return roles.is_director_or_executive_officer


# --- Days ---------------------------------------------------------------------------


def is_trading_day(day: date, holidays: Iterable[date] = frozenset()) -> bool:
    """INS-4, INS-5: a weekday that is not a configured holiday."""
    return day.weekday() < 5 and day not in set(holidays)


def trading_days_after(day: date, count: int, holidays: Iterable[date] = frozenset()) -> date:
    """INS-4, INS-5: the `count`-th trading day after `day` (`day` itself not counted)."""
    if count < 0:
        raise ValueError("The number of days cannot be negative.")
    holidays = frozenset(holidays)
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_trading_day(day, holidays):
            remaining -= 1
    return day


def next_trading_day(day: date, holidays: Iterable[date] = frozenset()) -> date:
    """INS-4: `day` if it is a trading day, else the first trading day after it."""
    holidays = frozenset(holidays)
    while not is_trading_day(day, holidays):
        day += timedelta(days=1)
    return day


def form4_due(trade_date: date, holidays: Iterable[date] = frozenset()) -> date:
    """INS-5: Form 4 is due two business days after the trade (the trade day not
    counted; weekends and configured holidays skipped)."""
    return trading_days_after(trade_date, FORM4_BUSINESS_DAYS, holidays)


# --- Blackout windows (INS-4) ----------------------------------------------------------


def quarter_end(day: date) -> date:
    """INS-4: the last day of the calendar quarter holding `day`."""
    month = ((day.month - 1) // 3 + 1) * 3
    following = date(day.year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def quarterly_blackout(
    *,
    quarter_ends_on: date,
    earnings_release: date,
    days_before: int,
    trading_days_after: int,
    holidays: Iterable[date] = frozenset(),
) -> tuple[date, date]:
    """INS-4: the quarterly window: from `days_before` calendar days before the
    quarter's last day until the `trading_days_after`-th trading day after the
    earnings release (both ends inclusive: trading reopens the next day)."""
    if days_before < 0 or trading_days_after < 0:
        raise ValueError("The window's lengths cannot be negative.")
    if earnings_release < quarter_ends_on:
        raise ValueError("The earnings release comes after the quarter ends.")
    start = quarter_ends_on - timedelta(days=days_before)
    end = _after(earnings_release, trading_days_after, holidays)
    return start, end


def _after(day, count, holidays):
    return trading_days_after(day, count, holidays)  # the caller's argument shadows the name


@dataclass(frozen=True)
class Window:
    """A blackout window that covers the requester (the caller decides coverage:
    designated insiders for a quarterly window, the project's list for an event window)."""

    name: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A window cannot end before it starts.")

    def holds(self, day: date) -> bool:
        """INS-4: inclusive at both ends."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Project:
    """An open project with material non-public information the requester is on
    the list of. `ticker`/`company` name the other company when the information
    is about another company's securities (INS-3); empty for the company's own."""

    name: str
    company: str = ""
    ticker: str = ""

    @property
    def about_other_company(self) -> bool:
        """INS-3: the information is about another company's securities."""
        return bool(self.company or self.ticker)


# --- Pre-clearance (INS-1, INS-3, INS-4) --------------------------------------------------


@dataclass(frozen=True)
class TradeFacts:
    """What the requester enters."""

    security: Security
    side: Side
    quantity: int
    planned_date: date
    trading_plan: bool = False
    company: str = ""  # another company's name (security=other)
    ticker: str = ""  # and its ticker

    def __post_init__(self) -> None:
        object.__setattr__(self, "security", Security(self.security))
        object.__setattr__(self, "side", Side(self.side))
        if self.quantity <= 0:
            raise ValueError("The quantity must be more than zero.")
        if self.security == Security.OTHER and not (self.company.strip() or self.ticker.strip()):
            raise ValueError("Name the other company (or its ticker).")


def _same_company(facts: TradeFacts, project: Project) -> bool:
    """INS-3: the trade is in the securities the project's information is about."""
    if facts.ticker and project.ticker and facts.ticker.strip().upper() == project.ticker.strip().upper():
        return True
    return bool(
        facts.company and project.company and facts.company.strip().casefold() == project.company.strip().casefold()
    )


def assess_preclearance(
    *,
    facts: TradeFacts,
    roles: Roles,
    on_lists: Iterable[Project] = (),
    windows: Iterable[Window] = (),
    organisation: str = "the company",
) -> Outcome:
    """INS-1, INS-3, INS-4: may this trade be put to the compliance officer?

    Refused (PROHIBITED, nobody decides) when:
    - INS-1: the requester is on the list of an open project about the company,
      and the trade is in the company's securities;
    - INS-3: the requester is on the list of an open project about another company,
      and the trade is in that company's securities;
    - INS-4: the planned date falls inside a blackout window that covers them
      (company securities only: windows are about the company's results and events).
    Otherwise it NEEDS_APPROVAL (INS-4: pre-clearance by the compliance officer).
    A trade under a Rule 10b5-1 plan is recorded as such for the decider; the
    refusals above still apply (the plan's defence is for counsel to judge).
    """
    findings = []
    for project in on_lists:
        if facts.security == Security.COMPANY and not project.about_other_company:
            findings.append(
                Finding(
                    "INS-1",
                    Verdict.PROHIBITED,
                    f"You are on the insider list of {project.name}, which is not public yet: you may not trade "
                    f"{organisation} securities until it is public and the market has absorbed it.",
                )
            )
        elif facts.security == Security.OTHER and project.about_other_company and _same_company(facts, project):
            other = project.company or project.ticker
            findings.append(
                Finding(
                    "INS-3",
                    Verdict.PROHIBITED,
                    f"You are on the insider list of {project.name}, which holds non-public information about "
                    f"{other}: you may not trade its securities until that information is public.",
                )
            )
    if facts.security == Security.COMPANY:
        for window in windows:
            if window.holds(facts.planned_date):
                findings.append(
                    Finding(
                        "INS-4",
                        Verdict.PROHIBITED,
                        f"{facts.planned_date:%B} {facts.planned_date.day}, {facts.planned_date.year} is inside the "
                        f"blackout window {window.name} ({_day(window.start)} to {_day(window.end)}): "
                        "trading opens again the day after it ends.",
                    )
                )
    if not findings:
        plan = " Under a Rule 10b5-1 trading plan." if facts.trading_plan else ""
        findings.append(
            Finding(
                "INS-4",
                Verdict.NEEDS_APPROVAL,
                f"No blackout window or open insider list stops this trade: it needs pre-clearance.{plan}",
            )
        )
    if not is_designated_insider(roles):
        findings.append(
            Finding(
                "INS-2",
                Verdict.ALLOWED,
                "You are not a designated insider: pre-clearance is asked because you are on an insider list.",
            )
        )
    outcome = Outcome.of(findings)
    if outcome.verdict == Verdict.PROHIBITED:
        return outcome
    return outcome.with_approver(route_preclearance(roles))


def _day(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def route_preclearance(roles: Roles) -> Decider:
    """INS-4: the compliance officer decides; the compliance officer's own request
    goes one level up, to the audit committee."""
    return Decider.AUDIT_COMMITTEE if roles.is_compliance_officer else Decider.COMPLIANCE_OFFICER


def clearance_window(
    *, approved_on: date, planned_date: date, trading_days: int, holidays: Iterable[date] = frozenset()
) -> tuple[date, date]:
    """INS-4: an approval is valid for `trading_days` trading days, starting on the
    first trading day on or after the later of the approval and the planned date;
    it is valid through its last trading day inclusive, and not the day after."""
    if trading_days < 1:
        raise ValueError("An approval is valid for at least one trading day.")
    holidays = frozenset(holidays)
    first = next_trading_day(max(approved_on, planned_date), holidays)
    return first, trading_days_after(first, trading_days - 1, holidays)


def trade_within(trade_date: date, valid_from: date, valid_through: date) -> bool:
    """INS-4: a trade may be reported against an approval only inside its window."""
    return valid_from <= trade_date <= valid_through
