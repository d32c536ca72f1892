"""Who decides: the routing table of BRIEF.md.

Rule ids: COI-2, COI-3, COI-7, COI-8, WAIVE-1, WAIVE-2, REP-2, REP-3, ASK-1,
RPT-1, and "nobody decides about themselves" (the escalation ladder).

This module must not import `policy.outcomes` (outcomes imports `Decider`).
"""

from collections.abc import Callable
from enum import StrEnum

from policy.roles import Roles, no_roles


class Decider(StrEnum):
    """Who decides a case or filing."""

    BOARD = "board"  # the Board or its designated committee
    COMPLIANCE_OFFICER = "compliance_officer"
    AUDIT_COMMITTEE = "audit_committee"
    HR_DIRECTOR = "hr_director"
    SUPERVISOR = "supervisor"

    @property
    def label(self) -> str:
        return _DECIDER_LABELS[self]


_DECIDER_LABELS = {
    Decider.BOARD: "Board of Directors or its designated committee",
    Decider.COMPLIANCE_OFFICER: "Compliance officer",
    Decider.AUDIT_COMMITTEE: "Audit committee",
    Decider.HR_DIRECTOR: "Director of human resources",
    Decider.SUPERVISOR: "Immediate supervisor (or the compliance officer)",
}


class FilingKind(StrEnum):
    CONFLICT = "conflict"
    GIFT = "gift"
    PREAPPROVAL = "preapproval"
    WAIVER = "waiver"
    REPORT = "report"
    QUESTION = "question"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_case(self) -> bool:
        """REP-1, ASK-1: reports and questions are cases; the rest are filings."""
        return self in (FilingKind.REPORT, FilingKind.QUESTION)


_KIND_LABELS = {
    FilingKind.CONFLICT: "conflict disclosure",
    FilingKind.GIFT: "gift or entertainment log",
    FilingKind.PREAPPROVAL: "pre-approval request",
    FilingKind.WAIVER: "waiver request",
    FilingKind.REPORT: "report",
    FilingKind.QUESTION: "question",
}


class Category(StrEnum):
    """Report categories: the Code's sections."""

    ANTITRUST = "antitrust"
    ANTICORRUPTION = "anticorruption"
    INSIDER_TRADING = "insider_trading"
    IMPORT_EXPORT = "import_export"
    CONFLICTS = "conflicts"
    GIFTS = "gifts"
    FAIR_DEALING = "fair_dealing"
    PRESS = "press"
    POLITICAL = "political"
    COMPANY_ASSETS = "company_assets"
    HARASSMENT = "harassment"
    HEALTH_SAFETY_ENVIRONMENT = "health_safety_environment"
    ACCOUNTING = "accounting"
    RECORD_RETENTION = "record_retention"
    RETALIATION = "retaliation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.ANTITRUST: "Antitrust",
    Category.ANTICORRUPTION: "Anticorruption and bribery",
    Category.INSIDER_TRADING: "Insider trading",
    Category.IMPORT_EXPORT: "Import and export",
    Category.CONFLICTS: "Conflicts of interest",
    Category.GIFTS: "Gifts and entertainment",
    Category.FAIR_DEALING: "Fair dealing",
    Category.PRESS: "Responding to the press and others",
    Category.POLITICAL: "Political activity",
    Category.COMPANY_ASSETS: "Safeguarding company assets",
    Category.HARASSMENT: "Equal employment and harassment",
    Category.HEALTH_SAFETY_ENVIRONMENT: "Health, safety and the environment",
    Category.ACCOUNTING: "Accounting and audit",
    Category.RECORD_RETENTION: "Record retention",
    Category.RETALIATION: "Retaliation",
    Category.OTHER: "Other",
}

CATEGORY_CHOICES: list[tuple[str, str]] = [(c.value, c.label) for c in Category]


