"""Reads for insider trading: who is a designated insider on a date (INS-4), who
is restricted (on an open project's list: INS-1, INS-3), which windows cover
someone, and the calendar with its coverage in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from insiders.models import ListEntry, Project, Request, Window
from people.models import Designation, DirectorSeat, Person, Position, Rank, RoleDesignation
from policy import insiders as rules


def holidays() -> frozenset[date]:
    return frozenset(settings.INNOVO["HOLIDAYS"])


def _employed_q(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}hire_date__lte": day}) & (
        Q(**{f"{prefix}leaving_date__isnull": True}) | Q(**{f"{prefix}leaving_date__gte": day})
    )


def designated_insiders_on(day: date) -> QuerySet[Person]:
    """INS-4: directors and executive officers on `day`, and employees designated
    on `day` (one query)."""
    seats = DirectorSeat.objects.on(day).values("person_id")
    executives = (
        Position.objects.on(day).filter(rank=Rank.EXECUTIVE).filter(_employed_q(day, "person__")).values("person_id")
    )
    designated = (
        RoleDesignation.objects.on(day)
        .filter(role=Designation.DESIGNATED_INSIDER)
        .filter(_employed_q(day, "person__"))
        .values("person_id")
    )
    return Person.objects.filter(Q(id__in=seats) | Q(id__in=executives) | Q(id__in=designated))


def designated_insiders_over(start: date, end: date) -> dict[int, list[tuple[date, date | None, Person]]]:
    """Every stretch of designated-insider status overlapping [start, end], by person
    (three queries), so that coverage of many windows costs the same as one."""
    stretches: dict[int, list] = {}
    overlapping = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    for seat in DirectorSeat.objects.filter(overlapping).select_related("person"):
        stretches.setdefault(seat.person_id, []).append((seat.start_date, seat.end_date, seat.person, False))
    positions = Position.objects.filter(overlapping, rank=Rank.EXECUTIVE).select_related("person")
    designations = RoleDesignation.objects.filter(overlapping, role=Designation.DESIGNATED_INSIDER).select_related(
        "person"
    )
    for row in [*positions, *designations]:
        stretches.setdefault(row.person_id, []).append((row.start_date, row.end_date, row.person, True))
    return stretches


def _covered_on(stretches, day: date) -> list[Person]:
    people = {}
    for rows in stretches.values():
        for start, end, person, needs_employment in rows:
            if start <= day and (end is None or day <= end) and (not needs_employment or person.employed_on(day)):
                people[person.pk] = person
                break
    return sorted(people.values(), key=lambda p: p.name)


def open_entries_for(person: Person) -> QuerySet[ListEntry]:
    """INS-1, INS-3: the open projects' lists `person` is on."""
    return ListEntry.objects.filter(person=person, project__closed_at__isnull=True).select_related("project")


def is_restricted(person: Person | None) -> bool:
    return person is not None and open_entries_for(person).exists()


def policy_projects(person: Person) -> list[rules.Project]:
    return [
        rules.Project(
            name=entry.project.name,
            company=entry.project.other_company if entry.project.about_other_company else "",
            ticker=entry.project.other_ticker if entry.project.about_other_company else "",
        )
        for entry in open_entries_for(person)
    ]


def windows_covering(person: Person, day: date, *, roles) -> list[Window]:
    """INS-4: windows holding `day` that cover `person`: quarterly ones if they are a
    designated insider on `day` (`roles` are theirs on that day), event ones if they
    are on the window's project list."""
    on_day = Window.objects.filter(start__lte=day, end__gte=day)
    q = Q(kind=Window.Kind.EVENT, project__entries__person=person)
    if rules.is_designated_insider(roles):
        q |= Q(kind=Window.Kind.QUARTERLY)
    return list(on_day.filter(q).distinct())


def calendar(today: date) -> dict[str, list[dict]]:
    """Every window with whom it covers, split into current, upcoming and past, in
    a fixed number of queries (the windows, their lists, the roster's stretches)."""
    windows = list(Window.objects.select_related("project").order_by("start", "id"))
    rows = {"current": [], "upcoming": [], "past": []}
    if not windows:
        return rows
    entries: dict[int, list[Person]] = {}
    project_ids = {w.project_id for w in windows if w.project_id}
    for entry in ListEntry.objects.filter(project_id__in=project_ids).select_related("person"):
        entries.setdefault(entry.project_id, []).append(entry.person)
    stretches = designated_insiders_over(min(w.start for w in windows), max(w.end for w in windows))
    for window in windows:
        if window.kind == Window.Kind.EVENT:
            covered = sorted(entries.get(window.project_id, []), key=lambda p: p.name)
        else:
            covered = _covered_on(stretches, min(max(today, window.start), window.end))
        when = "current" if window.holds(today) else ("upcoming" if window.start > today else "past")
        rows[when].append({"window": window, "covered": covered})
    rows["past"].reverse()
    return rows


def covered_by(window: Window, day: date) -> list[Person]:
    """Who `window` covers on `day` (notices)."""
    if window.kind == Window.Kind.EVENT:
        return [entry.person for entry in window.project.entries.select_related("person")]
    return list(designated_insiders_on(day))


def projects_list() -> QuerySet[Project]:
    from django.db.models import Count

    return Project.objects.annotate(
        insiders=Count("entries", distinct=True),
        acknowledged=Count("entries", filter=Q(entries__acknowledged_at__isnull=False), distinct=True),
    ).select_related("opened_by")


def requests_for(queryset: QuerySet[Request]) -> QuerySet[Request]:
    return queryset.select_related("requester")


def form4_due_for(person: Person, today: date) -> QuerySet[Request]:
    """INS-5: reported trades whose Form 4 is due today or later."""
    return Request.objects.filter(requester=person, status=rules.Status.TRADED, form4_due__gte=today)
