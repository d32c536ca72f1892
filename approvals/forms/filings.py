"""The four guided forms: conflict of interest, gift or entertainment,
pre-approval, waiver. They parse and validate only; the services save.

Each form turns its cleaned answers into `facts` (JSON: strings, decimal
strings, ISO dates) holding only the fields that matter for the chosen
sub-kind. Fieldsets carry `data-show-for`, which static/js/approvals.js uses
to hide what does not apply; without JavaScript every fieldset shows, titled.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from approvals.rules import CONFLICT_LABELS, GIFT_KIND_LABELS
from policy.conflicts import CounterpartyRelationship
from policy.gifts import Direction
from policy.preapprovals import PreApprovalKind

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
            elif value in choices:
                value = choices[value]
            elif isinstance(field, forms.DateField):
                value = date_format(date.fromisoformat(value), "M j, Y")
            rows.append((str(field.label), str(value)))
        return rows


class ConflictForm(FilingForm):
    """COI-1, COI-4..11, LOAN-1, RPT-1: a conflict-of-interest disclosure."""

    kind = "conflict"
    relevant = {
        "family_at_business_partner": (
            "counterparty",
            "counterparty_relationship",
            "relation",
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
        "outside_employment": ("counterparty", "starts_on"),
        "board_seat": ("counterparty", "starts_on"),
        "relative_in_reporting_line": ("relation", "related_person"),
        "business_opportunity": ("counterparty", "diverts_opportunity"),
        "loan": (
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
            "principal",
            "currency",
            "interest_rate_percent",
            "maturity",
            "conversion_terms",
        ),
        "other": ("counterparty",),
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
    related_person = forms.CharField(label="Their name", required=False, max_length=200)
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
                "family_member_only_works_there",
                "employee_deals_with_it",
                css_class="filing-fields",
                **_show_for(family, "relative_in_reporting_line"),
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


class GiftForm(FilingForm):
    """GIFT-1..5, POL-1, GOV-1: a gift, meal, entertainment or travel, received or given."""

    kind = "gift"
    subkind_field = "gift_kind"
    common = (
        "direction",
        "counterparty",
        "counterparty_person",
        "business_relationship",
        "event_date",
        "value",
        "currency",
        "value_in_usd",
        "cash_or_equivalent",
        "solicited",
        "occasion",
        "promotional_item",
        "business_purpose",
        "giver_representative_present",
        "government_official",
        "foreign_government_official",
        "political_contribution",
        "lavish",
        "would_embarrass",
    )

    direction = forms.ChoiceField(
        label="Did you receive it or give it?",
        choices=[(Direction.RECEIVED.value, "I received it"), (Direction.GIVEN.value, "I gave it")],
        initial=Direction.RECEIVED.value,
        widget=forms.RadioSelect,
    )
    gift_kind = forms.ChoiceField(label="What was it?", choices=list(GIFT_KIND_LABELS.items()))
    counterparty = forms.CharField(
        label="Organisation", max_length=200, help_text="The giver's or recipient's company."
    )
    counterparty_person = forms.CharField(label="Person", required=False, max_length=200)
    business_relationship = forms.ChoiceField(
        label="Their business relationship with Innovo", choices=BLANK + BUSINESS_RELATIONSHIP_CHOICES, required=False
    )
    event_date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    value = _money("Value", required=True, help_text="Your best estimate of what it is worth.")
    currency = forms.ChoiceField(label="Currency", choices=CURRENCY_CHOICES, initial="USD")
    value_in_usd = _money("Value in US dollars", help_text="Needed when the currency is not USD.")
    cash_or_equivalent = forms.BooleanField(
        label="Cash or a cash equivalent (gift card, voucher, securities)", required=False
    )
    solicited = forms.BooleanField(label="It was asked for (solicited)", required=False)
    occasion = forms.CharField(
        label="Occasion", required=False, max_length=100, help_text="A holiday, wedding, promotion, retirement…"
    )
    promotional_item = forms.BooleanField(label="A promotional or novelty item", required=False)
    business_purpose = forms.CharField(label="Business purpose", required=False, max_length=300)
    giver_representative_present = forms.ChoiceField(
        label="Was someone from the giver's company present?", choices=YES_NO_UNKNOWN, initial="yes", required=False
    )
    government_official = forms.BooleanField(label="The recipient is a government official", required=False)
    foreign_government_official = forms.BooleanField(
        label="The recipient is a foreign government official", required=False
    )
    political_contribution = forms.BooleanField(
        label="It is a contribution from company funds to a political party, committee or candidate", required=False
    )
    lavish = forms.BooleanField(label="Some would call it lavish or extravagant", required=False)
    would_embarrass = forms.BooleanField(label="It would embarrass Innovo or you if made public", required=False)
    description = forms.CharField(label="Anything else", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def layout(self) -> Layout:
        return Layout(
            Fieldset(legend("What and with whom"), "direction", "gift_kind", "counterparty", "counterparty_person",
                     "business_relationship", "event_date"),
            Fieldset(legend("Value"), "value", "currency", "value_in_usd", "cash_or_equivalent"),
            Fieldset(legend("Circumstances"), "occasion", "promotional_item", "business_purpose",
                     "giver_representative_present", "solicited", "lavish", "would_embarrass"),
            Fieldset(legend("Officials and politics (GOV-1, POL-1)"), "government_official",
                     "foreign_government_official", "political_contribution"),
            "description",
        )  # fmt: skip

    def kept(self) -> tuple[str, ...]:
        return ("gift_kind", *self.common, "description")

    def facts(self) -> dict:
        facts = super().facts()
        if facts.get("direction") == Direction.GIVEN:
            facts.pop("giver_representative_present", None)
        else:
            facts.pop("political_contribution", None)
        return facts

    def clean(self):
        data = super().clean()
        day = data.get("event_date")
        if day and day > self.today:
            self.add_error("event_date", "A gift is logged once given or received: the date cannot be in the future.")
        if day and day < self.today - timedelta(days=3 * 365):
            self.add_error("event_date", "That is more than three years ago; check the date.")
        foreign = data.get("currency") and data["currency"] != "USD"
        if foreign and data.get("value_in_usd") is None and "value_in_usd" not in self.errors:
            self.add_error("value_in_usd", "Give the value in US dollars: the $250 line is in dollars.")
        if data.get("foreign_government_official"):
            data["government_official"] = True
        if data.get("direction") == Direction.RECEIVED and data.get("political_contribution"):
            self.add_error("political_contribution", "Only for something you gave.")
        return data


class PreApprovalForm(FilingForm):
    """TRADE-1, GOV-1, COI-8, COI-9: ask before doing it."""

    kind = "preapproval"
    relevant = {
        "trade_association": ("counterparty", "starts_on"),
        "government_official": ("counterparty", "starts_on", "value", "currency", "foreign_official",
                                "improper_advantage"),
        "outside_employment": ("counterparty", "starts_on"),
        "board_seat": ("counterparty", "starts_on"),
    }  # fmt: skip

    subkind = forms.ChoiceField(
        label="What do you want approved?", choices=[(k.value, k.label) for k in PreApprovalKind]
    )
    counterparty = forms.CharField(
        label="Organisation", max_length=200, help_text="The association, employer, board, or the official's office."
    )
    starts_on = forms.DateField(
        label="Planned date",
        help_text="When it would start or be given.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    value = _money("Value (for something given to an official)")
    currency = forms.ChoiceField(label="Currency", choices=CURRENCY_CHOICES, initial="USD", required=False)
    foreign_official = forms.BooleanField(label="The official serves a foreign government", required=False)
    improper_advantage = forms.BooleanField(
        label="It is meant to win or keep business, or to gain an improper advantage", required=False
    )
    description = forms.CharField(label="What and why", widget=forms.Textarea(attrs={"rows": 3}))

    def layout(self) -> Layout:
        return Layout(
            "subkind",
            "counterparty",
            "starts_on",
            Fieldset(
                legend("Government officials (GOV-1)"),
                "value",
                "currency",
                "foreign_official",
                "improper_advantage",
                css_class="filing-fields",
                **_show_for("government_official"),
            ),
            "description",
        )

    def clean(self):
        data = super().clean()
        day = data.get("starts_on")
        if day and day < self.today:
            self.add_error(
                "starts_on",
                "A pre-approval is asked before: for something that already started, file a disclosure instead.",
            )
        self._not_far_ahead("starts_on", "The planned date")
        return data


@lru_cache(maxsize=4)
def _provisions(text_hash: str, text: str) -> tuple[tuple[str, str], ...]:
    from certifications.codetext import sections

    skip = {"note", "foreword", "introduction", "helpful-phone-numbers", "confirmation-certificate"}
    choices, parent, in_admin = [], "", False
    for section in sections(text):
        if section.level == 1:
            parent, in_admin = section.title, section.anchor == "administration-of-the-code"
        if section.anchor in skip or in_admin:
            continue
        label = section.title if section.level == 1 else f"{parent} — {section.title}"
        choices.append((section.anchor, label))
    return tuple(choices)


def provision_choices() -> list[tuple[str, str]]:
    """WAIVE-1: the provisions of the current Code that a waiver can name."""
    from certifications.models import CodeVersion

    code = CodeVersion.current()
    return list(_provisions(code.sha256, code.text)) if code else []


class WaiverForm(FilingForm):
    """WAIVE-1, WAIVE-2: a waiver of a named provision of the Code, with a reason and a period."""

    kind = "waiver"
    subkind_field = "provision_anchor"

    provision_anchor = forms.ChoiceField(label="Provision of the Code to waive", choices=[])
    reason = forms.CharField(label="Why a waiver is needed", widget=forms.Textarea(attrs={"rows": 4}))
    period_start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="Until", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision_anchor"].choices = BLANK + provision_choices()

    def layout(self) -> Layout:
        return Layout("provision_anchor", "reason", Fieldset(legend("Period"), "period_start", "period_end"))

    def facts(self) -> dict:
        data = self.cleaned_data
        anchor = data["provision_anchor"]
        return {
            "provision_anchor": anchor,
            "provision": dict(self.fields["provision_anchor"].choices).get(anchor, anchor),
            "reason": data["reason"].strip(),
            "period_start": data["period_start"].isoformat(),
            "period_end": data["period_end"].isoformat(),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        self._not_far_ahead("period_start", "The start of the period")
        self._not_far_ahead("period_end", "The end of the period")
        if start and end and end < start:
            self.add_error("period_end", "The period cannot end before it starts.")
        if start and start < self.today - timedelta(days=365):
            self.add_error("period_start", "A waiver is asked for in advance; that start is over a year ago.")
        return data


FORMS: dict[str, type[FilingForm]] = {
    "conflict": ConflictForm,
    "gift": GiftForm,
    "preapproval": PreApprovalForm,
    "waiver": WaiverForm,
}
