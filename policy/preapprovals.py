"""Things that need approval before they happen.

Rule ids: TRADE-1, GOV-1, COI-8, COI-9.
"""

from enum import StrEnum

from policy.outcomes import Finding, Outcome, Verdict
from policy.roles import Roles


class PreApprovalKind(StrEnum):
    TRADE_ASSOCIATION = "trade_association"
    GOVERNMENT_OFFICIAL = "government_official"
    OUTSIDE_EMPLOYMENT = "outside_employment"
    BOARD_SEAT = "board_seat"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    PreApprovalKind.TRADE_ASSOCIATION: "Trade association membership",
    PreApprovalKind.GOVERNMENT_OFFICIAL: "Something of value for a government official",
    PreApprovalKind.OUTSIDE_EMPLOYMENT: "Outside employment",
    PreApprovalKind.BOARD_SEAT: "Seat on another organisation's board or committee",
}


def assess_preapproval(
    kind: PreApprovalKind,
    *,
    foreign_official: bool = False,
    bribe: bool = False,
    roles: Roles,
) -> Outcome:
    """TRADE-1, GOV-1, COI-8, COI-9: what a pre-approval request needs.

    Everything here needs approval in advance, except a board seat or
    outside work of a non-employee director (COI-8 and COI-9 are about
    employees), which is recorded. A bribe is never permitted (GOV-1),
    whatever the request is called.
    """
    kind = PreApprovalKind(kind)
    if bribe:
        finding = Finding(
            "GOV-1",
            Verdict.PROHIBITED,
            "A bribe, kickback or illegal payment is never permitted.",
        )
    elif kind == PreApprovalKind.TRADE_ASSOCIATION:
        finding = Finding(
            "TRADE-1",
            Verdict.NEEDS_APPROVAL,
            "Joining a trade association needs approval in advance.",
        )
    elif kind == PreApprovalKind.GOVERNMENT_OFFICIAL and foreign_official:
        finding = Finding(
            "GOV-1",
            Verdict.NEEDS_APPROVAL,
            ("A payment or gift to a foreign government official needs approval before it is made."),
        )
    elif kind == PreApprovalKind.GOVERNMENT_OFFICIAL:
        finding = Finding(
            "GOV-1",
            Verdict.NEEDS_APPROVAL,
            "Anything of value for a government official needs the compliance officer to be consulted first.",
        )
    elif kind == PreApprovalKind.OUTSIDE_EMPLOYMENT and roles.is_non_employee_director:
        finding = Finding(
            "COI-8",
            Verdict.ALLOWED,
            "Outside employment rules apply to employees, not to non-employee directors; recorded.",
        )
    elif kind == PreApprovalKind.OUTSIDE_EMPLOYMENT:
        finding = Finding(
            "COI-8",
            Verdict.NEEDS_APPROVAL,
            ("Outside employment must be disclosed, and approved, before it starts."),
        )
    elif roles.is_non_employee_director:
        finding = Finding(
            "COI-9",
            Verdict.ALLOWED,
            "The approval rule for other boards does not apply to non-employee directors; recorded.",
        )
    else:
        finding = Finding(
            "COI-9",
            Verdict.NEEDS_APPROVAL,
            "Serving on a board or committee of another organisation needs approval before you accept.",
        )
    return Outcome.of([finding])
