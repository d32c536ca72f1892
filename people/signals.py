"""Roster signals. Sent after the transaction commits, with the ids of the people
whose roles changed, so that other apps (certification obligations) can react
without the roster knowing about them."""

from django.dispatch import Signal

roster_changed = Signal()  # kwargs: person_ids (list[int])