def route_filing(
    kind: FilingKind,
    *,
    filer: Roles,
    outside_employment: bool = False,
    related_party: bool = False,
) -> Decider:
    """Who decides a conflict, gift, pre-approval or waiver filing.

    - RPT-1: a related-party transaction always goes to the Board.
    - WAIVE-2: a waiver for any director (employee directors too) or
      executive officer goes to the Board; WAIVE-1: every other waiver to
      the compliance officer.
    - COI-2, COI-7: conflicts, pre-approvals and gifts of board-track filers
      (executive officers, non-employee directors) go to the Board.
    - COI-8: outside employment of a staff employee goes to the immediate
      supervisor. The Code says "supervisor or compliance officer": the
      compliance officer may always decide it too; SUPERVISOR is only the
      default inbox.
    - COI-3: for an officer titled Vice President or above the compliance
      officer decides, outside employment included (a supervisor never
      decides alone for a VP).
    - Everything else: the compliance officer.
    """
    kind = FilingKind(kind)
    if kind.is_case:
        raise ValueError(f"A {kind.label} is routed by category: use route_report().")
    if related_party:
        return Decider.BOARD
    if kind == FilingKind.WAIVER:
        if filer.is_director_or_executive_officer:
            return Decider.BOARD
        return Decider.COMPLIANCE_OFFICER
    if filer.board_track:
        return Decider.BOARD
    if outside_employment and filer.is_employee and not filer.is_vp_or_above:
        return Decider.SUPERVISOR
    return Decider.COMPLIANCE_OFFICER


def filing_routing_flags(kind: FilingKind, *, subkind: str, rule_ids) -> dict[str, bool]:
    """COI-8: outside employment (a conflict disclosure or a pre-approval) goes to
    the supervisor; RPT-1: a related-party transaction (an insider's loan to the
    company) goes to the Board. `rule_ids` are the Code's verdict's."""
    kind = FilingKind(kind)
    outside = subkind == "outside_employment" and kind in (FilingKind.CONFLICT, FilingKind.PREAPPROVAL)
    return {"outside_employment": outside, "related_party": "RPT-1" in set(rule_ids)}


def route_report(category: Category, *, kind: FilingKind = FilingKind.REPORT) -> Decider:
    """Who handles a report or a question, whatever the filer's role.

    REP-2: accounting, internal-control and audit concerns go to the audit
    committee. REP-3: harassment and discrimination go to the director of
    human resources. ASK-1: questions, and every other report, go to the
    compliance officer.
    """
    kind = FilingKind(kind)
    if not kind.is_case:
        raise ValueError(f"A {kind.label} is routed by the filer's role: use route_filing().")
    if kind == FilingKind.QUESTION:
        return Decider.COMPLIANCE_OFFICER
    category = Category(category)
    if category == Category.ACCOUNTING:
        return Decider.AUDIT_COMMITTEE
    if category == Category.HARASSMENT:
        return Decider.HR_DIRECTOR
    return Decider.COMPLIANCE_OFFICER


_ESCALATION = {
    Decider.SUPERVISOR: Decider.COMPLIANCE_OFFICER,
    Decider.HR_DIRECTOR: Decider.COMPLIANCE_OFFICER,
    Decider.COMPLIANCE_OFFICER: Decider.AUDIT_COMMITTEE,
    # The audit committee is a committee of the Board, so the Board is above it.
    Decider.AUDIT_COMMITTEE: Decider.BOARD,
    # Nobody is above the Board: a conflicted director recuses (COI-7) and
    # the rest of the Board or a designated committee decides.
    Decider.BOARD: Decider.BOARD,
}


def escalate(decider: Decider) -> Decider:
    """REP-2, REP-3: one level up when the would-be decider is the filer or a subject of
    the case (BRIEF.md: "nobody ever decides ... a case about themselves").

    compliance officer -> audit committee; HR director -> compliance
    officer; supervisor -> compliance officer; audit committee -> Board;
    Board -> Board (the top: conflicted members recuse instead).
    """
    return _ESCALATION[Decider(decider)]


def _never_conflicted(decider: Decider) -> bool:
    return False


def route(
    kind: FilingKind,
    *,
    filer: Roles | None,
    category: Category | None = None,
    outside_employment: bool = False,
    related_party: bool = False,
    conflicted: Callable[[Decider], bool] = _never_conflicted,
) -> Decider:
    """COI-2, COI-3, WAIVE-2, REP-2, REP-3, ASK-1: the decider for any filing
    or case, after escalation.

    Picks the base decider (`route_report` for reports and questions,
    `route_filing` for the rest) and, while `conflicted(decider)` says the
    would-be decider is the filer or a subject of the case, escalates one
    level, stopping at the Board. `filer=None` is an anonymous reporter; a
    report without a category counts as OTHER.
    """
    kind = FilingKind(kind)
    if kind.is_case:
        decider = route_report(category or Category.OTHER, kind=kind)
    else:
        decider = route_filing(
            kind,
            filer=filer if filer is not None else no_roles(),
            outside_employment=outside_employment,
            related_party=related_party,
        )
    while conflicted(decider):
        higher = escalate(decider)
        if higher == decider:
            break
        decider = higher
    return decider
