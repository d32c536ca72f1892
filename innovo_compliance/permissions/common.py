"""Role questions shared by the permission rules (answered for today)."""

from __future__ import annotations

from django.utils import timezone

from people.models import Designation
from people.selectors import has_designation, person_for_user


def active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def person(user):
    return person_for_user(user)


def holds(user, designation, day=None) -> bool:
    return has_designation(person(user), designation, day or timezone.localdate())


def is_hr(user, day=None) -> bool:
    return holds(user, Designation.HR_DIRECTOR, day)


def is_compliance_officer(user, day=None) -> bool:
    return holds(user, Designation.COMPLIANCE_OFFICER, day)


def is_board_liaison(user, day=None) -> bool:
    return holds(user, Designation.BOARD_LIAISON, day)


def is_investigator(user, day=None) -> bool:
    return holds(user, Designation.INVESTIGATOR, day)
