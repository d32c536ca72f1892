"""Who a case goes to on a date, and who stands for each decider (ROLE-1).

Routing uses BRIEF.md's table (policy.routing) on the filing date and goes one
level up while the would-be decider is the filer or a person the case is about
(a subject or a related person, confirmed or only likely). Kept apart from the
services so that the notices, the approvals' assessment and the intake can all
ask without importing each other.
"""

from __future__ import annotations

from datetime import date

from cases.models import Case, CaseParty
from people.models import Committee, Designation, Person
from people.selectors import cached_roles_on, committee_members_on, designee_on, designees_on
from policy.routing import Category, Decider, FilingKind, route


def decider_people(decider: Decider, day: date, *, filer: Person | None = None) -> set[int]:
    """Ids of the people a decider stands for on `day` (for conflict checks)."""
    if decider == Decider.COMPLIANCE_OFFICER:
        holder = designee_on(Designation.COMPLIANCE_OFFICER, day)
        return {holder.id} if holder else set()
    if decider == Decider.HR_DIRECTOR:
        holder = designee_on(Designation.HR_DIRECTOR, day)
        return {holder.id} if holder else set()
    if decider == Decider.AUDIT_COMMITTEE:
        return set(committee_members_on(Committee.AUDIT, day).values_list("id", flat=True))
    if decider == Decider.BOARD:
        return set(committee_members_on(Committee.BOARD, day).values_list("id", flat=True))
    if decider == Decider.SUPERVISOR:
        return {filer.supervisor_id} if filer and filer.supervisor_id else set()
    return set()


def route_case(
    kind: FilingKind,
    *,
    filer: Person | None,
    day: date,
    category: Category | None = None,
    subjects: set[int] = frozenset(),
    outside_employment: bool = False,
    related_party: bool = False,
) -> Decider:
    """BRIEF.md's routing table on the filing date, one level up when the would-be
    decider is the filer or a subject (a committee only when all of it is)."""
    conflicted_ids = set(subjects) | ({filer.id} if filer else set())

    def conflicted(decider: Decider) -> bool:
        people = decider_people(decider, day, filer=filer)
        if not people:
            return decider not in (Decider.BOARD,)  # nobody holds the role: go up
        if decider in (Decider.AUDIT_COMMITTEE, Decider.BOARD):
            return people <= conflicted_ids
        return bool(people & conflicted_ids)

    return route(
        kind,
        filer=cached_roles_on(filer, day) if filer else None,
        category=category,
        outside_employment=outside_employment,
        related_party=related_party,
        conflicted=conflicted,
    )


def about_ids(case: Case) -> set[int]:
    """The people a case is about: subjects and related people, confirmed or
    likely (a likely match counts until a handler clears it)."""
    cache = getattr(case, "_prefetched_objects_cache", {})
    parties = cache["parties"] if "parties" in cache else case.parties.all()
    return {p.person_id for p in parties if p.person_id and p.excludes}


def excluded_ids(case: Case) -> set[int]:
    """Nobody decides, works or hears about a case they filed or that is about them."""
    return about_ids(case) | ({case.filer_id} if case.filer_id else set())


def board_recorder_ids(case: Case, day: date) -> set[int]:
    """Who records the Board's decision on a filing (COI-2, COI-7, WAIVE-2): the
    board liaisons; when every liaison filed it or is named in it, the compliance
    officer (not named either). Empty only when both are conflicted."""
    excluded = excluded_ids(case)
    for people in (
        set(designees_on(Designation.BOARD_LIAISON, day).values_list("id", flat=True)),
        decider_people(Decider.COMPLIANCE_OFFICER, day),
    ):
        if people - excluded:
            return people - excluded
    return set()


def subject_ids_of(parties) -> set[int]:
    """From intake's parties (people picked or matched), those the case is about."""
    return {p.person.id for p in parties if p.person is not None and p.role in CaseParty.EXCLUDING_ROLES}
