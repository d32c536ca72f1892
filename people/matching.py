"""Matching free text to roster people (people.names holds the rules; this module
reads the roster through its name index)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count

from people.models import Person, PersonNameKey
from people.names import Match, RosterName, find_in_text, find_name, lookup_keys, titled_words

MAX_KEYS = 400
"""A long description is looked up by its first distinct words only."""


def roster_name(person: Person) -> RosterName:
    return RosterName.parse(person.pk, person.name, [a for a in person.aliases.splitlines() if a.strip()])


def reindex(people: Iterable[Person]) -> None:
    """Rebuild the name index of these people (after a save, an import, a generator run)."""
    people = list(people)
    if not people:
        return
    with transaction.atomic():
        PersonNameKey.objects.filter(person__in=people).delete()
        PersonNameKey.objects.bulk_create(
            [PersonNameKey(person=p, key=k[:100]) for p in people for k in sorted(roster_name(p).keys())],
            batch_size=2000,
        )


def reindex_all(batch: int = 2000) -> int:
    done = 0
    qs = Person.objects.only("pk", "name", "aliases").order_by("pk")
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:batch])
        if not chunk:
            return done
        reindex(chunk)
        done += len(chunk)
        last = chunk[-1].pk


def _candidates(text: str, *, min_keys: int) -> list[RosterName]:
    """People with at least `min_keys` of the text's words among their name keys:
    two for prose (a name form has two words; the words of a "Scale Person" or a
    common first name alone pull nobody in), one for a typed name (a surname)."""
    keys = sorted(k for k in lookup_keys(text) if min_keys > 1 or len(k) > 1)[:MAX_KEYS]
    if not keys:
        return []
    ids = (
        PersonNameKey.objects.filter(key__in=keys)
        .values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gte=min_keys)
        .values("person_id")
    )
    return [roster_name(p) for p in Person.objects.filter(pk__in=ids).only("pk", "name", "aliases")]


def _people(matches: list[Match]) -> list[tuple[Person, str]]:
    people = Person.objects.in_bulk([m.person_id for m in matches])
    return [(people[m.person_id], m.text) for m in matches if m.person_id in people]


def match_name(line: str) -> list[tuple[Person, str]]:
    """Who a name typed on its own (a "people involved" line) may be."""
    return _people(find_name(line, _candidates(line, min_keys=1)))


def match_prose(text: str) -> list[tuple[Person, str]]:
    """Who running text (a description) names."""
    roster = {e.person_id: e for e in _candidates(text, min_keys=2)}
    titled = " ".join(titled_words(text))
    if titled:
        roster.update({e.person_id: e for e in _candidates(titled, min_keys=1)})
    return _people(find_in_text(text, roster.values()))


PICKED = re.compile(r"\(([A-Za-z0-9_-]{1,32})\)\s*$")
"""A value chosen from the roster picker ends with the employee id: "Shane Whalen, Chief Operating Officer (E0002)"."""


def picked_person(value: str) -> Person | None:
    """The roster person a picker value names by employee id, if any."""
    found = PICKED.search(value or "")
    return Person.objects.filter(employee_id=found.group(1)).first() if found else None


def picker_label(person: Person, title: str = "") -> str:
    return f"{person.name}{', ' + title if title else ''} ({person.employee_id})"


def search_roster(query: str, *, limit: int = 10) -> list[Person]:
    """People whose names start with what was typed (each word a prefix of a name
    word, accents and case ignored): the picker's suggestions."""
    from people.names import tokens

    words = [w for w in tokens(query) if w][:4]
    if not words:
        return []
    qs = Person.objects.all()
    for word in words:
        qs = qs.filter(pk__in=PersonNameKey.objects.filter(key__startswith=word[:100]).values("person_id"))
    return list(qs.order_by("name")[:limit])
