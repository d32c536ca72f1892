"""The one place that decides access.

`can(request_or_user, action, obj=None)` answers "may this user do X (to this
object)?"; `visible(user, Model)` answers "which objects may they see?". Views
look objects up through `visible` (missing and forbidden are both 404) and check
actions with `can` (visible but not allowed is 403). Templates show buttons from
the same answers, so the UI and the server never disagree.
"""

from __future__ import annotations

from django.utils import timezone

from people.models import Designation
from people.selectors import has_designation, person_for_user


def _person(user):
    return person_for_user(user)


def is_hr(user, day=None) -> bool:
    return has_designation(_person(user), Designation.HR_DIRECTOR, day or timezone.localdate())


def is_compliance_officer(user, day=None) -> bool:
    return has_designation(_person(user), Designation.COMPLIANCE_OFFICER, day or timezone.localdate())


_ACTIONS = {
    # HR runs the roster import; administrators (Django superusers) may too.
    "roster.import": lambda user, obj: user.is_superuser or is_hr(user),
}


def can(user, action: str, obj=None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    try:
        rule = _ACTIONS[action]
    except KeyError:
        raise ValueError(f"Unknown action {action!r}") from None
    return bool(rule(user, obj))
