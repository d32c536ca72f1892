"""Role questions shared by the permission rules, answered for today.

The roster look-up is cached on the user object, which lives for one request,
so a page that asks many questions pays for them once.
"""

from __future__ import annotations

from django.utils import timezone

from people.selectors import cached_roles_on, person_for_user
from policy.roles import Roles, no_roles


def active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def person(user):
    return person_for_user(user) if active_user(user) else None


def roles(user) -> Roles:
    """Today's roles of the user's roster entry (cached for the request)."""
    cached = getattr(user, "_innovo_roles", None)
    if cached is not None and cached[0] == timezone.localdate():
        return cached[1]
    me = person(user)
    value = cached_roles_on(me, timezone.localdate()) if me else no_roles()
    if active_user(user):
        user._innovo_roles = (timezone.localdate(), value)
    return value


def is_hr(user) -> bool:
    return roles(user).is_hr_director


def is_compliance_officer(user) -> bool:
    return roles(user).is_compliance_officer


def is_board_liaison(user) -> bool:
    return roles(user).is_board_liaison


def is_audit_member(user) -> bool:
    return roles(user).is_audit_committee_member
