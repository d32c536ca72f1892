"""COI-1, COI-4..11, LOAN-1, RPT-1: the conflict-of-interest disclosure form."""

from __future__ import annotations

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.urls import reverse

from approvals.forms.base import (
    BLANK,
    CURRENCY_CHOICES,
    HOLDER_CHOICES,
    LOAN_DIRECTION_CHOICES,
    MATURITY_AHEAD_YEARS,
    RELATION_CHOICES,
    RELATIONSHIP_CHOICES,
    FilingForm,
    _money,
    _percent,
    _show_for,
    legend,
)
from approvals.rules import CONFLICT_LABELS


class ConflictForm(FilingForm):
    """COI-1, COI-4..11, LOAN-1, RPT-1: a conflict-of-interest disclosure."""

    kind = "conflict"
    relevant = {
        "family_at_business_partner": (
            "counterparty",
            "counterparty_relationship",
            "relation",
            "related_person",
            "holder",
            "family_member_only_works_there",
            "employee_deals_with_it",
            "stock_percent",
            "discretionary_authority",
            "percent_of_total_assets",
        ),
        "financial_interest": (
            "counterparty",
            "counterparty_relationship",
            "holder",
            "stock_percent",
            "discretionary_authority",
            "percent_of_total_assets",
        ),
        "outside_employment": ("counterparty", "counterparty_relationship", "starts_on"),
        "board_seat": ("counterparty", "counterparty_relationship", "starts_on"),
        "relative_in_reporting_line": ("relation", "related_person"),
        "business_opportunity": ("counterparty", "counterparty_relationship", "diverts_opportunity"),
        "loan": (
            "counterparty_relationship",
            "loan_direction",
            "loan_is_guarantee",
            "principal",
            "currency",
            "interest_rate_percent",
            "maturity",
            "counterparty",
            "conversion_terms",
        ),
        "related_party_transaction": (
            "counterparty",
            "counterparty_relationship",
            "loan_direction",
            "loan_is_guarantee",
            "principal",
            "currency",
            "interest_rate_percent",
            "maturity",
            "conversion_terms",
        ),
        "other": ("counterparty", "counterparty_relationship"),
    }
    required_for = {
        "family_at_business_partner": ("counterparty", "relation"),
        "financial_interest": ("counterparty", "counterparty_relationship", "holder"),
        "outside_employment": ("counterparty", "starts_on"),
        "board_seat": ("counterparty", "starts_on"),
        "relative_in_reporting_line": ("relation", "related_person"),
        "business_opportunity": ("description",),
        "loan": ("principal",),
        "related_party_transaction": ("counterparty", "principal", "interest_rate_percent", "maturity"),
        "other": ("description",),
    }

    subkind = forms.ChoiceField(label="What do you need to disclose?", choices=list(CONFLICT_LABELS.items()))
    counterparty = forms.CharField(
        label="The other organisation or person",
        required=False,
        max_length=200,
        help_text="The business, employer, board, or the insider holding the note.",
    )
    counterparty_relationship = forms.ChoiceField(
        label="What is that business to Innovo?", required=False, choices=BLANK + RELATIONSHIP_CHOICES
    )
    relation = forms.ChoiceField(label="Who is involved?", required=False, choices=BLANK + RELATION_CHOICES)
    related_person = forms.CharField(
        label="Their name",
        required=False,
        max_length=200,
        help_text="If they work here or sit on the Board, pick them from the roster: they will never decide "
        "or see this disclosure.",
    )
    family_member_only_works_there = forms.BooleanField(
        label="The family member only works there (no ownership, no say in its decisions)", required=False
    )
    employee_deals_with_it = forms.BooleanField(
        label="I deal with that organisation on Innovo's behalf", required=False
    )
    holder = forms.ChoiceField(label="Who holds the interest?", required=False, choices=BLANK + HOLDER_CHOICES)
    stock_percent = _percent("Share of its outstanding stock (%)", "For example 1.5 for 1.5%.")
    discretionary_authority = forms.BooleanField(
        label="Has or shares discretionary authority over its decisions", required=False
    )
    percent_of_total_assets = _percent("The investment as a share of the holder's total assets (%)")
    starts_on = forms.DateField(label="Starts on", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    diverts_opportunity = forms.BooleanField(
        label="I (or someone I know) intend to take up this opportunity instead of Innovo", required=False
    )
    loan_direction = forms.ChoiceField(
        label="Which way does the money go?",
        required=False,
        choices=LOAN_DIRECTION_CHOICES,
        initial="from_company",
        widget=forms.RadioSelect,
    )
    loan_is_guarantee = forms.BooleanField(label="It is a guarantee, not a loan", required=False)
    principal = _money("Principal amount")
    currency = forms.ChoiceField(label="Currency", required=False, choices=CURRENCY_CHOICES, initial="USD")
    interest_rate_percent = _percent("Interest rate (% a year)")
    maturity = forms.DateField(label="Maturity date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    conversion_terms = forms.CharField(
        label="Conversion terms",
        required=False,
        max_length=500,
        help_text="For example: convertible into common stock at $0.40 a share at the holder's option.",
    )
    description = forms.CharField(
        label="Anything else the decider should know", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["related_person"].widget.attrs["data-roster-picker"] = reverse("roster_search")

    def layout(self) -> Layout:
        family, interest = "family_at_business_partner", "financial_interest"
        return Layout(
            "subkind",
            Fieldset(
                legend("The other party"),
                "counterparty",
                "counterparty_relationship",
                css_class="filing-fields",
                **_show_for(
                    family,
                    interest,
                    "outside_employment",
                    "board_seat",
                    "business_opportunity",
                    "loan",
                    "related_party_transaction",
                    "other",
                ),
            ),
            Fieldset(
                legend("The person involved (family, close friend)"),
                "relation",
                "related_person",
                css_class="filing-fields",
                **_show_for(family, "relative_in_reporting_line"),
            ),
            Fieldset(
                legend("Their place at the business (COI-5)"),
                "family_member_only_works_there",
                "employee_deals_with_it",
                css_class="filing-fields",
                **_show_for(family),
            ),
            Fieldset(
                legend("Financial interest (COI-6)"),
                "holder",
                "stock_percent",
                "discretionary_authority",
                "percent_of_total_assets",
                css_class="filing-fields",
                **_show_for(family, interest),
            ),
            Fieldset(
                legend("Dates"),
                "starts_on",
                css_class="filing-fields",
                **_show_for("outside_employment", "board_seat"),
            ),
            Fieldset(
                legend("Business opportunity (COI-11)"),
                "diverts_opportunity",
                css_class="filing-fields",
                **_show_for("business_opportunity"),
            ),
            Fieldset(
                legend("Loan, guarantee or note (LOAN-1, RPT-1)"),
                "loan_direction",
                "loan_is_guarantee",
                "principal",
                "currency",
                "interest_rate_percent",
                "maturity",
                "conversion_terms",
                css_class="filing-fields",
                **_show_for("loan", "related_party_transaction"),
            ),
            "description",
        )

    def clean(self):
        data = super().clean()
        subkind = data.get("subkind")
        if not subkind:
            return data
        self._require(self.required_for.get(subkind, ()), CONFLICT_LABELS[subkind])
        if subkind == "financial_interest":
            measures = ("stock_percent", "percent_of_total_assets", "discretionary_authority")
            if not any(data.get(n) not in (None, "", False) for n in measures) and not self.errors:
                self.add_error(
                    "stock_percent",
                    "Give the share of the stock, the share of total assets, or tick discretionary authority.",
                )
        if subkind in ("outside_employment", "board_seat"):
            self._not_far_ahead("starts_on", "The start date")
        maturity = data.get("maturity")
        if maturity and maturity.year > self.today.year + MATURITY_AHEAD_YEARS:
            self.add_error("maturity", f"A maturity more than {MATURITY_AHEAD_YEARS} years ahead: check the date.")
        return data
