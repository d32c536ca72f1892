"""Forms for board governance and the register: they parse and validate, and keep
what was typed when something is wrong; no side effects in save()."""

from django import forms
from django.utils import timezone

from governance.models import RelatedPartyApproval, RelatedPartyTransaction
from people.models import Person

DATE = forms.DateInput(attrs={"type": "date"})


def _not_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError("This date cannot be in the future.")
    return day


class LetterForm(forms.Form):
    received_on = forms.DateField(
        label="Letter received on",
        widget=DATE,
        help_text="The day the exchange's deficiency letter arrived: disclosure is due four business days later.",
    )

    def clean_received_on(self):
        return _not_future(self.cleaned_data["received_on"])


class AnnualMeetingForm(forms.Form):
    day = forms.DateField(label="Date of the annual meeting", widget=DATE)
    note = forms.CharField(label="Note", max_length=200, required=False)


class TransactionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=RelatedPartyTransaction.KIND_CHOICES)
    counterparty = forms.ModelChoiceField(
        label="Related person on the roster",
        queryset=Person.objects.filter(director_seats__isnull=False).distinct().order_by("name"),
        required=False,
        help_text="A director, or leave empty and type the name below.",
    )
    counterparty_name = forms.CharField(
        label="Related party's name", max_length=200, required=False, help_text="A family member, a holder, a fund…"
    )
    relationship = forms.ChoiceField(label="Relationship", choices=RelatedPartyTransaction.RELATIONSHIP_CHOICES)
    amount = forms.DecimalField(label="Amount", max_digits=16, decimal_places=2, min_value=0, required=False)
    currency = forms.CharField(label="Currency", max_length=3, initial="USD")
    start_date = forms.DateField(label="Date of the transaction", widget=DATE)
    end_date = forms.DateField(label="Maturity or end", widget=DATE, required=False)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}))

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError("Give a three-letter currency code, such as USD.")
        return currency

    def clean(self):
        data = super().clean()
        if not data.get("counterparty") and not (data.get("counterparty_name") or "").strip():
            self.add_error("counterparty_name", "Pick the person from the roster or type the related party's name.")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end cannot be before the date of the transaction.")
        return data


class ApprovalForm(forms.Form):
    body = forms.ChoiceField(label="Decided by", choices=RelatedPartyApproval.BODY_CHOICES, widget=forms.RadioSelect)
    day = forms.DateField(label="Meeting date", widget=DATE)
    outcome = forms.ChoiceField(label="Outcome", choices=RelatedPartyApproval.OUTCOME_CHOICES, widget=forms.RadioSelect)
    minutes_reference = forms.CharField(label="Minutes reference", max_length=200)

    def clean_day(self):
        return _not_future(self.cleaned_data["day"])
