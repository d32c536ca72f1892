"""A fix for Django's admin, installed by innovo_compliance/urls.py.

The admin's autocomplete widget (autocomplete_fields) re-renders a rejected
value by querying for it: "2026-13-45" for a person's id raises ValueError
while the page renders, a 500 where the form should say "Select a valid
choice" (issue 9, finding 12; tests/test_bad_input.py found it). Values that
are not valid for the related field are dropped before the widget queries.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_optgroups = AutocompleteMixin.optgroups


def _valid_values_only(self, name, value, attr=None):
    remote = self.field.remote_field
    opts = remote.model._meta
    target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.attname)
    kept = []
    for item in value:
        try:
            target.to_python(item)
        except ValidationError:
            continue
        kept.append(item)
    return _optgroups(self, name, kept, attr)


def install() -> None:
    AutocompleteMixin.optgroups = _valid_values_only
