"""Who someone is in the Code's eyes on a given date.

The Code routes decisions by role (COI-2, COI-3, COI-7, WAIVE-2, ROLE-1), so the
rest of the policy package takes a `Roles` value, never a user or a database
row. The Django side builds one from the roster for the date that matters.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar


class Rank(StrEnum):
    """An employee's rank for the Code's purposes (COI-2, COI-3, CERT-2)."""

    STAFF = "staff"
    VP = "vp"  # officer titled Vice President or above, not an executive officer
    EXECUTIVE = "executive"  # executive officer

    @property
    def label(self) -> str:
        return _RANK_LABELS[self]


_RANK_LABELS = {
    Rank.STAFF: "Employee",
    Rank.VP: "Officer (Vice President or above)",
    Rank.EXECUTIVE: "Executive officer",
}


class Designation(StrEnum):
    """Named jobs the Code gives to particular people (COI-1, REP-3, APP-1)."""

    COMPLIANCE_OFFICER = "compliance_officer"
    HR_DIRECTOR = "hr_director"
    BOARD_LIAISON = "board_liaison"
    INVESTIGATOR = "investigator"
    DESIGNATED_INSIDER = "designated_insider"  # INS-4: an employee under the insider trading policy

    @property
    def label(self) -> str:
        return _DESIGNATION_LABELS[self]


_DESIGNATION_LABELS = {
    Designation.COMPLIANCE_OFFICER: "Compliance officer",
    Designation.HR_DIRECTOR: "Director of human resources",
    Designation.BOARD_LIAISON: "Board liaison",
    Designation.INVESTIGATOR: "Investigator",
    Designation.DESIGNATED_INSIDER: "Designated insider",
}


@dataclass(frozen=True)
class Roles:
    """The roles one person holds on one date (ROLE-1).

    `rank` is None for someone who is not an employee on that date; a
    non-employee's rank is forced to None so that `Roles(is_employee=False,
    is_director=True)` describes a non-employee director without having to
    repeat `rank=None`.
    """

    NOBODY: ClassVar["Roles"]

    is_employee: bool = True
    rank: Rank | None = Rank.STAFF
    is_director: bool = False
    is_independent_director: bool = False
    designations: frozenset[Designation] = frozenset()
    committees: frozenset[str] = frozenset()
    supervises: bool = False  # someone reports to them (they decide those filings: ROLE-1)

    def __post_init__(self) -> None:
        if not self.is_employee:
            object.__setattr__(self, "rank", None)
        elif self.rank is None:
            raise ValueError("An employee needs a rank (staff, vp or executive).")
        else:
            object.__setattr__(self, "rank", Rank(self.rank))
        if self.is_independent_director and not self.is_director:
            raise ValueError("An independent director must also be a director.")
        object.__setattr__(self, "designations", frozenset(Designation(d) for d in self.designations))
        object.__setattr__(self, "committees", frozenset(self.committees))

    @property
    def is_executive_officer(self) -> bool:
        """COI-2, WAIVE-2: executive officers are decided on by the Board."""
        return self.rank == Rank.EXECUTIVE

    @property
    def is_vp_or_above(self) -> bool:
        """COI-3, CERT-2, LOAN-1: officers titled Vice President or above."""
        return self.rank in (Rank.VP, Rank.EXECUTIVE)

    @property
    def is_non_employee_director(self) -> bool:
        """COI-7, COI-9: a director who is not on the payroll."""
        return self.is_director and not self.is_employee

    @property
    def is_compliance_officer(self) -> bool:
        """COI-1, WAIVE-1: the person most approvals go to."""
        return Designation.COMPLIANCE_OFFICER in self.designations

    @property
    def is_hr_director(self) -> bool:
        """REP-3: harassment and discrimination reports go here."""
        return Designation.HR_DIRECTOR in self.designations

    @property
    def is_board_liaison(self) -> bool:
        """COI-2, WAIVE-2: records the Board's decisions."""
        return Designation.BOARD_LIAISON in self.designations

    @property
    def is_investigator(self) -> bool:
        """REP-4: works the cases assigned to them, nothing else."""
        return Designation.INVESTIGATOR in self.designations

    @property
    def is_audit_committee_member(self) -> bool:
        """REP-2: accounting concerns go to the audit committee."""
        return "audit" in self.committees

    @property
    def board_track(self) -> bool:
        """COI-2, COI-7: conflicts and pre-approvals of executive officers and
        non-employee directors are decided by the Board or its committee."""
        return self.is_executive_officer or self.is_non_employee_director

    @property
    def is_director_or_executive_officer(self) -> bool:
        """WAIVE-2 covers every director (employee directors too) and every
        executive officer, which is wider than `board_track`."""
        return self.is_director or self.is_executive_officer


Roles.NOBODY = Roles(is_employee=False, rank=None)


def no_roles() -> Roles:
    """Someone with no role on the date that matters (ROLE-1): a former
    employee, or an anonymous reporter."""
    return Roles.NOBODY
