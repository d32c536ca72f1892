"""Issue 10 item 8: every field a filing form shows is stored and shown back.

The conflict form's "family member at a business partner" showed "Their name" and
"Who holds the interest?" and threw both away. This walks every form of every kind,
every sub-kind (and both directions of a gift): it reads from the form's layout which
fields are shown for the sub-kind (what static/js/approvals.js shows), fills each with
an answer, saves the draft through the page, and checks that each answer is in the
stored facts and on the filing's page."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from approvals.forms import FORMS
from cases.models import Case

pytestmark = pytest.mark.django_db


def shown_fields(form: forms.Form, subkind: str) -> list[str]:
    """The fields the layout shows for this sub-kind: those outside any fieldset with
    `data-show-for`, and those inside one that lists the sub-kind."""
    found: list[tuple[str, list[str] | None]] = []

    def walk(items, show_for):
        for item in items:
            if isinstance(item, str):
                found.append((item, show_for))
            elif hasattr(item, "fields"):
                match = re.search(r'data-show-for="([^"]*)"', str(getattr(item, "flat_attrs", "")))
                walk(item.fields, match.group(1).split() if match else show_for)

    walk(form.helper.layout.fields, None)
    return [name for name, show_for in found if show_for is None or subkind in show_for]


def _cases(demo_ready=True):
    params = []
    for kind, form_class in FORMS.items():
        if kind == "waiver":
            params.append(pytest.param(kind, "", "", id="waiver"))
            continue
        subkinds = [value for value, _ in form_class().fields[form_class.subkind_field].choices if value]
        for subkind in subkinds:
            if kind == "gift":
                for direction in ("received", "given"):
                    params.append(pytest.param(kind, subkind, direction, id=f"gift-{subkind}-{direction}"))
            else:
                params.append(pytest.param(kind, subkind, "", id=f"{kind}-{subkind}"))
    return params


def _answer(name: str, field: forms.Field, *, kind: str, direction: str):
    """An answer a person could give: a non-default choice, a ticked box, a date in range."""
    today = timezone.localdate()
    if kind == "gift" and name == "political_contribution":
        return "on" if direction == "given" else None  # only for something given
    if kind == "gift" and name == "giver_representative_present":
        return "no" if direction == "received" else None  # only for something received
    if name == "direction":
        return direction
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.ChoiceField):
        values = [value for value, _ in field.choices if value and value != field.initial]
        return values[-1] if name != "currency" else "EUR"
    if isinstance(field, forms.DecimalField):
        return "12.5"
    if isinstance(field, forms.DateField):
        return {
            "event_date": today - timedelta(days=5),
            "period_start": today + timedelta(days=1),
            "period_end": today + timedelta(days=60),
            "maturity": today + timedelta(days=365),
        }.get(name, today + timedelta(days=30)).isoformat()
    return f"Answer to {name.replace('_', ' ')}"[: field.max_length or 200]


@pytest.mark.parametrize(("kind", "subkind", "direction"), _cases())
def test_every_shown_field_is_stored_and_shown_back(client, employee, kind, subkind, direction):
    form_class = FORMS[kind]
    form = form_class()
    if kind == "waiver":
        subkind = next(value for value, _ in form.fields["provision_anchor"].choices if value)
    data = {form_class.subkind_field: subkind, "action": "save"}
    answered = {}
    for name in shown_fields(form, subkind):
        if name == form_class.subkind_field:
            continue
        value = _answer(name, form.fields[name], kind=kind, direction=direction)
        if value is not None:
            data[name] = answered[name] = value
    client.force_login(employee)
    response = client.post(reverse("approvals:new_filing", args=[kind]), data)
    assert response.status_code == 302, _errors(response)
    case = Case.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[-1]))
    stored = case.facts
    dropped = [name for name in answered if name not in stored]
    assert not dropped, f"shown but not stored: {dropped}"

    page = html.unescape(client.get(reverse("approvals:filing", args=[case.pk])).content.decode())
    for label, value in form_class().labelled(stored):
        assert label in page and value in page, (label, value)
    labels = {str(form.fields[name].label) for name in answered}
    shown_back = {label for label, _ in form_class().labelled(stored)}
    assert labels <= shown_back | {str(form.fields["description"].label) if "description" in form.fields else ""}


def _errors(response) -> str:
    context = response.context or {}
    form = context.get("form")
    return str(form.errors.as_data()) if form is not None else response.content.decode()[:500]


def test_shown_fields_follow_the_layout(demo):
    """The walker itself: a fieldset for other sub-kinds is not shown."""
    form = FORMS["conflict"]()
    family = shown_fields(form, "family_at_business_partner")
    assert {"related_person", "holder", "family_member_only_works_there"} <= set(family)
    assert "principal" not in family and "employee_deals_with_it" not in shown_fields(
        form, "relative_in_reporting_line"
    )
