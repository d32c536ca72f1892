"""ROLE-1, COI-2, COI-3, COI-7, WAIVE-2: the Roles value and its properties."""

import pytest

from policy.roles import Designation, Rank, Roles, no_roles

STAFF = Roles()
VP = Roles(rank=Rank.VP)
EXEC = Roles(rank=Rank.EXECUTIVE)
EMPLOYEE_DIRECTOR_VP = Roles(rank=Rank.VP, is_director=True)
NED = Roles(is_employee=False, is_director=True, is_independent_director=True)
NOBODY = no_roles()

# roles, executive, vp_or_above, non_employee_director, board_track, director_or_exec
PROPERTY_TABLE = [
    (STAFF, False, False, False, False, False),
    (VP, False, True, False, False, False),
    (EXEC, True, True, False, True, True),
    (EMPLOYEE_DIRECTOR_VP, False, True, False, False, True),
    (NED, False, False, True, True, True),
    (NOBODY, False, False, False, False, False),
]


@pytest.mark.parametrize(
    ("roles", "executive", "vp_or_above", "ned", "board_track", "director_or_exec"),
    PROPERTY_TABLE,
)
def test_role_properties_follow_coi2_coi3_coi7_waive2(
    roles, executive, vp_or_above, ned, board_track, director_or_exec
):
    """COI-2, COI-3, COI-7, WAIVE-2: who counts as what."""
    assert roles.is_executive_officer is executive
    assert roles.is_vp_or_above is vp_or_above
    assert roles.is_non_employee_director is ned
    assert roles.board_track is board_track
    assert roles.is_director_or_executive_officer is director_or_exec


@pytest.mark.parametrize(
    ("designation", "prop"),
    [
        (Designation.COMPLIANCE_OFFICER, "is_compliance_officer"),
        (Designation.HR_DIRECTOR, "is_hr_director"),
        (Designation.BOARD_LIAISON, "is_board_liaison"),
    ],
)
def test_designations_role1(designation, prop):
    """ROLE-1: each designation answers its own property and no other."""
    roles = Roles(designations=frozenset({designation}))
    for other in ("is_compliance_officer", "is_hr_director", "is_board_liaison"):
        assert getattr(roles, other) is (other == prop)


def test_audit_committee_membership_rep2():
    """REP-2: membership of the "audit" committee is what counts."""
    assert Roles(committees=frozenset({"board", "audit"})).is_audit_committee_member
    assert not Roles(committees=frozenset({"board"})).is_audit_committee_member


def test_non_employee_has_no_rank_role1():
    """ROLE-1: someone off the payroll on a date has no rank."""
    assert Roles(is_employee=False).rank is None
    assert NOBODY.rank is None and not NOBODY.is_employee
    assert Roles.NOBODY == NOBODY


def test_string_values_are_coerced_role1():
    """ROLE-1: values read back from the database as strings still work."""
    roles = Roles(rank="executive", designations=frozenset({"hr_director"}))
    assert roles.is_executive_officer and roles.is_hr_director


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rank": None}, "needs a rank"),
        ({"is_independent_director": True}, "must also be a director"),
        ({"rank": "president"}, "not a valid Rank"),
    ],
)
def test_contradictory_roles_are_refused_role1(kwargs, message):
    """ROLE-1: an employee needs a rank; an independent director is a director."""
    with pytest.raises(ValueError, match=message):
        Roles(**kwargs)
