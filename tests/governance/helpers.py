"""Shared steps for the governance tests."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from people.models import DirectorSeat, Person


def travel(day: date, hour: int = 12):
    """`hour` o'clock on `day` in the company's time zone, clock stopped."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False)


def user(username: str):
    return get_user_model().objects.get(username=username)


def end_seat(name: str, last_day: date) -> None:
    """A director leaves the Board (and the audit committee) after `last_day`, as the admin would write it."""
    person = Person.objects.get(name=name)
    for seat in person.director_seats.filter(end_date__isnull=True):
        seat.end_date = last_day
        seat.save()
    for membership in person.committee_memberships.filter(end_date__isnull=True):
        membership.end_date = last_day
        membership.save()


def new_director(name: str, start: date, *, independent: bool = True) -> Person:
    person = Person.objects.create(employee_id=f"D9{Person.objects.count():03d}", name=name)
    DirectorSeat.objects.create(person=person, start_date=start, independent=independent)
    return person


def yesterday() -> date:
    return timezone.localdate() - timezone.timedelta(days=1)
