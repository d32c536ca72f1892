"""Roster: HR imports the roster; administrators (Django superusers) may too."""

from innovo_compliance.permissions.common import is_hr, person

ACTIONS = {
    "roster.import": lambda user, obj: user.is_superuser or is_hr(user),
    # The people picker (reports, disclosures, case work): anyone on the roster.
    "roster.search": lambda user, obj: person(user) is not None,
}
VISIBLE = {}
