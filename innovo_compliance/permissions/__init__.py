"""The one place that decides access.

`can(user, action, obj=None)` answers "may this user do X (to this object)?";
`visible(user, Model)` answers "which objects may they see?". Views look objects
up through `visible` (missing and forbidden are both 404) and check actions with
`can` (visible but not allowed is 403). Templates show buttons from the same
answers, so the UI and the server never disagree.

The rules for each area live in a submodule of this package (`roster`,
`certifications`, `cases`, ...) that exports `ACTIONS` (action name -> rule) and
`VISIBLE` (model -> queryset function); this module is the only entry point.
"""

from __future__ import annotations

from django.http import Http404

from innovo_compliance.permissions import approvals, cases, certifications, governance, insiders, roster
from innovo_compliance.permissions.common import active_user

_MODULES = [roster, certifications, cases, approvals, insiders, governance]

ACTIONS = {}
VISIBLE = {}
for _module in _MODULES:
    ACTIONS.update(getattr(_module, "ACTIONS", {}))
    VISIBLE.update(getattr(_module, "VISIBLE", {}))


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action` (to `obj`)? Unknown actions are a programming error."""
    try:
        rule = ACTIONS[action]
    except KeyError:
        raise ValueError(f"Unknown action {action!r}") from None
    if not active_user(user):
        return False
    return bool(rule(user, obj))


def visible(user, model):
    """The objects of `model` that `user` may see (an empty queryset for nobody)."""
    try:
        rule = VISIBLE[model]
    except KeyError:
        raise ValueError(f"No visibility rule for {model.__name__}") from None
    if not active_user(user):
        return model.objects.none()
    return rule(user)


def get_visible_or_404(user, model, **lookup):
    """One object the user may see, or 404 whether it is missing or hidden."""
    try:
        return visible(user, model).get(**lookup)
    except model.DoesNotExist:
        raise Http404(f"No such {model._meta.verbose_name}.") from None
