"""Reads for board governance: the composition of the Board on any date, its
history, and the open deficiencies behind the banner (one cached query)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Q

from governance.models import GovernanceCase
from people.models import Committee, CommitteeMembership, DirectorSeat
from policy.board import Composition, Member, assess_board

BANNER_KEY = "governance:open-cases:v1"
BANNER_SECONDS = 3600


def _on(queryset, day: date):
    return queryset.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


def _held(record, day: date) -> bool:
    return record.start_date <= day and (record.end_date is None or day <= record.end_date)


def _compose(seats, members, day: date) -> Composition:
    """A director's independence is the seat's; an audit committee member is
    independent when they hold an independent seat that day (a member with no
    seat is not independent)."""
    seats = sorted((s for s in seats if _held(s, day)), key=lambda s: s.person.name)
    independent_ids = {seat.person_id for seat in seats if seat.independent}
    members = sorted((m for m in members if _held(m, day)), key=lambda m: m.person.name)
    return Composition(
        day=day,
        directors=tuple(Member(seat.person.name, seat.independent) for seat in seats),
        audit_committee=tuple(Member(m.person.name, m.person_id in independent_ids) for m in members),
    )


def _audit():
    return CommitteeMembership.objects.filter(committee__slug=Committee.AUDIT).select_related("person")


def composition_on(day: date) -> Composition:
    """BOARD-1, BOARD-2: the directors and audit committee members on `day` (two queries)."""
    seats = _on(DirectorSeat.objects.select_related("person"), day)
    return _compose(list(seats), list(_on(_audit(), day)), day)


def _change_dates(seats, members) -> list[date]:
    days = set()
    for record in [*seats, *members]:
        days.add(record.start_date)
        if record.end_date is not None:
            days.add(record.end_date + timedelta(days=1))
    return sorted(days)


def history(until: date, since: date | None = None) -> list[Composition]:
    """The composition on every day it changed up to `until`, and on `until`
    itself (two queries, whatever the length of the history)."""
    seats, members = list(DirectorSeat.objects.select_related("person")), list(_audit())
    days = [d for d in _change_dates(seats, members) if d <= until and (since is None or d >= since)]
    if not days or days[-1] != until:
        days.append(until)
    return [_compose(seats, members, day) for day in days]


def change_dates(since: date | None = None, until: date | None = None) -> list[date]:
    """The days the composition may change: every seat's and audit membership's
    first day and the day after its last."""
    days = _change_dates(DirectorSeat.objects.only("start_date", "end_date"), _audit().only("start_date", "end_date"))
    return [d for d in days if (since is None or d >= since) and (until is None or d <= until)]


def breach_started(rule_id: str, day: date) -> date:
    """The first day of the run of days, ending at `day`, on which `rule_id` was
    broken: the event date of a deficiency found late (by the daily check)."""
    start = day
    for composition in reversed(history(day)):
        checks = {check.rule_id: check for check in assess_board(composition)}
        if checks[rule_id].passed:
            break
        start = min(start, composition.day)
    return start


def roster_difference(before: Composition, after: Composition) -> str:
    """Who joined or left between two days, in words ("Jane Doe joining the Board (independent)")."""
    words = []
    old, new = set(before.directors), set(after.directors)
    for m in sorted(new - old, key=lambda m: m.name):
        words.append(f"{m.name} joining the Board ({'independent' if m.independent else 'not independent'})")
    for m in sorted(old - new, key=lambda m: m.name):
        words.append(f"{m.name} leaving the Board")
    old_a, new_a = {m.name for m in before.audit_committee}, {m.name for m in after.audit_committee}
    words += [f"{name} joining the audit committee" for name in sorted(new_a - old_a)]
    words += [f"{name} leaving the audit committee" for name in sorted(old_a - new_a)]
    return "; ".join(words) or "a roster change"


def open_cases_for_banner() -> list[dict]:
    """The open deficiencies, cached (one query when cold); every write to a
    governance case forgets the cache (`banner_forget`)."""
    cached = cache.get(BANNER_KEY)
    if cached is not None:
        return cached
    rows = list(
        GovernanceCase.objects.filter(status=GovernanceCase.OPEN)
        .order_by("event_date", "id")
        .values("pk", "rule_id", "event_date", "cure_deadline", "disclosure_due")
    )
    cache.set(BANNER_KEY, rows, BANNER_SECONDS)
    return rows


def banner_forget() -> None:
    cache.delete(BANNER_KEY)
