"""Forms for insider trading: they parse and validate; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from insiders.models import Project
from people.models import Person
from policy.insiders import Security, Side, TradeFacts

DATE = {"type": "date"}


class ProjectForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, help_text="A code name is fine (Project Falcon).")
    kind = forms.ChoiceField(label="What it is about", choices=Project.Kind.choices)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    other_company = forms.CharField(
        label="Other company", required=False, max_length=200,
        help_text="Only for another company's securities (INS-3).",
    )  # fmt: skip
    other_ticker = forms.CharField(label="Its ticker", required=False, max_length=12)

    def clean(self):
        data = super().clean()
        if data.get("kind") == Project.Kind.OTHER_COMPANY and not (
            data.get("other_company", "").strip() or data.get("other_ticker", "").strip()
        ):
            self.add_error("other_company", "Name the other company or give its ticker (INS-3).")
        return data


class AddInsiderForm(forms.Form):
    person = forms.ModelChoiceField(label="Person", queryset=Person.objects.order_by("name"), empty_label="Choose…")
    reason = forms.CharField(
        label="Why they need to know", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        help_text="INS-2: only people whose jobs need it are told.",
    )  # fmt: skip


class CloseForm(forms.Form):
    public_on = forms.DateField(label="Public since", widget=forms.DateInput(attrs=DATE))


class QuarterlyWindowForm(forms.Form):
    quarter_end = forms.DateField(label="Quarter ends on", widget=forms.DateInput(attrs=DATE))
    earnings_release = forms.DateField(label="Earnings release on", widget=forms.DateInput(attrs=DATE))


class EventWindowForm(forms.Form):
    start = forms.DateField(label="First day", widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label="Last day", widget=forms.DateInput(attrs=DATE))


class RequestForm(forms.Form):
    security = forms.ChoiceField(
        label="Securities", widget=forms.RadioSelect,
        choices=[(Security.COMPANY, "The company's"), (Security.OTHER, "Another company's")],
        initial=Security.COMPANY,
    )  # fmt: skip
    other_company = forms.CharField(label="Other company", required=False, max_length=200)
    other_ticker = forms.CharField(label="Its ticker", required=False, max_length=12)
    side = forms.ChoiceField(
        label="Buy or sell", widget=forms.RadioSelect, choices=[(Side.BUY, "Buy"), (Side.SELL, "Sell")]
    )
    quantity = forms.IntegerField(label="Quantity (shares)", min_value=1, max_value=100_000_000)
    planned_date = forms.DateField(label="Planned date", widget=forms.DateInput(attrs=DATE))
    trading_plan = forms.BooleanField(label="Under a Rule 10b5-1 trading plan", required=False)
    note = forms.CharField(label="Note for the decider", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("security") == Security.OTHER and not (
            data.get("other_company", "").strip() or data.get("other_ticker", "").strip()
        ):
            self.add_error("other_company", "Name the other company or give its ticker.")
        planned = data.get("planned_date")
        if planned and planned < timezone.localdate():
            self.add_error("planned_date", "The planned date cannot be in the past.")
        return data

    def facts(self) -> TradeFacts:
        data = self.cleaned_data
        other = data["security"] == Security.OTHER
        return TradeFacts(
            security=data["security"],
            side=data["side"],
            quantity=data["quantity"],
            planned_date=data["planned_date"],
            trading_plan=data["trading_plan"],
            company=data["other_company"].strip() if other else "",
            ticker=data["other_ticker"].strip() if other else "",
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect, choices=[("approve", "Approve"), ("deny", "Deny")]
    )
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The requester reads it; needed to deny.",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("decision") == "deny" and not data.get("note", "").strip():
            self.add_error("note", "Say why it is denied: the requester reads the note.")
        return data


class ReportForm(forms.Form):
    traded = forms.ChoiceField(
        label="Did you trade?", widget=forms.RadioSelect,
        choices=[("yes", "I traded"), ("no", "I did not trade")],
    )  # fmt: skip
    trade_date = forms.DateField(label="Trade date", required=False, widget=forms.DateInput(attrs=DATE))
    quantity = forms.IntegerField(label="Quantity traded", required=False, min_value=1)
    price = forms.DecimalField(
        label="Price per share (USD)", required=False, min_value=0, max_digits=14, decimal_places=4
    )

    def clean(self):
        data = super().clean()
        if data.get("traded") == "yes":
            for name in ("trade_date", "quantity", "price"):
                if data.get(name) in (None, ""):
                    self.add_error(name, "Needed when you traded.")
        return data
