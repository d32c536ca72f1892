"""Writes to the roster. History is never overwritten (ROLE-1): a change closes
one dated record and opens the next, and each change leaves a RosterEvent."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from people.models import Person, Position, Rank, RoleDesignation, RosterEvent
from people.selectors import roles_cache_bump
from people.signals import roster_changed


def _event(person: Person, action: str, detail: str, actor=None) -> None:
    RosterEvent.objects.create(person=person, action=action, detail=detail, actor=actor)


def _announce(person_ids) -> None:
    roles_cache_bump()
    transaction.on_commit(roles_cache_bump)
    ids = sorted(set(person_ids))
    if ids:
        transaction.on_commit(lambda: roster_changed.send(sender=Person, person_ids=ids))


def position_change(*, person: Person, title: str, rank: str, effective: date, actor=None) -> Position | None:
    """Close the person's open positions the day before `effective` and open a new one.

    Returns the new position, or None when the person already holds exactly
    that title and rank (nothing changes, nothing is logged).
    """
    open_positions = list(Position.objects.select_for_update().filter(person=person, end_date__isnull=True))
    if len(open_positions) == 1 and (open_positions[0].title, open_positions[0].rank) == (title, rank):
        return None
    for old in open_positions:
        old.end_date = max(old.start_date, effective - timedelta(days=1))
        old.save(update_fields=["end_date"])
    new = Position.objects.create(person=person, title=title, rank=rank, start_date=effective)
    before = "; ".join(f"{p.title} ({Rank(p.rank).label})" for p in open_positions) or "none"
    _event(person, "position", f"{before} → {title} ({Rank(rank).label}) from {effective}", actor)
    _announce([person.id])
    return new


def person_leave(*, person: Person, leaving_date: date, actor=None) -> None:
    """Mark a leaver: the last day employed, and every position and designation closed on it."""
    person.leaving_date = leaving_date
    person.save(update_fields=["leaving_date"])
    for model in (Position, RoleDesignation):
        model.objects.filter(person=person, end_date__isnull=True).update(end_date=leaving_date)
        model.objects.filter(person=person, end_date__gt=leaving_date).update(end_date=leaving_date)
    if person.user_id and leaving_date < timezone.localdate():
        type(person.user).objects.filter(pk=person.user_id).update(is_active=False)
    _event(person, "left", f"last day {leaving_date}", actor)
    _announce([person.id])


def designate(*, person: Person, role: str, start: date, actor=None) -> RoleDesignation:
    """Make `person` the holder of `role` from `start`, closing the previous holder's record."""
    for previous in RoleDesignation.objects.select_for_update().filter(role=role, end_date__isnull=True):
        if previous.person_id == person.id:
            return previous
        previous.end_date = start - timedelta(days=1)
        previous.save(update_fields=["end_date"])
        _event(previous.person, "designation-ended", f"{previous.get_role_display()} until {previous.end_date}", actor)
    new = RoleDesignation.objects.create(person=person, role=role, start_date=start)
    _event(person, "designated", f"{new.get_role_display()} from {start}", actor)
    _announce([person.id])
    return new
