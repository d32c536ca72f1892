"""What the four guided forms share: choices, checked number fields, the crispy
helper, and `facts()` (JSON answers holding only what matters for the sub-kind).

Fieldsets carry `data-show-for`, which static/js/approvals.js uses to hide what
does not apply; without JavaScript every fieldset shows, titled. Forms parse and
validate only; the services save.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from policy.conflicts import CounterpartyRelationship
from policy.money import money

MONEY_FIELDS = ("value", "value_in_usd", "principal")
"""Amounts shown back as money (policy.money), in the filing's currency."""
PLANNED_AHEAD_DAYS = 730
"""Planned things (a start date, a waiver period) more than two years ahead are refused."""
MATURITY_AHEAD_YEARS = 30
MAX_AMOUNT = Decimal("1000000000")

BLANK = [("", "—")]
RELATION_CHOICES = [
    ("spouse", "Spouse"),
    ("life_partner", "Life partner"),
    ("parent", "Parent"),
    ("child", "Child"),
    ("sibling", "Brother or sister"),
    ("in_law", "In-law"),
    ("close_friend", "Close friend"),
    ("other", "Someone else"),
]
HOLDER_CHOICES = [("self", "Me"), *[c for c in RELATION_CHOICES if c[0] not in ("close_friend", "other")]]
RELATIONSHIP_CHOICES = [
    (CounterpartyRelationship.SUPPLIER.value, "Supplier"),
    (CounterpartyRelationship.CUSTOMER.value, "Customer"),
    (CounterpartyRelationship.PROSPECTIVE_PARTNER.value, "Prospective business partner"),
    (CounterpartyRelationship.COMPETITOR.value, "Competitor"),
    (CounterpartyRelationship.OTHER.value, "None of these"),
]
BUSINESS_RELATIONSHIP_CHOICES = [*RELATIONSHIP_CHOICES[:4], ("government", "Government body"), ("other", "Other")]
CURRENCY_CHOICES = [(c, c) for c in ("USD", "EUR", "GBP", "CAD", "MXN", "JPY", "CHF", "CNY", "AUD")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not sure")]
LOAN_DIRECTION_CHOICES = [
    ("from_company", "The company lends to me, or guarantees my debt"),
    ("to_company", "I (or a family member) lend to the company"),
]


def _percent(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        max_digits=7,
        decimal_places=4,
        help_text=help_text,
        error_messages={
            "min_value": "A percentage cannot be negative.",
            "max_value": "A percentage cannot be more than 100%%.",
        },
    )


def _money(label: str, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        error_messages={
            "min_value": "An amount cannot be negative.",
            "max_value": "That amount is too large; check the number.",
        },
    )


def legend(text: str) -> str:
    """A fieldset legend at the size of a section heading (Bootstrap's legend is larger)."""
    return f'<span class="h5">{text}</span>'


def _show_for(*subkinds: str) -> dict:
    return {"data_show_for": " ".join(subkinds)}


class FilingForm(forms.Form):
    """Shared by the four forms: the crispy helper, `facts()` and its inverse."""

    kind = ""
    subkind_field = "subkind"
    relevant: dict[str, tuple[str, ...]] = {}
    """For each sub-kind, the fields kept in `facts` (besides the sub-kind and the description)."""

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(*self.fields)

    # --- shared checks -------------------------------------------------------
    def _not_far_ahead(self, name: str, what: str) -> None:
        day = self.cleaned_data.get(name)
        if day and day > self.today + timedelta(days=PLANNED_AHEAD_DAYS):
            self.add_error(name, f"{what} is more than two years ahead; file this closer to the date.")

    def _require(self, names: tuple[str, ...], subkind_label: str) -> None:
        for name in names:
            value = self.cleaned_data.get(name)
            if value in (None, "") and name not in self.errors:
                self.add_error(name, f"Needed for {subkind_label.lower()}.")

    # --- facts ---------------------------------------------------------------
    def kept(self) -> tuple[str, ...]:
        """The fields stored for the chosen sub-kind."""
        subkind = self.cleaned_data.get(self.subkind_field, "")
        return (self.subkind_field, *self.relevant.get(subkind, ()), "description")

    def facts(self) -> dict:
        """The answers that matter for the chosen sub-kind, as JSON-ready values."""
        facts = {}
        for name in self.kept():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, str):
                value = value.strip()
            facts[name] = value
        return facts

    @classmethod
    def initial_from(cls, facts: dict) -> dict:
        """Form data from stored facts (to edit a draft, or to update a disclosure)."""
        return dict(facts)

    def labelled(self, facts: dict) -> list[tuple[str, str]]:
        """(label, answer) pairs in form order, for the filing's page."""
        rows = []
        for name, field in self.fields.items():
            if name not in facts:
                continue
            value = facts[name]
            choices = dict(getattr(field, "choices", []) or [])
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            elif name in MONEY_FIELDS:
                value = money(value, "USD" if name == "value_in_usd" else facts.get("currency", "USD"))
            elif value in choices:
                value = choices[value]
            elif isinstance(field, forms.DateField):
                value = date_format(date.fromisoformat(value), "M j, Y")
            rows.append((str(field.label), str(value)))
        return rows
