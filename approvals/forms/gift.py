"""GIFT-1..5, POL-1, GOV-1 (gifts and entertainment) and TRADE-1, GOV-1, COI-8,
COI-9 (pre-approvals): their guided forms."""

from __future__ import annotations

from datetime import timedelta

from crispy_forms.layout import Fieldset, Layout
from django import forms

from approvals.forms.base import (
    BLANK,
    BUSINESS_RELATIONSHIP_CHOICES,
    CURRENCY_CHOICES,
    YES_NO_UNKNOWN,
    FilingForm,
    _money,
    _show_for,
    legend,
)
from approvals.rules import GIFT_KIND_LABELS
from policy.gifts import Direction
from policy.preapprovals import PreApprovalKind


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
        label="If you received it: was someone from the giver's company present?",
        choices=BLANK + YES_NO_UNKNOWN,
        required=False,
        help_text="For meals, entertainment and travel you received (GIFT-4). Leave blank for something you gave.",
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
        if data.get("direction") == Direction.GIVEN and data.get("giver_representative_present"):
            self.add_error("giver_representative_present", "Only for something you received: leave it blank.")
        hosted = data.get("gift_kind") in ("meal", "entertainment", "travel")
        if data.get("direction") == Direction.RECEIVED and hosted and not data.get("giver_representative_present"):
            self.add_error(
                "giver_representative_present",
                "Say whether someone from the giver's company was there (or “Not sure”).",
            )
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
