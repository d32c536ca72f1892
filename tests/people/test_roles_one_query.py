"""Issue 12 item 4: the viewer's roles are read in one query when the cache is cold,
and say the same as reading each kind of record on its own (every demo person, on
days across the seeds' history)."""

from datetime import date

import pytest

from people.models import CommitteeMembership, DirectorSeat, Person, Position, RoleDesignation
from people.selectors import RANK_ORDER, cached_roles_on, roles_on
from policy.roles import Designation, Rank

pytestmark = pytest.mark.django_db

DAYS = [date(2004, 9, 7), date(2004, 9, 8), date(2006, 2, 15), date(2026, 12, 1), date.today()]


def _reference(person: Person, day: date) -> tuple:
    """Four queries, one per kind of record: what roles_on answered before."""
    employed = person.employed_on(day)
    ranks = [p.rank for p in Position.objects.on(day).filter(person=person)] if employed else []
    rank = max(ranks, key=lambda r: RANK_ORDER[Rank(r)]) if ranks else (Rank.STAFF if employed else None)
    seats = list(DirectorSeat.objects.on(day).filter(person=person))
    committees = set(
        CommitteeMembership.objects.on(day).filter(person=person).values_list("committee__slug", flat=True)
    )
    if seats:
        committees.add("board")
    roles = set(RoleDesignation.objects.on(day).filter(person=person).values_list("role", flat=True))
    designations = {Designation(r) for r in roles if r in Designation._value2member_map_}
    supervises = Person.objects.filter(supervisor=person).exists()
    return (employed, rank, bool(seats), any(s.independent for s in seats), designations, committees, supervises)


def test_roles_on_reads_once_and_agrees_with_each_record(demo, django_assert_num_queries):
    for person in Person.objects.all():
        for day in DAYS:
            with django_assert_num_queries(1):
                roles = roles_on(person, day)
            expected = _reference(person, day)
            got = (
                roles.is_employee,
                roles.rank,
                roles.is_director,
                roles.is_independent_director,
                set(roles.designations),
                set(roles.committees),
            )
            assert got[:4] == (expected[0], Rank(expected[1]) if expected[1] else None, *expected[2:4]), person
            assert got[4] == expected[4] and got[5] == {str(c) for c in expected[5]}, person
            assert roles.supervises is expected[6], person


def test_a_roster_change_is_read_at_once(demo, django_assert_num_queries):
    person = Person.objects.get(user__username="jbrooks")
    today = date.today()
    assert not cached_roles_on(person, today).is_investigator
    RoleDesignation.objects.create(person=person, role="investigator", start_date=today)  # signals bump
    assert cached_roles_on(person, today).is_investigator
    with django_assert_num_queries(0):  # then cached
        cached_roles_on(person, today)
