"""Roster: HR imports the roster; administrators (Django superusers) may too."""

from innovo_compliance.permissions.common import is_hr

ACTIONS = {
    "roster.import": lambda user, obj: user.is_superuser or is_hr(user),
}
VISIBLE = {}
