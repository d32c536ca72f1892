"""Forms parse and validate; they change nothing (the views call services)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from certifications import rules
from certifications.models import REMINDER_FAMILIES, Audience, Kind
from innovo_compliance.text import sentence
from people import throttle

YES_NO = [("yes", "Yes"), ("no", "No")]
MAX_UPLOAD = 10 * 1024 * 1024


class SignForm(forms.Form):
    """The signature: the annual questionnaire where it applies, the typed full name
    and the person's password. The password is checked here (it is their login);
    the service checks everything about the obligation and the name."""

    exception = forms.CharField(
        label="Exceptions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="If you answered “no” to any question, explain: what happened, when, and whom you told.",
    )
    typed_name = forms.CharField(label="Your full name", max_length=200)
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}, render_value=False),
    )

    def __init__(self, *args, user, obligation, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.annual = obligation.campaign.kind == Kind.ANNUAL
        self.fields["typed_name"].help_text = sentence(
            f"Type your name as it is on the roster: {obligation.person.name}"
        )
        if self.annual:
            for key, question in rules.ANNUAL_QUESTIONS:
                self.fields[key] = forms.ChoiceField(label=question, choices=YES_NO, widget=forms.RadioSelect)
            self.order_fields([key for key, _ in rules.ANNUAL_QUESTIONS])
        else:
            del self.fields["exception"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not throttle.check_password(self.user, password):  # counted like a login; raises while locked
            raise forms.ValidationError("That is not your password. Type the password you log in with.")
        return password

    def clean(self):
        data = super().clean()
        if self.annual and rules.answers_need_exception(self.answers()) and not data.get("exception", "").strip():
            self.add_error("exception", "You answered “no”: explain the exception here.")
        return data

    def answers(self) -> dict[str, bool]:
        if not self.annual:
            return {}
        data = getattr(self, "cleaned_data", {})
        return {key: data[key] == "yes" for key, _ in rules.ANNUAL_QUESTIONS if key in data}


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(
        label="What people sign",
        choices=[(Kind.ANNUAL, Kind.ANNUAL.label + " (CERT-2)"), (Kind.CONFIRMATION, Kind.CONFIRMATION.label)],
        initial=Kind.ANNUAL,
    )
    audience = forms.ChoiceField(
        label="Who",
        choices=[(Audience.VP_AND_ABOVE, Audience.VP_AND_ABOVE.label), (Audience.EVERYONE, Audience.EVERYONE.label)],
        initial=Audience.VP_AND_ABOVE,
        help_text="Ranks on the day the campaign opens (today). Anyone promoted while it is open joins it.",
    )
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="Title", max_length=200, required=False, help_text="Leave empty for a standard title."
    )
    due_date = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))
    reminder_plan = forms.MultipleChoiceField(
        label="Reminders",
        choices=list(REMINDER_FAMILIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=list(REMINDER_FAMILIES),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["due_date"].initial = today + timedelta(days=30)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due <= timezone.localdate():
            raise forms.ValidationError("The due date must be after today.")
        return due


class VerifyNumberForm(forms.Form):
    number = forms.CharField(label="Certificate number", max_length=40, help_text="For example CC-2026-7K3M-Q9TX.")


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label="Certificate PDF", help_text="The PDF exactly as you received it (at most 10 MB).")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 10 MB: it is not one of our certificates.")
        return upload.read()
