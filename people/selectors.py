"""Reads of the roster: "which roles did P hold on D" and "who held role R on D" (ROLE-1).

Routing uses the roles held on the date that matters (the filing date), never
today's, so every answer here takes a date.
"""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db.models import Q, QuerySet

from people.models import (
    RANK_ORDER,
    Committee,
    CommitteeMembership,
    Designation,
    DirectorSeat,
    Person,
    Position,
    Rank,
    RoleDesignation,
)
from policy.roles import Designation as PolicyDesignation
from policy.roles import Rank as PolicyRank
from policy.roles import Roles


def person_for_user(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def _held_on(person: Person, day: date):
    """Everything `person` held on `day`, in ONE query (issue 12: a page never pays five
    queries when the roles cache is cold): rows of (what, value, independent) for
    positions (their rank), director seats, committee memberships, designations, and
    the people who report to them today (the supervisor line is not dated)."""
    from django.db.models import BooleanField, CharField, F, Value

    def rows(model, what: str, value, independent=None):
        return (
            model.objects.on(day)
            .filter(person=person)
            .annotate(
                what=Value(what, output_field=CharField()),
                held=value,
                independent_=independent if independent is not None else Value(False, output_field=BooleanField()),
            )
            .values_list("what", "held", "independent_")
            .order_by()
        )

    text = Value("", output_field=CharField())
    reports = (
        Person.objects.filter(supervisor=person)
        .annotate(
            what=Value("reports", output_field=CharField()),
            held=text,
            independent_=Value(False, output_field=BooleanField()),
        )
        .values_list("what", "held", "independent_")
        .order_by()
    )
    held = rows(Position, "rank", F("rank")).union(
        rows(DirectorSeat, "seat", text, F("independent")),
        rows(CommitteeMembership, "committee", F("committee__slug")),
        rows(RoleDesignation, "designation", F("role")),
        reports,
        all=True,
    )
    return held.order_by()  # the union would otherwise take Position's default ordering


def roles_on(person: Person, day: date) -> Roles:
    """The roles `person` held on `day`, as the pure policy's `Roles` (one query)."""
    employed = person.employed_on(day)
    ranks, committees, designations, seats, supervises = [], set(), set(), [], False
    for what, value, independent in _held_on(person, day):
        if what == "reports":
            supervises = True
        elif what == "rank":
            ranks.append(value)
        elif what == "seat":
            seats.append(bool(independent))
        elif what == "committee":
            committees.add(value)
        elif value in PolicyDesignation._value2member_map_:
            designations.add(PolicyDesignation(value))
    ranks = ranks if employed else []
    rank = max(ranks, key=lambda r: RANK_ORDER[Rank(r)]) if ranks else (Rank.STAFF if employed else None)
    if seats:
        committees.add(Committee.BOARD)
    return Roles(
        is_employee=employed,
        rank=PolicyRank(rank) if rank else None,
        is_director=bool(seats),
        is_independent_director=any(seats),
        designations=frozenset(designations),
        committees=frozenset(committees),
        supervises=supervises,
    )


ROLES_CACHE_SECONDS = 600
_VERSION_KEY = "roles-version"


def roles_cache_bump() -> None:
    """Forget every cached role look-up (called on any roster change)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def cached_roles_on(person: Person, day: date) -> Roles:
    """`roles_on`, kept in the cache across requests until the roster changes.
    Pages ask for the viewer's roles on every request; this makes it one cache read."""
    version = cache.get_or_set(_VERSION_KEY, 1, None)
    key = f"roles:{version}:{person.pk}:{day.isoformat()}"
    roles = cache.get(key)
    if roles is None:
        roles = roles_on(person, day)
        cache.set(key, roles, ROLES_CACHE_SECONDS)
    return roles


def titles_on(person: Person, day: date) -> list[str]:
    return list(Position.objects.on(day).filter(person=person).values_list("title", flat=True))


def designees_on(role: Designation | str, day: date) -> QuerySet[Person]:
    """Who held a designation (compliance officer, HR director, board liaison...) on `day`."""
    return Person.objects.filter(id__in=RoleDesignation.objects.on(day).filter(role=role).values("person_id"))


def designee_on(role: Designation | str, day: date) -> Person | None:
    return designees_on(role, day).first()


def has_designation(person: Person | None, role: Designation | str, day: date) -> bool:
    if person is None:
        return False
    return RoleDesignation.objects.on(day).filter(person=person, role=role).exists()


def committee_members_on(slug: str, day: date) -> QuerySet[Person]:
    """Members of a committee on `day`. The Board's members are its director seats."""
    if slug == Committee.BOARD:
        ids = DirectorSeat.objects.on(day).values("person_id")
    else:
        ids = CommitteeMembership.objects.on(day).filter(committee__slug=slug).values("person_id")
    return Person.objects.filter(id__in=ids)


def directors_on(day: date) -> QuerySet[DirectorSeat]:
    return DirectorSeat.objects.on(day).select_related("person")


def board_independence_on(day: date) -> dict:
    """BOARD-1: a listed company needs a majority of independent directors."""
    seats = list(directors_on(day))
    independent = sum(1 for seat in seats if seat.independent)
    return {
        "directors": len(seats),
        "independent": independent,
        "majority_independent": independent * 2 > len(seats),
    }


def current_position(person: Person) -> Position | None:
    return person.positions.filter(end_date__isnull=True).order_by("-start_date").first()


def people_with_rank_on(ranks: list[str], day: date) -> QuerySet[Person]:
    """Employees holding a position of one of `ranks` on `day` (CERT-2 audiences)."""
    employed = Q(hire_date__lte=day) & (Q(leaving_date__isnull=True) | Q(leaving_date__gte=day))
    ids = Position.objects.on(day).filter(rank__in=ranks).values("person_id")
    return Person.objects.filter(employed, id__in=ids)
