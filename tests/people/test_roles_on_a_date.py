"""ROLE-1: routing uses the role held on the date that matters, and history is kept."""

from datetime import date

import pytest

from people.models import Committee, Designation, Person, RoleDesignation
from people.selectors import (
    board_independence_on,
    committee_members_on,
    designee_on,
    roles_on,
    titles_on,
)
from people.services import designate
from policy.roles import Rank

pytestmark = pytest.mark.django_db


def person(name):
    return Person.objects.get(name=name)


def test_role1_marc_crossman_is_cfo_on_sept_7_and_also_president_on_sept_8_2004(demo):
    marc = person("Marc Crossman")
    assert titles_on(marc, date(2004, 9, 7)) == ["Chief Financial Officer"]
    assert sorted(titles_on(marc, date(2004, 9, 8))) == ["Chief Financial Officer", "President"]
    for day in (date(2004, 9, 7), date(2004, 9, 8)):
        roles = roles_on(marc, day)
        assert roles.rank == Rank.EXECUTIVE
        assert roles.is_executive_officer and roles.is_director and roles.is_employee
        assert not roles.is_non_employee_director


def test_role1_marc_crossman_was_a_non_employee_director_before_joining_as_cfo(demo):
    roles = roles_on(person("Marc Crossman"), date(2002, 6, 1))
    assert roles.is_director and not roles.is_employee
    assert roles.is_non_employee_director and roles.board_track


def test_role1_pat_andersons_board_seat_ended_in_september_2004(demo):
    pat = person("Pat Anderson")
    assert roles_on(pat, date(2004, 9, 7)).is_director
    assert titles_on(pat, date(2004, 9, 7)) == ["President"]
    after = roles_on(pat, date(2004, 9, 8))
    assert not after.is_director and not after.is_employee and after.rank is None
    assert pat not in committee_members_on(Committee.BOARD, date(2004, 9, 8))
    assert pat in committee_members_on(Committee.BOARD, date(2004, 9, 7))


def test_role1_vincent_sanfilippo_independent_director_and_audit_member_2003_to_2006(demo):
    vincent = person("Vincent Sanfilippo")
    roles = roles_on(vincent, date(2005, 1, 1))
    assert roles.is_director and roles.is_independent_director and roles.is_audit_committee_member
    assert vincent in committee_members_on(Committee.AUDIT, date(2005, 1, 1))
    assert vincent not in committee_members_on(Committee.AUDIT, date(2006, 3, 1))
    assert not roles_on(vincent, date(2006, 3, 1)).is_director


def test_board1_board_lost_its_independent_majority_in_february_2006(demo):
    before = board_independence_on(date(2006, 1, 15))
    after = board_independence_on(date(2006, 2, 6))
    assert after == {"directors": 6, "independent": 3, "majority_independent": False}
    assert before["majority_independent"] and before["independent"] == 4
    assert board_independence_on(date(2006, 6, 1))["majority_independent"]


def test_compliance_officer_on_a_date_and_a_handover_keeps_history(demo):
    shane = person("Shane Whalen")
    assert designee_on(Designation.COMPLIANCE_OFFICER, date(2004, 1, 1)) == shane
    assert designee_on(Designation.COMPLIANCE_OFFICER, date(2003, 1, 1)) is None
    successor = person("Morgan Ellis")
    designate(person=successor, role=Designation.COMPLIANCE_OFFICER, start=date(2026, 12, 1))
    assert designee_on(Designation.COMPLIANCE_OFFICER, date(2026, 11, 30)) == shane
    assert designee_on(Designation.COMPLIANCE_OFFICER, date(2026, 12, 1)) == successor
    history = RoleDesignation.objects.filter(role=Designation.COMPLIANCE_OFFICER).order_by("start_date")
    assert [(d.person, d.end_date) for d in history] == [(shane, date(2026, 11, 30)), (successor, None)]
    assert roles_on(shane, date(2026, 12, 1)).is_compliance_officer is False
    assert roles_on(successor, date(2026, 12, 1)).is_compliance_officer


def test_ranks_staff_vp_and_nobody(demo):
    assert roles_on(person("Dana Whitfield"), date(2018, 6, 1)).rank == Rank.STAFF
    assert roles_on(person("Dana Whitfield"), date(2019, 1, 1)).rank == Rank.VP
    assert roles_on(person("Dana Whitfield"), date(2019, 1, 1)).is_vp_or_above
    leaver = person("Lane Dahl")
    assert roles_on(leaver, date(2025, 6, 30)).is_employee
    assert not roles_on(leaver, date(2025, 7, 1)).is_employee
